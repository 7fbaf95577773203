/**
 * One q file's static model: its syntax tree (error-tolerant parse), its
 * scopes, every definition and every name reference, with source spans.
 *
 * Scoping follows q exactly, which is simpler than most languages: a lambda
 * sees its parameters, its locals (every name assigned with `:` anywhere in its
 * body) and globals; there are no closures, so a nested lambda does not see its
 * parent's locals. Globals are top-level assignments, `name::v` inside a
 * lambda, and `` `name set v ``. `\d .ns` at top level puts later definitions
 * (and the lambdas defined there) in namespace `.ns`, where an unqualified name
 * is read as `.ns.name` first, then as the root `name`.
 *
 * References to globals are kept unresolved here (as candidate full names);
 * `Workspace` resolves them against every file's globals.
 *
 * Incremental: the file is cut into top-level chunks the way q loads a script
 * (every unindented line starts a statement; indented lines and comment lines
 * continue it; a block comment stays whole), and each chunk is parsed and modelled on its
 * own. Rebuilding after an edit reuses every chunk whose text and starting
 * namespace are unchanged, shifting its spans in place to its new offset, so
 * typing in a large file reparses only the statement being edited.
 */
import type { LambdaNode, Node } from "../ast";
import { type ParseError, parseCollect } from "../parser";
import type { Span } from "../tokens";
import { walk } from "./walk";

export type DefinitionKind = "global" | "local" | "param";

export interface Definition {
  /** The name as written (`f`, `.ns.f`). */
  name: string;
  /** Globals: the namespace-qualified name; locals and parameters: the name. */
  fullName: string;
  kind: DefinitionKind;
  /** The span of the name itself. */
  span: Span;
  /** The whole defining statement (an assignment), or the lambda for parameters. */
  statement: Span;
  /** The lambda assigned, when the value is one (for arity, signature help, hover). */
  lambda?: LambdaNode;
  /** The lambda whose parameter or local this is. */
  owner?: LambdaNode;
  /** Parameter implied by use of x, y or z (it has no span of its own). */
  implicit?: boolean;
}

export interface Reference {
  name: string;
  span: Span;
  /** True for assignment targets (`a:…`, `a+:…`, `a[i]:…`). */
  write: boolean;
  /** The local or parameter it denotes; undefined for globals. */
  local?: Definition;
  /** For globals: full names to try in order (`.ns.f` then `f` inside namespace `.ns`). */
  candidates: string[];
  /** Inside a qSQL clause, where a bare name may be a column. */
  inSql: boolean;
  /** The lambda the reference sits in (null at top level). */
  scope: LambdaNode | null;
}

/** A bracket call of a name, `f[a;b]`: the arity check reads these. */
export interface Call {
  ref: Reference;
  argCount: number;
  span: Span;
}

export interface LambdaInfo {
  node: LambdaNode;
  params: Definition[];
  locals: Map<string, Definition>;
  /** Parameters were written `{[a;b]…}`, not implied by x, y, z. */
  explicit: boolean;
  ns: string;
}

interface Parts {
  ast: Node[];
  errors: ParseError[];
  globals: Definition[];
  references: Reference[];
  calls: Call[];
  lambdas: LambdaInfo[];
}

export interface FileModel extends Parts {
  text: string;
  /** The chunks the model was assembled from (reused by the next build). */
  chunks: Chunk[];
}

/** One top-level chunk's model, with absolute spans for offset `base`. */
export interface Chunk extends Parts {
  body: string;
  /** The namespace in force where the chunk starts. */
  ns: string;
  base: number;
  nsAfter: string;
  /** Every distinct span object in the chunk (AST, errors, records), for shifting. */
  spans: Span[];
}

/** Positions of explicit parameter names in a lambda's source `{[a;b]…}`. */
function paramSpans(lam: LambdaNode): Span[] | null {
  const m = /^\{\s*\[([^\]]*)\]/.exec(lam.source);
  if (m === null) return null;
  const base = lam.span.start + m[0].indexOf("[") + 1;
  const out: Span[] = [];
  for (const p of m[1]!.matchAll(/[A-Za-z][A-Za-z0-9_]*/g)) {
    out.push({ start: base + p.index, end: base + p.index + p[0].length });
  }
  return out;
}

const nameSpan = (start: number, name: string): Span => ({ start, end: start + name.length });

function qualify(name: string, ns: string): string {
  return name.startsWith(".") || ns === "" ? name : `${ns}.${name}`;
}

function candidatesFor(name: string, ns: string): string[] {
  if (name.startsWith(".") || ns === "") return [name];
  return [`${ns}.${name}`, name];
}

