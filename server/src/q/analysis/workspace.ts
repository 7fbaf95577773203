/**
 * The set of q files the editor knows (open documents plus the workspace scan),
 * each with its model, and an index from global full name to the files that
 * define it. Pure: the language server feeds texts in; nothing here reads disk.
 *
 * Name resolution across files, used by every cross-file feature: a global
 * referenced in file F resolves to F's own definition when F has one; else, for
 * a dataset test file (`q_test_case_N.q`), to the `sol.q` in the same folder;
 * else to every other file that defines it. This keeps each dataset problem's
 * `solve` separate even though hundreds of files define one.
 */
import { buildModel, type Definition, type FileModel, type Reference } from "./model";

export interface FileEntry {
  uri: string;
  model: FileModel;
  /** The file's global definitions by full name. */
  defs: Map<string, Definition[]>;
}

export interface GlobalHit {
  uri: string;
  def: Definition;
}

const TEST_FILE = /(^|\/)q_test_case_[^/]*\.q$/;

export const isTestFile = (uri: string): boolean => TEST_FILE.test(uri);

const dirOf = (uri: string): string => uri.slice(0, uri.lastIndexOf("/") + 1);

export class Workspace {
  private readonly files = new Map<string, FileEntry>();
  /** full name -> uris defining it */
  private readonly definers = new Map<string, Set<string>>();

  update(uri: string, text: string): FileEntry {
    const old = this.files.get(uri);
    if (old !== undefined && old.model.text === text) return old;
    const model = buildModel(text, old?.model);
    const entry: FileEntry = { uri, model, defs: new Map() };
    for (const g of model.globals) {
      const same = entry.defs.get(g.fullName);
      if (same) same.push(g);
      else entry.defs.set(g.fullName, [g]);
    }
    // Most edits leave the file's global names as they were: then the index needs no change.
    const unchanged =
      old !== undefined &&
      old.model.globals.length === model.globals.length &&
      old.model.globals.every((g, i) => g.fullName === model.globals[i]!.fullName);
    if (!unchanged) {
      this.remove(uri);
      for (const name of entry.defs.keys()) {
        let set = this.definers.get(name);
        if (set === undefined) this.definers.set(name, (set = new Set()));
        set.add(uri);
      }
    }
    this.files.set(uri, entry);
    return entry;
  }

  remove(uri: string): void {
    const old = this.files.get(uri);
    if (old === undefined) return;
    this.files.delete(uri);
    for (const name of old.defs.keys()) {
      const set = this.definers.get(name);
      set?.delete(uri);
      if (set?.size === 0) this.definers.delete(name);
    }
  }

  get(uri: string): FileEntry | undefined {
    return this.files.get(uri);
  }

  entries(): IterableIterator<FileEntry> {
    return this.files.values();
  }

  /** Every global full name any file defines. */
  globalNames(): IterableIterator<string> {
    return this.definers.keys();
  }

  /** The files a global `fullName` seen from `uri` resolves to (see the header). */
  resolveFiles(uri: string, fullName: string): string[] {
    const set = this.definers.get(fullName);
    if (set === undefined) return [];
    if (set.has(uri)) return [uri];
    if (isTestFile(uri)) {
      const sol = `${dirOf(uri)}sol.q`;
      if (set.has(sol)) return [sol];
    }
    return [...set];
  }

  /** The first full name among a reference's candidates that resolves, with its definitions. */
  resolve(uri: string, ref: Reference): { fullName: string; hits: GlobalHit[] } | undefined {
    for (const c of ref.candidates) {
      const files = this.resolveFiles(uri, c);
      if (files.length === 0) continue;
      const hits: GlobalHit[] = [];
      for (const f of files) for (const def of this.files.get(f)!.defs.get(c) ?? []) hits.push({ uri: f, def });
      return { fullName: c, hits };
    }
    return undefined;
  }

  /** Is a global full name defined anywhere visible from `uri`? */
  isDefined(uri: string, fullName: string): boolean {
    return this.resolveFiles(uri, fullName).length > 0;
  }
}
