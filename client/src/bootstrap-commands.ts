/**
 * The bootstrap commands of the palette (start, attach, stop, report, check
 * host). They need the whole editor (App); the run view and task provider in
 * bootstrap.ts do not, which keeps editor.ts -> bootstrap.ts one-way.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import { viewRun } from "../../server/src/bootstrap/control";
import { runFiles } from "../../server/src/bootstrap/layout";
import { bootstrapSettings, cli, Item, runsFolder, sshConfigFile, sshHosts, TASK_TYPE } from "./bootstrap";
import type { App } from "./editor";

type StartArgs = Record<string, unknown>;

async function pickRun(ctx: App, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === "string") return arg;
  if (arg instanceof Item && arg.run !== undefined) return arg.run.dir;
  const runs = ctx.editor.bootstrap.runs();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`No bootstrap runs in ${runsFolder()}.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.runId,
      description: `${r.status} · iteration ${r.iteration}/${r.maxIterations}`,
      detail: r.dir,
      dir: r.dir,
    })),
    { placeHolder },
  );
  return pick?.dir;
}

async function askNumber(prompt: string, value: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    validateInput: (t) => (Number.isFinite(Number(t)) && Number(t) > 0 ? undefined : "a positive number"),
  });
  return text === undefined ? undefined : Number(text);
}

async function askHost(): Promise<{ host: string; backend: "ssh" | "slurm" } | undefined> {
  const hosts = sshHosts(sshConfigFile());
  const items = [
    ...hosts.map((h) => ({ label: h, description: "ssh", backend: "ssh" as const })),
    { label: "Slurm login host…", description: "sbatch through ssh", backend: "slurm" as const },
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `Host (from ${sshConfigFile()})` });
  if (pick === undefined) return undefined;
  if (pick.backend === "ssh") return { host: pick.label, backend: "ssh" };
  const host = await vscode.window.showInputBox({ prompt: "Slurm login host (an ssh alias)" });
  return host ? { host, backend: "slurm" } : undefined;
}

export function startRun(ctx: App) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const given: StartArgs = typeof arg === "object" && arg !== null ? (arg as StartArgs) : {};
    const config: StartArgs = { ...given };
    if (config["dataset"] === undefined) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: "Dataset folder",
      });
      if (picked?.[0] === undefined) return undefined;
      config["dataset"] = picked[0].fsPath;
    }
    if (config["host"] === undefined) {
      const h = await askHost();
      if (h === undefined) return undefined;
      Object.assign(config, h);
    }
    if (config["baseModel"] === undefined) {
      const m = await vscode.window.showInputBox({
        prompt: "Base model (Hugging Face id or a path on the host)",
        value: "Qwen/Qwen3-0.6B",
      });
      if (!m) return undefined;
      config["baseModel"] = m;
      for (const [key, prompt, value] of [
        ["maxIterations", "Max iterations", 30],
        ["trainSteps", "Train steps per iteration", 1000],
        ["learningRate", "Learning rate", 2e-5],
        ["targetProblems", "Target solved problems", 100],
      ] as const) {
        const n = await askNumber(prompt, value);
        if (n === undefined) return undefined;
        config[key] = n;
      }
      const method = await vscode.window.showQuickPick(["lora", "full"], { placeHolder: "Fine-tuning method" });
      if (method === undefined) return undefined;
      config["method"] = method;
    }
    if (config["sshConfigFile"] === undefined && bootstrapSettings().sshConfigFile !== "")
      config["sshConfigFile"] = sshConfigFile();
    const dir = join(runsFolder(), "configs");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}.json`);
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    const bootstrap = ctx.editor.bootstrap;
    const before = bootstrap.recent.length;
    await vscode.tasks.executeTask(
      bootstrap.task({ type: TASK_TYPE, config: file }, `start ${basename(file, ".json")}`),
    );
    // Resolve with the run folder once the task has created it (or undefined if it failed first).
    for (let i = 0; i < 600 && bootstrap.recent.length === before; i++) await new Promise((r) => setTimeout(r, 100));
    return bootstrap.recent[before];
  };
}

export function attachRun(ctx: App) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const dir = await pickRun(ctx, arg, "Attach to which run?");
    if (dir === undefined) return undefined;
    await vscode.tasks.executeTask(ctx.editor.bootstrap.task({ type: TASK_TYPE, run: dir }, `attach ${basename(dir)}`));
    return dir;
  };
}

export function stopRun(ctx: App) {
  return async (arg?: unknown): Promise<number | undefined> => {
    const dir = await pickRun(ctx, arg, "Stop which run?");
    if (dir === undefined) return undefined;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Stopping ${basename(dir)}…` },
      () => cli(ctx, ["bootstrap", "stop", dir]),
    );
    ctx.output.info(r.out.trim());
    if (r.code !== 0) void vscode.window.showErrorMessage(`Stop failed: ${r.out.trim()}`);
    return r.code;
  };
}

export function openReport(ctx: App) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const dir = await pickRun(ctx, arg, "Report of which run?");
    if (dir === undefined) return undefined;
    const file = runFiles(dir).report;
    if (!existsSync(file)) {
      void vscode.window.showInformationMessage(
        `${basename(dir)} has no final report yet (it is ${viewRun(dir).status}).`,
      );
      return undefined;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    return file;
  };
}

export function checkHost(ctx: App) {
  return async (arg?: unknown): Promise<number | undefined> => {
    const host = typeof arg === "string" ? arg : (await askHost())?.host;
    if (host === undefined) return undefined;
    const args = ["bootstrap", "check-host", host, "--prepare"];
    if (bootstrapSettings().sshConfigFile !== "") args.push("--ssh-config", sshConfigFile());
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Checking ${host} (and preparing its Python environment)…`,
      },
      () => cli(ctx, args),
    );
    ctx.output.info(`check-host ${host}:\n${r.out.trim()}`);
    ctx.output.show(true);
    if (r.code === 0) void vscode.window.showInformationMessage(`${host}: ready (details in the output).`);
    else void vscode.window.showErrorMessage(r.out.trim().split("\n").at(-1) ?? `check-host failed (${r.code})`);
    return r.code;
  };
}
