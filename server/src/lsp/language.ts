/**
 * The q language features over LSP: diagnostics (syntax, lint rules, runtime
 * load checks), completion, hover, signature help, symbols, navigation,
 * rename and folding. Every answer comes from server/src/q/analysis; this file
 * keeps the per-document state (debounce timers, settings cache, runtime
 * results), feeds texts into the workspace index and converts types.
 *
 * Freshness: diagnostics are recomputed `qds.diagnostics.debounceMs` (150 ms)
 * after the last edit of a document. Requests that need exact positions (hover, navigation, rename)
 * bring the document's model up to date first; completion accepts a model one
 * edit old so typing in a large file never waits for a parse.
 */
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type CompletionItem,
  type Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Location,
  type Diagnostic as LspDiagnostic,
  type TextEdit as LspTextEdit,
  MarkupKind,
  ResponseError,
  type ServerCapabilities,
  type TextDocuments,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { complete } from "../q/analysis/complete";
import { hover, signatureHelp } from "../q/analysis/hover";
import { lint, type SeveritySetting } from "../q/analysis/lint";
import { definition, prepareRename, references, rename } from "../q/analysis/navigate";
import { documentSymbols, foldingRanges, workspaceSymbols } from "../q/analysis/outline";
import { ExternalQ, embeddedLoadCheck, type RuntimeError } from "../q/analysis/runtime";
import { isTestFile, Workspace } from "../q/analysis/workspace";
import { COMPLETION_KIND, SYMBOL_KIND, toDiagnostic, toDocumentSymbol, toFoldingRange, toRange } from "./convert";
import { qFiles, readSmall } from "./scan";
import { pullSettings, qPathOf } from "./settings";

export type RuntimeMode = "off" | "onSave" | "onType";

/** The `qds.*` settings this module reads (package.json `contributes.configuration`). */
export interface LanguageSettings {
  lint: { rules: Record<string, SeveritySetting> };
  diagnostics: { runtime: RuntimeMode; debounceMs: number };
  q: { path: string };
}

const DEFAULTS: LanguageSettings = {
  lint: { rules: {} },
  diagnostics: { runtime: "onSave", debounceMs: 150 },
  q: { path: "" },
};
const RUNTIME_DEBOUNCE_MS = 600;

export const LANGUAGE_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: ["."] },
  hoverProvider: true,
  signatureHelpProvider: { triggerCharacters: ["[", ";"] },
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  foldingRangeProvider: true,
};

