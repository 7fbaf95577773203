/**
 * Bootstrap runs in the editor, display only. The controller is the `qds`
 * CLI bundled with the extension (dist/cli.js), started detached so a run
 * survives a closed terminal, window or editor; everything shown here is read
 * from the run folder (state, progress, log) through server/src/bootstrap/control.
 *
 * - Commands: Start (quick picks → a config file → a `qds-bootstrap` task),
 *   Attach, Stop, Open Report, Check Host.
 * - Task type `qds-bootstrap` ({config} starts a run, {run} attaches to one):
 *   a pseudoterminal that prints the run's log and a progress line (phase,
 *   iteration, step/loss, solved, ETA). Closing it stops following, nothing else.
 * - The "Bootstrap Runs" view: runs with their state, iterations with their numbers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { formatIterations, formatProgress, listRuns, type RunView, viewRun } from "../../server/src/bootstrap/control";
import { runFiles } from "../../server/src/bootstrap/layout";
import { TERMINAL_RUN } from "../../server/src/bootstrap/state";
import { runProcess } from "../../server/src/proc/process";
import { readSettings } from "./config";
import type { Ctx } from "./ctx";

export const TASK_TYPE = "qds-bootstrap";

interface BootstrapTaskDefinition extends vscode.TaskDefinition {
  /** A run configuration (JSON) to start a new run from. */
  config?: string;
  /** A run folder to attach to. */
  run?: string;
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** qds.bootstrap.*, typed by the shared settings schema (Config logs a bad value; here it is the default). */
export const bootstrapSettings = () => readSettings().settings.bootstrap;

function absolute(path: string): string {
  const root = workspaceRoot();
  return isAbsolute(path) || root === undefined ? path : join(root, path);
}

export const runsFolder = (): string => absolute(bootstrapSettings().runsFolder);

export function sshConfigFile(): string {
  const s = bootstrapSettings().sshConfigFile;
  return s === "" ? join(homedir(), ".ssh", "config") : absolute(s);
}

/** Host aliases of an ssh config file (patterns with wildcards left out). */
export function sshHosts(file: string): string[] {
  if (!existsSync(file)) return [];
  const hosts: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*Host\s+(.+)$/i.exec(line);
    if (m) for (const h of m[1]!.trim().split(/\s+/)) if (!/[*?!]/.test(h)) hosts.push(h);
  }
  return hosts;
}

/**
 * The longest a CLI call may take: `check-host` may build the host's Python environment
 * (pip installs torch and friends) the first time; `start --detach` and `stop` return in seconds.
 */
const CLI_TIMEOUT_MS = 60 * 60_000;

/**
 * Runs the bundled CLI through the shared child-process module (scrubbed environment: no API key is
 * passed on; ssh's agent socket is); resolves with its exit code and output, stdout then stderr.
 */
export async function cli(ctx: Ctx, args: string[]): Promise<{ code: number; out: string }> {
  const r = await runProcess(process.execPath, [ctx.extension.asAbsolutePath("dist/cli.js"), ...args], {
    cwd: workspaceRoot() ?? homedir(),
    // Electron's binary acts as Node with this; harmless under Node.
    env: { ELECTRON_RUN_AS_NODE: "1" },
    timeoutMs: CLI_TIMEOUT_MS,
  });
  const out = r.spawnError ?? `${r.stdout}${r.stderr}${r.timedOut ? "\n(stopped: took longer than an hour)" : ""}`;
  return { code: r.exitCode ?? 1, out };
}

// ---------------------------------------------------------------------------
// The task: a pseudoterminal that starts or follows a run

