/**
 * Ctx owns all client-side state: the language client, the output channel,
 * the editor features (editor.ts) and two disposable lists (extension lifetime and
 * client lifetime). Nothing else in client/ keeps module-level state.
 */
import * as vscode from "vscode";
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import * as protocol from "../../server/src/protocol";
import { SANDBOX_HOST_ENV } from "../../server/src/q/limits";
import { Config } from "./config";
import { Editor } from "./editor";
import { keyEnv } from "./secrets";

export class Ctx {
  readonly config = new Config();
  readonly output: vscode.LogOutputChannel;
  /** Explorer, Test Explorer, CodeLens, status bar and q console (editor.ts). */
  readonly editor: Editor;
  private client: LanguageClient | undefined;
  private ready: Promise<protocol.ServerReadyParams> | undefined;
  private readonly extCleanup: vscode.Disposable[] = [];
  private readonly clientCleanup: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("Q Dataset Studio", { log: true });
    this.pushExtCleanup(this.output);
    this.editor = new Editor(this);
    this.pushExtCleanup(this.editor);
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
    const env = { ...process.env, ...SANDBOX_HOST_ENV, ...(await keyEnv(this.extension.secrets)) };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ["--nolazy", "--inspect=6019"] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: "q" }],
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