/** Locals of one lambda: names assigned with `:` in its body, outside nested lambdas. */
function collectLocals(lam: LambdaNode, params: Set<string>): Map<string, Definition> {
  const locals = new Map<string, Definition>();
  walk(lam.body, (n) => {
    if (n.type === "lambda") return false;
    if (n.type === "assign" && !n.global && n.op === undefined && n.indices === undefined) {
      if (!n.name.includes(".") && !params.has(n.name) && !locals.has(n.name)) {
        locals.set(n.name, {
          name: n.name,
          fullName: n.name,
          kind: "local",
          span: nameSpan(n.span.start, n.name),
          statement: n.span,
          ...(n.value.type === "lambda" ? { lambda: n.value } : {}),
          owner: lam,
        });
      }
    }
    return undefined;
  });
  return locals;
}

/** Offsets where top-level chunks start (q script statement rules, see the header). */
export function chunkStarts(text: string): number[] {
  const starts: number[] = [0];
  let inBlock = false;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl;
    const c = text[at];
    // Only lines starting with / or \ can open or close a block comment or end the script.
    const line = c === "/" || c === "\\" ? text.slice(at, end).trimEnd() : "";
    if (inBlock) {
      if (line === "\\") inBlock = false;
    } else if (line === "\\") {
      if (at > 0) starts.push(at); // ends the script: the rest is one chunk the lexer ignores
      break;
    } else if (line === "/") {
      if (at > 0) starts.push(at);
      inBlock = true;
    } else if (at > 0 && c !== "/" && c !== " " && c !== "\t" && c !== "\r" && c !== "\n") {
      // A comment line does not end a statement (q reads on past it), so it starts no chunk.
      starts.push(at);
    }
    at = end + 1;
  }
  return starts;
}

function shift(chunk: Chunk, base: number): void {
  const d = base - chunk.base;
  if (d === 0) return;
  for (const s of chunk.spans) {
    s.start += d;
    s.end += d;
  }
  chunk.base = base;
}

function collectSpans(parts: Parts): Span[] {
  const set = new Set<Span>(parts.errors);
  walk(parts.ast, (n) => {
    set.add(n.span);
    return undefined;
  });
  const def = (d: Definition) => {
    set.add(d.span);
    set.add(d.statement);
  };
  parts.globals.forEach(def);
  for (const l of parts.lambdas) {
    l.params.forEach(def);
    l.locals.forEach(def);
  }
  for (const r of parts.references) set.add(r.span);
  for (const c of parts.calls) set.add(c.span);
  return [...set];
}

/**
 * The model of `text`, reusing unchanged chunks of `previous` (whose spans it
 * then shifts). An edit leaves a common run of chunks at the front and at the
 * back; chunks are matched from both ends and only the middle is rebuilt.
 */
export function buildModel(text: string, previous?: FileModel): FileModel {
  const model: FileModel = {
    text,
    chunks: [],
    ast: [],
    errors: [],
    globals: [],
    references: [],
    calls: [],
    lambdas: [],
  };
  const starts = chunkStarts(text);
  const bodies = starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
  const prev = previous?.chunks ?? [];
  // Chunks at the back are matched by body only; their namespace is checked as the build reaches them.
  let back = 0;
  while (
    back < bodies.length &&
    back < prev.length &&
    bodies[bodies.length - 1 - back] === prev[prev.length - 1 - back]!.body
  )
    back++;
  let ns = "";
  const used = new Set<Chunk>();
  for (let i = 0; i < starts.length; i++) {
    const body = bodies[i]!;
    const fromBack = i >= bodies.length - back ? prev[prev.length - bodies.length + i] : undefined;
    const candidate = i < prev.length && prev[i]!.body === body ? prev[i] : fromBack;
    let chunk: Chunk;
    if (candidate !== undefined && candidate.ns === ns && !used.has(candidate)) {
      chunk = candidate;
      used.add(chunk);
      shift(chunk, starts[i]!);
    } else chunk = buildChunk(body, ns, starts[i]!);
    ns = chunk.nsAfter;
    model.chunks.push(chunk);
  }
  const cs = model.chunks;
  model.ast = joined(cs.map((c) => c.ast));
  model.errors = joined(cs.map((c) => c.errors));
  model.globals = joined(cs.map((c) => c.globals));
  model.references = joined(cs.map((c) => c.references));
  model.calls = joined(cs.map((c) => c.calls));
  model.lambdas = joined(cs.map((c) => c.lambdas));
  return model;
}

/** The lists end to end, by native `concat` in batches (far cheaper than pushing item by item). */
function joined<T>(lists: T[][]): T[] {
  let out: T[] = [];
  for (let i = 0; i < lists.length; i += 8192) out = out.concat(...lists.slice(i, i + 8192));
  return out;
}