export class Language {
  readonly workspace = new Workspace();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runtimeTimers = new Map<string, NodeJS.Timeout>();
  private readonly runtime = new Map<string, { version: number; errors: RuntimeError[] }>();
  private readonly settings = new Map<string, Promise<LanguageSettings>>();
  private external: ExternalQ | undefined;
  private configurationPull = false;
  private watchRegistration = false;
  private roots: string[] = [];
  /** The debounce from the most recently read settings (typing must not wait for a settings pull). */
  private debounceMs = DEFAULTS.diagnostics.debounceMs;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** Reads client capabilities and workspace folders from `initialize`. */
  initialize(params: import("vscode-languageserver/node").InitializeParams): void {
    this.configurationPull = params.capabilities.workspace?.configuration === true;
    this.watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "root" }] : []);
    this.roots = folders.filter((f) => f.uri.startsWith("file:")).map((f) => fileURLToPath(f.uri));
  }

  register(): void {
    const c = this.connection;
    const docs = this.documents;
    docs.onDidChangeContent((e) => this.schedule(e.document.uri));
    docs.onDidSave((e) => void this.onSave(e.document.uri));
    docs.onDidClose((e) => void this.onClose(e.document.uri));
    c.onDidChangeConfiguration(() => {
      this.settings.clear();
      this.external?.kill();
      this.external = undefined;
      for (const d of docs.all()) this.schedule(d.uri);
    });
    c.onDidChangeWatchedFiles((e) => void this.onWatched(e.changes));
    c.onCompletion((p) => this.completion(p.textDocument.uri, p.position));
    c.onHover((p) => {
      const doc = this.fresh(p.textDocument.uri);
      if (!doc) return null;
      const h = hover(doc.uri, this.model(doc.uri)!, this.workspace, doc.offsetAt(p.position));
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(doc, h.span) } : null;
    });
    c.onSignatureHelp((p) => {
      const doc = this.fresh(p.textDocument.uri);
      if (!doc) return null;
      const s = signatureHelp(doc.uri, doc.getText(), this.model(doc.uri), this.workspace, doc.offsetAt(p.position));
      if (!s) return null;
      return {
        signatures: s.signatures.map((g) => ({
          label: g.label,
          parameters: g.params.map((label) => ({ label })),
          ...(g.doc ? { documentation: g.doc } : {}),
        })),
        activeSignature: 0,
        activeParameter: s.activeParameter,
      };
    });
    c.onDocumentSymbol((p) => {
      const doc = this.fresh(p.textDocument.uri);
      return doc ? documentSymbols(this.model(doc.uri)!).map((s) => toDocumentSymbol(doc, s)) : [];
    });
    c.onWorkspaceSymbol((p) =>
      workspaceSymbols(this.workspace, p.query).map((s) => ({
        name: s.name,
        kind: SYMBOL_KIND[s.kind],
        location: this.location(s.uri, s.span),
      })),
    );
    c.onDefinition((p) => {
      const doc = this.fresh(p.textDocument.uri);
      return doc
        ? definition(this.workspace, doc.uri, doc.offsetAt(p.position)).map((l) => this.location(l.uri, l.span))
        : [];
    });
    c.onReferences((p) => {
      const doc = this.fresh(p.textDocument.uri);
      return doc
        ? references(this.workspace, doc.uri, doc.offsetAt(p.position)).map((l) => this.location(l.uri, l.span))
        : [];
    });
    c.onPrepareRename((p) => {
      const doc = this.fresh(p.textDocument.uri);
      if (!doc) return null;
      const r = prepareRename(this.workspace, doc.uri, doc.offsetAt(p.position));
      if (typeof r === "string") throw new ResponseError(0, r);
      return { range: toRange(doc, r.span), placeholder: r.placeholder };
    });
    c.onRenameRequest((p): WorkspaceEdit => {
      const doc = this.fresh(p.textDocument.uri);
      if (!doc) return {};
      const edits = rename(this.workspace, doc.uri, doc.offsetAt(p.position), p.newName);
      if (typeof edits === "string") throw new ResponseError(0, edits);
      const changes: Record<string, LspTextEdit[]> = {};
      for (const e of edits)
        (changes[e.uri] ??= []).push({ range: this.location(e.uri, e.span).range, newText: e.newText });
      return { changes };
    });
    c.onFoldingRanges((p) => {
      const doc = this.fresh(p.textDocument.uri);
      return doc ? foldingRanges(this.model(doc.uri)!).map(toFoldingRange) : [];
    });
  }

  /** After `initialized`: watch q files and index the workspace folders. */
  async start(): Promise<void> {
    if (this.watchRegistration) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.q" }],
      });
    }
    for (const root of this.roots) {
      for await (const f of qFiles(root)) {
        const uri = pathToFileURL(f.path).href;
        if (this.documents.get(uri) === undefined) this.workspace.update(uri, f.text);
      }
    }
    for (const d of this.documents.all()) this.schedule(d.uri);
  }

  dispose(): void {
    this.external?.kill();
  }

  // ------------------------------------------------------------------ state

  private model(uri: string) {
    return this.workspace.get(uri)?.model;
  }

  /** The open document with its model brought up to date. */
  private fresh(uri: string): TextDocument | undefined {
    const doc = this.documents.get(uri);
    if (doc) this.workspace.update(uri, doc.getText());
    return doc;
  }

  private textDocs = new WeakMap<object, TextDocument>();

  /** A position-converting document for any indexed file, open or not. */
  private docFor(uri: string): TextDocument | undefined {
    const open = this.documents.get(uri);
    if (open) return open;
    const model = this.model(uri);
    if (!model) return undefined;
    let doc = this.textDocs.get(model);
    if (!doc) this.textDocs.set(model, (doc = TextDocument.create(uri, "q", 0, model.text)));
    return doc;
  }

  private location(uri: string, span: { start: number; end: number }): Location {
    const doc = this.docFor(uri);
    return {
      uri,
      range: doc ? toRange(doc, span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
  }

  private getSettings(uri: string): Promise<LanguageSettings> {
    let s = this.settings.get(uri);
    if (s === undefined) {
      s = this.configurationPull
        ? pullSettings(this.connection, uri).then((v) => ({
            lint: v.lint,
            diagnostics: v.diagnostics,
            q: { path: qPathOf(v) },
          }))
        : Promise.resolve(DEFAULTS);
      this.settings.set(uri, s);
    }
    return s;
  }

  // ------------------------------------------------------------------ diagnostics

  private schedule(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.validate(uri, "type");
      }, this.debounceMs),
    );
  }

  /** A test file sees its folder's sol.q: index it when the workspace scan has not. */
  private async ensureSolution(uri: string): Promise<string | undefined> {
    if (!isTestFile(uri) || !uri.startsWith("file:")) return undefined;
    const solUri = `${uri.slice(0, uri.lastIndexOf("/") + 1)}sol.q`;
    const known = this.model(solUri);
    if (known) return known.text;
    const text = await readSmall(join(dirname(fileURLToPath(uri)), "sol.q"));
    if (text !== undefined) this.workspace.update(solUri, text);
    return text;
  }

  private async validate(uri: string, trigger: "type" | "save"): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const settings = await this.getSettings(uri);
    this.debounceMs = settings.diagnostics.debounceMs;
    const sol = await this.ensureSolution(uri);
    const entry = this.workspace.update(uri, doc.getText());
    const diags = lint({ uri, model: entry.model, workspace: this.workspace }, settings.lint.rules);
    const lspDiags = diags.map((d) => toDiagnostic(doc, d));
    const rt = this.runtime.get(uri);
    if (rt && rt.version !== version) this.runtime.delete(uri);
    this.publish(doc, lspDiags);
    const mode = settings.diagnostics.runtime;
    if (mode === "off" || (mode === "onSave" && trigger !== "save")) return;
    clearTimeout(this.runtimeTimers.get(uri));
    const delay = trigger === "save" ? 0 : RUNTIME_DEBOUNCE_MS;
    this.runtimeTimers.set(
      uri,
      setTimeout(() => void this.runRuntime(uri, version, settings, sol), delay),
    );
  }

  private lintCache = new Map<string, LspDiagnostic[]>();

  private publish(doc: TextDocument, lintDiags?: LspDiagnostic[]): void {
    if (lintDiags) this.lintCache.set(doc.uri, lintDiags);
    const rt = this.runtime.get(doc.uri);
    const runtime =
      rt && rt.version === doc.version
        ? rt.errors.map((e) => toDiagnostic(doc, { ...e, code: "runtime", severity: "error" }, "q"))
        : [];
    void this.connection.sendDiagnostics({
      uri: doc.uri,
      version: doc.version,
      diagnostics: [...(this.lintCache.get(doc.uri) ?? []), ...runtime],
    });
  }

  private async runRuntime(
    uri: string,
    version: number,
    settings: LanguageSettings,
    prelude: string | undefined,
  ): Promise<void> {
    const model = this.model(uri);
    const doc = this.documents.get(uri);
    if (!model || !doc || doc.version !== version) return;
    let errors: RuntimeError[];
    if (settings.q.path !== "") {
      if (this.external?.path !== settings.q.path) {
        this.external?.kill();
        this.external = new ExternalQ(settings.q.path);
      }
      errors = await this.external.check(model);
    } else {
      errors = await embeddedLoadCheck(model, prelude === undefined ? {} : { prelude });
    }
    const now = this.documents.get(uri);
    if (!now || now.version !== version) return;
    this.runtime.set(uri, { version, errors });
    this.publish(now);
  }

  private async onSave(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    await this.validate(uri, "save");
  }

  private async onClose(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    clearTimeout(this.runtimeTimers.get(uri));
    this.settings.delete(uri);
    this.runtime.delete(uri);
    this.lintCache.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // Keep the file indexed with its saved text when it is still on disk.
    const text = uri.startsWith("file:") ? await readSmall(fileURLToPath(uri)) : undefined;
    if (text === undefined) this.workspace.remove(uri);
    else this.workspace.update(uri, text);
  }

  private async onWatched(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    for (const ch of changes) {
      if (!ch.uri.endsWith(".q") || this.documents.get(ch.uri)) continue;
      if (ch.type === FileChangeType.Deleted) {
        this.workspace.remove(ch.uri);
        continue;
      }
      const text = await readSmall(fileURLToPath(ch.uri));
      if (text === undefined) this.workspace.remove(ch.uri);
      else this.workspace.update(ch.uri, text);
    }
    for (const d of this.documents.all()) this.schedule(d.uri);
  }

  // ------------------------------------------------------------------ completion

  private completion(uri: string, position: import("vscode-languageserver/node").Position): CompletionItem[] {
    const doc = this.documents.get(uri);
    if (!doc) return [];
    const text = doc.getText();
    const model = this.model(uri);
    const offset = doc.offsetAt(position);
    const r = complete({ uri, text, offset, model, fresh: model?.text === text, workspace: this.workspace });
    const range = { start: doc.positionAt(r.from), end: position };
    return r.items.map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      ...(c.detail ? { detail: c.detail } : {}),
      textEdit: { range, newText: c.label },
    }));
  }
}