class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private timer: NodeJS.Timeout | undefined;
  private offset = 0;
  private lastLine = "";

  constructor(
    private readonly ctx: Ctx,
    private readonly def: BootstrapTaskDefinition,
    private readonly onRun: (dir: string) => void,
    /** What the terminal showed, for the view's tooltip and tests. */
    readonly transcript: string[],
  ) {}

  open(): void {
    void this.start().catch((err: unknown) => {
      this.print(`error: ${err instanceof Error ? err.message : String(err)}`);
      this.closeEmitter.fire(1);
    });
  }

  /** Closing the terminal stops following; the controller and the remote job keep running. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private print(text: string): void {
    this.write(`${text}\n`);
  }

  private write(text: string): void {
    this.transcript.push(text);
    this.writeEmitter.fire(text.replace(/\r?\n/g, "\r\n"));
  }

  private async start(): Promise<void> {
    let dir = this.def.run === undefined ? undefined : absolute(this.def.run);
    if (dir === undefined) {
      if (this.def.config === undefined) throw new Error("a qds-bootstrap task needs `config` or `run`");
      this.print(`starting a bootstrap run from ${this.def.config}`);
      const r = await cli(this.ctx, [
        "bootstrap",
        "start",
        "--config",
        absolute(this.def.config),
        "--runs",
        runsFolder(),
        "--detach",
      ]);
      const m = /^run (.+)$/m.exec(r.out);
      if (r.code !== 0 || m === null) throw new Error(r.out.trim() || `qds bootstrap start exited with ${r.code}`);
      dir = m[1]!.trim();
      this.print(r.out.trim());
    } else {
      const view = viewRun(dir);
      if (!TERMINAL_RUN.has(view.status) && !view.controllerAlive) {
        const r = await cli(this.ctx, ["bootstrap", "start", "--run-dir", dir, "--detach"]);
        this.print(r.out.trim());
      }
    }
    this.onRun(dir);
    const runDir = dir;
    this.timer = setInterval(() => this.tick(runDir), 500);
    this.tick(runDir);
  }

  private tick(dir: string): void {
    const log = runFiles(dir).log;
    if (existsSync(log) && statSync(log).size > this.offset) {
      const buf = readFileSync(log);
      const end = buf.lastIndexOf(10) + 1;
      if (end > this.offset) {
        // Log lines carry an ISO time first; the terminal shows the time of day only.
        const text = buf
          .subarray(this.offset, end)
          .toString("utf8")
          .replace(/^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)\.\d+Z /gm, "$1 ");
        this.write(text);
        this.offset = end;
      }
    }
    let view: RunView;
    try {
      view = viewRun(dir);
    } catch {
      return; // being written
    }
    const line = formatProgress(view.progress);
    if (line !== this.lastLine) {
      this.print(`\x1b[1m${line}\x1b[0m`);
      this.lastLine = line;
    }
    if (TERMINAL_RUN.has(view.status)) {
      if (this.timer !== undefined) clearInterval(this.timer);
      for (const l of formatIterations(view)) this.print(l);
      this.print(`run ${view.status}${view.endReason ? `: ${view.endReason}` : ""}`);
      this.closeEmitter.fire(view.status === "failed" ? 1 : 0);
    }
  }
}

export class BootstrapRuns implements vscode.TreeDataProvider<Item>, vscode.TaskProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;
  /** Run folders started or attached in this window (tests and the Stop command read it). */
  readonly recent: string[] = [];
  /** Text each task terminal showed, by task name. */
  readonly transcripts = new Map<string, string[]>();

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.window.registerTreeDataProvider("qds.bootstrapRuns", this),
      vscode.tasks.registerTaskProvider(TASK_TYPE, this),
    );
    // Runs change from another process: refresh the view every few seconds.
    this.timer = setInterval(() => this.changed.fire(undefined), 3000);
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }

  runs(): RunView[] {
    return listRuns(runsFolder());
  }

  // Tree

  getTreeItem(item: Item): vscode.TreeItem {
    return item;
  }

  getChildren(item?: Item): Item[] {
    if (item === undefined)
      return this.runs().map((r) => {
        const state = r.status === "running" && !r.controllerAlive ? "running (detached)" : r.status;
        const node = new Item(r.runId, vscode.TreeItemCollapsibleState.Collapsed);
        node.description = `${state} · iteration ${r.iteration}/${r.maxIterations} · ${r.host}`;
        node.tooltip = `${r.dir}\n${formatProgress(r.progress)}${r.error ? `\n${r.error}` : ""}`;
        node.contextValue = "bootstrapRun";
        node.run = r;
        return node;
      });
    if (item.run === undefined) return [];
    return formatIterations(item.run).map((l) => new Item(l, vscode.TreeItemCollapsibleState.None));
  }

  // Tasks

  provideTasks(): vscode.Task[] {
    const tasks: vscode.Task[] = [];
    const configs = join(runsFolder(), "configs");
    if (existsSync(configs))
      for (const f of readdirSync(configs).filter((n) => n.endsWith(".json")))
        tasks.push(this.task({ type: TASK_TYPE, config: join(configs, f) }, `start ${basename(f, ".json")}`));
    for (const r of this.runs()) tasks.push(this.task({ type: TASK_TYPE, run: r.dir }, `attach ${r.runId}`));
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as BootstrapTaskDefinition;
    if (def.config === undefined && def.run === undefined) return undefined;
    return this.task(def, task.name, task.scope);
  }

  task(
    def: BootstrapTaskDefinition,
    name: string,
    scope: vscode.Task["scope"] = vscode.TaskScope.Workspace,
  ): vscode.Task {
    const execution = new vscode.CustomExecution(async () => {
      const transcript: string[] = [];
      this.transcripts.set(name, transcript);
      return new RunTerminal(
        this.ctx,
        def,
        (dir) => {
          this.recent.push(dir);
          this.changed.fire(undefined);
        },
        transcript,
      );
    });
    const task = new vscode.Task(def, scope ?? vscode.TaskScope.Workspace, name, "qds-bootstrap", execution);
    task.isBackground = false;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated };
    return task;
  }
}

export class Item extends vscode.TreeItem {
  run?: RunView;
}

// ---------------------------------------------------------------------------
// Commands

/** Fields a caller may pass to Start to skip the quick picks (tests, other extensions). */