function buildChunk(text: string, startNs: string, base: number): Chunk {
  const { ast, errors } = parseCollect(text);
  const model: Parts = { ast, errors, globals: [], references: [], calls: [], lambdas: [] };
  let ns = startNs;

  const lambdaInfo = (lam: LambdaNode, lamNs: string): LambdaInfo => {
    const spans = paramSpans(lam);
    const params = lam.params.map(
      (p, i): Definition => ({
        name: p,
        fullName: p,
        kind: "param",
        span: spans?.[i] ?? { start: lam.span.start, end: lam.span.start + 1 },
        statement: lam.span,
        owner: lam,
        ...(spans === null ? { implicit: true } : {}),
      }),
    );
    const info: LambdaInfo = {
      node: lam,
      params,
      locals: collectLocals(lam, new Set(lam.params)),
      explicit: spans !== null,
      ns: lamNs,
    };
    model.lambdas.push(info);
    return info;
  };

  const addGlobal = (name: string, start: number, statement: Span, curNs: string, value?: Node): void => {
    model.globals.push({
      name,
      fullName: qualify(name, curNs),
      kind: "global",
      span: nameSpan(start, name),
      statement,
      ...(value?.type === "lambda" ? { lambda: value } : {}),
    });
  };

  /** Visit one subtree inside scope `lam` (null: top level), namespace `curNs`. */
  const visitIn = (root: Node, lam: LambdaInfo | null, curNs: string, inSql: boolean): void => {
    const ref = (name: string, start: number, write: boolean, sql: boolean): Reference => {
      const base = name.startsWith(".") ? name : name.split(".")[0]!;
      const local = lam === null ? undefined : (lam.params.find((p) => p.name === base) ?? lam.locals.get(base));
      const r: Reference = {
        name: base,
        span: nameSpan(start, base),
        write,
        candidates: local ? [] : candidatesFor(base, curNs),
        inSql: sql,
        scope: lam?.node ?? null,
      };
      if (local) r.local = local;
      model.references.push(r);
      return r;
    };
    walk([root], (n) => {
      switch (n.type) {
        case "lambda":
          if (n === lam?.node) return undefined;
          visitBody(lambdaInfo(n, curNs), curNs);
          return false;
        case "name":
          ref(n.name, n.span.start, false, inSql);
          return false;
        case "assign": {
          const plain = n.op === undefined && n.indices === undefined;
          if (lam === null || n.global) {
            const isLocal = lam !== null && (lam.locals.has(n.name) || lam.params.some((p) => p.name === n.name));
            if (plain && !isLocal) addGlobal(n.name, n.span.start, n.span, curNs, n.value);
          }
          ref(n.name, n.span.start, true, false);
          return undefined;
        }
        case "dyad":
          // `name set v` defines a global from a symbol.
          if (n.op.type === "name" && n.op.name === "set" && n.left.type === "sym" && n.left.names.length === 1) {
            const name = n.left.names[0]!;
            if (name !== "") addGlobal(name, n.left.span.start + 1, n.span, curNs, n.right);
          }
          return undefined;
        case "apply":
          if (n.fn.type === "name") {
            const r = ref(n.fn.name, n.fn.span.start, false, inSql);
            model.calls.push({ ref: r, argCount: n.args.length, span: n.span });
            for (const a of n.args) if (a) visitIn(a, lam, curNs, inSql);
            return false;
          }
          return undefined;
        case "sql":
          for (const l of n.limit ?? []) visitIn(l, lam, curNs, true);
          for (const c of [...n.cols, ...(n.by ?? [])]) visitIn(c.expr, lam, curNs, true);
          visitIn(n.from, lam, curNs, inSql);
          for (const w of n.where) visitIn(w, lam, curNs, true);
          return false;
        default:
          return undefined;
      }
    });
  };

  const visitBody = (info: LambdaInfo, lamNs: string): void => {
    for (const stmt of info.node.body) visitIn(stmt, info, lamNs, false);
  };

  for (const stmt of ast) {
    if (stmt.type === "sys") {
      const m = /^d\s+(\S+)/.exec(stmt.command);
      if (m) ns = m[1] === "." ? "" : m[1]!;
      continue;
    }
    visitIn(stmt, null, ns, false);
  }
  const chunk: Chunk = { ...model, body: text, ns: startNs, base: 0, nsAfter: ns, spans: collectSpans(model) };
  shift(chunk, base);
  return chunk;
}

/** The innermost lambda whose braces contain `offset`. */
export function lambdaAt(model: FileModel, offset: number): LambdaInfo | undefined {
  let best: LambdaInfo | undefined;
  for (const l of model.lambdas) {
    const s = l.node.span;
    if (s.start < offset && offset < s.end && (best === undefined || s.start >= best.node.span.start)) best = l;
  }
  return best;
}

/** The reference whose name covers `offset` (cursor at its end counts). */
export function referenceAt(model: FileModel, offset: number): Reference | undefined {
  return model.references.find((r) => r.span.start <= offset && offset <= r.span.end);
}
