/**
 * Ctx is the shared service layer every feature depends on: the settings,
 * the log channel, the language client's lifecycle and two disposable lists
 * (extension lifetime and client lifetime). It imports no feature: main.ts
 * builds the features (editor.ts) on top of it, so imports run one way.
 */
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { describeStart, onProcessStart } from "../../server/src/proc/process";
import * as protocol from "../../server/src/protocol";
import { SANDBOX_HOST_ENV } from "../../server/src/q/limits";
import { Config } from "./config";
import { keyEnv } from "./secrets";

/** A command handler, as `vscode.commands.registerCommand` takes it. */
export type Cmd = (...args: unknown[]) => unknown;

export class Ctx {
  readonly config: Config;
  /** The log (levels set by the user in the channel's menu); the language server's trace goes here too. */
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private ready: Promise<protocol.ServerReadyParams> | undefined;
  private readonly extCleanup: vscode.Disposable[] = [];
  private readonly clientCleanup: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("Q Dataset Studio", { log: true });
    this.pushExtCleanup(this.output);
    this.config = new Config(this.output);
    // Programs the extension host starts (the bundled CLI for bootstrap runs); the server logs its own here too.
    const unlisten = onProcessStart((s) => this.output.info(describeStart(s)));
    this.pushExtCleanup({ dispose: unlisten });
    // Trust decides whether qds.q.path may run (server/src/settings.ts); granting it restarts the server.
    this.pushExtCleanup(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.output.info("workspace trusted: restarting the language server so qds.q.path may be used");
        if (this.isRunning) void this.stop().then(() => this.start());
      }),
    );
  }

  pushExtCleanup(d: vscode.Disposable): void {
    this.extCleanup.push(d);
  }

  pushClientCleanup(d: vscode.Disposable): void {
    this.clientCleanup.push(d);
  }

  /** The running client; throws when the server is not started (commands check `isRunning` first). */
  get languageClient(): LanguageClient {
    if (this.client === undefined) throw new Error("q language server is not running");
    return this.client;
  }

  get isRunning(): boolean {
    return this.client !== undefined;
  }

  /** Resolves with the server's ready notification of the current start. */
  whenReady(): Promise<protocol.ServerReadyParams> {
    if (this.ready === undefined) return Promise.reject(new Error("q language server is not running"));
    return this.ready;
  }

  async start(): Promise<void> {
    const module = this.extension.asAbsolutePath("dist/server.js");
    // API keys reach the server only as environment variables: a request parameter would be traced.
    // SANDBOX_HOST_ENV: the server hosts the q sandbox threads and should give their memory back.
    const keys = await keyEnv(this.extension.secrets);
    const env = { ...process.env, ...SANDBOX_HOST_ENV, ...keys };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ["--nolazy", "--inspect=6019"] } },
    };
    const trusted = vscode.workspace.isTrusted;
    const settings = this.config.all;
    this.output.info(
      `starting the language server: ${process.execPath} ${module} (ipc)${Object.keys(keys).length > 0 ? `; API keys passed in its environment: ${Object.keys(keys).join(", ")}` : ""}`,
    );
    this.output.info(`workspace ${trusted ? "trusted" : "not trusted: qds.q.path is ignored"}`);
    // Keys never reach the log: settings hold none (keys live in SecretStorage or the environment).
    this.output.info(`settings in effect: ${JSON.stringify(settings)}`);
    const clientOptions: LanguageClientOptions = {
      // Files and unsaved editors only: not the "q Console" output channel, not diff or git views.
      documentSelector: [
        { language: "q", scheme: "file" },
        { language: "q", scheme: "untitled" },
      ],
      initializationOptions: { trusted },
      outputChannel: this.output,
      synchronize: { configurationSection: "qds" },
    };
    const client = new LanguageClient("qds", "Q Language Server", serverOptions, clientOptions);
    this.ready = new Promise((resolve) => {
      this.pushClientCleanup(client.onNotification(protocol.serverReady, resolve));
    });
    await client.start();
    this.client = client;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.ready = undefined;
    for (const d of this.clientCleanup.splice(0)) d.dispose();
    if (client !== undefined) await client.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const d of this.extCleanup.splice(0)) d.dispose();
  }
}
