/**
 * A real LSP client for tests and the benchmark: spawns the BUILT server
 * (`node dist/server.js --stdio`, rebuilt first when any server source is newer)
 * and talks JSON-RPC to it over stdio with vscode-jsonrpc. It answers the
 * server's `workspace/configuration` pulls from `settings`, accepts dynamic
 * registrations, and records every `publishDiagnostics` so tests can wait for
 * the next one matching a condition.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { PassThrough, type Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node";
import type { Diagnostic, PublishDiagnosticsParams } from "vscode-languageserver-protocol";

export const ROOT = resolve(__dirname, "../../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs the one build script when dist/server.js or dist/cli.js is missing or older than server/src. */
export function ensureBuilt(): void {
  const src = newestMtime(join(ROOT, "server/src"));
  const stale = ["dist/server.js", "dist/cli.js", "dist/qworker.js", "dist/sdks.js"].some((f) => {
    try {
      return statSync(join(ROOT, f)).mtimeMs < src;
    } catch {
      return true;
    }
  });
  if (!stale) return;
  try {
    execFileSync("node", ["scripts/build.mjs"], { cwd: ROOT, stdio: "pipe" });
  } catch (e) {
    // esbuild writes every bundle that builds; a broken bundle elsewhere need not stop these tests.
    if (!existsSync(join(ROOT, "dist/server.js"))) throw e;
    console.warn(
      `build reported errors; using the bundles it wrote:\n${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 500)}`,
    );
  }
}

export const fileUri = (path: string): string => pathToFileURL(path).href;

export class TestClient {
  readonly conn: MessageConnection;
  private readonly proc: ChildProcess;
  private readonly diags = new Map<string, PublishDiagnosticsParams>();
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown> = {};
  /** Every `window/logMessage` text the server sent. */
  readonly logs: string[] = [];

  /**
   * `env` is the server process's environment (default: this process's);
   * `onWire` sees every byte of the connection, both directions, as sent.
   */
  constructor(opts: { env?: NodeJS.ProcessEnv; onWire?: (from: "client" | "server", chunk: Buffer) => void } = {}) {
    this.proc = spawn(process.execPath, [join(ROOT, "dist/server.js"), "--stdio"], {
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.env === undefined ? {} : { env: opts.env }),
    });
    this.proc.stderr!.resume();
    let toServer: Writable = this.proc.stdin!;
    const tap = opts.onWire;
    if (tap !== undefined) {
      this.proc.stdout!.on("data", (chunk: Buffer) => tap("server", chunk));
      const through = new PassThrough();
      through.on("data", (chunk: Buffer) => tap("client", chunk));
      through.pipe(this.proc.stdin!);
      toServer = through;
    }
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(toServer));
    this.conn.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.diags.set(p.uri, p);
      for (const w of this.waiters) w();
    });
    this.conn.onRequest("workspace/configuration", (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === "qds" ? this.settings : null)),
    );
    this.conn.onRequest("client/registerCapability", () => null);
    this.conn.onNotification("window/logMessage", (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.listen();
  }

  /** The server process id (the dataset memory benchmark reads its /proc status). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** initialize + initialized, resolving once the server says it is ready. */
  async start(rootPath: string, initializationOptions?: unknown): Promise<void> {
    const ready = new Promise<void>((res) => this.conn.onNotification("qds/serverReady", () => res()));
    await this.conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: fileUri(rootPath),
      workspaceFolders: [{ uri: fileUri(rootPath), name: "ws" }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { rename: { prepareSupport: true } },
      },
      ...(initializationOptions === undefined ? {} : { initializationOptions }),
    });
    await this.conn.sendNotification("initialized", {});
    await ready;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "q", version: 1, text },
    });
  }

  /** Replaces the whole text (a full-range incremental change). */
  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** An incremental edit replacing a range. */
  edit(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    text: string,
  ): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  save(uri: string): void {
    void this.conn.sendNotification("textDocument/didSave", { textDocument: { uri } });
  }

  /** The next diagnostics for `uri` (current ones included) satisfying `ok`. */
  diagnostics(
    uri: string,
    ok: (d: Diagnostic[], version?: number) => boolean,
    timeoutMs = 8000,
  ): Promise<Diagnostic[]> {
    return new Promise((res, rej) => {
      const check = () => {
        const p = this.diags.get(uri);
        if (p && ok(p.diagnostics, p.version)) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          res(p.diagnostics);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        rej(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(this.diags.get(uri)?.diagnostics)}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest("shutdown");
      await this.conn.sendNotification("exit");
    } catch {
      // the process may already be gone
    }
    this.conn.dispose();
    this.proc.kill();
  }
}
