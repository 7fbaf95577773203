/**
 * Diagnostics without running anything: syntax errors from the collecting
 * parser, then the semantic rules below. Each rule is a declarative record
 * `{code, message, severity, check}`; only implemented rules are listed. A
 * rule's severity can be changed or turned off per code (`qds.lint.rules`), and
 * silenced on one line with a comment naming it:
 *
 *     f:{[a;b] a}   / qds-ignore unused-param
 *     / qds-ignore undefined-name wrong-arg-count
 *     g[1;2;3]
 *
 * (a trailing comment covers its own line; a comment-only line covers the next
 * line; `/ qds-ignore` with no codes silences every rule there.)
 */
import type { Span } from "../tokens";
import { isBuiltinName, isReservedWord } from "./builtins";
import type { FileModel, Reference } from "./model";
import { isTestFile, type Workspace } from "./workspace";

export type Severity = "error" | "warning" | "info" | "hint";
export type SeveritySetting = Severity | "off";

export interface Diagnostic {
  span: Span;
  message: string;
  code: string;
  severity: Severity;
}

export interface LintContext {
  uri: string;
  model: FileModel;
  workspace: Workspace;
}

export interface Rule {
  code: string;
  /** What the rule reports, for documentation and settings. */
  message: string;
  severity: Severity;
  check(ctx: LintContext, report: (span: Span, message: string) => void): void;
}

const isVisibleGlobal = (ctx: LintContext, r: Reference): boolean =>
  r.candidates.some((c) => ctx.workspace.isDefined(ctx.uri, c));

/** Parameter count of the lambda a call's name denotes, when every definition agrees. */
function arityOf(ctx: LintContext, r: Reference): number | undefined {
  if (r.local) return r.local.lambda?.params.length;
  const res = ctx.workspace.resolve(ctx.uri, r);
  if (res === undefined || res.hits.length === 0) return undefined;
  const counts = new Set(res.hits.map((h) => h.def.lambda?.params.length ?? -1));
  const [only] = counts;
  return counts.size === 1 && only !== -1 ? only : undefined;
}

export const RULES: readonly Rule[] = [
  {
    code: "undefined-name",
    message: "a name that is not a q builtin, a local, or a global defined in this file, its sol.q or the workspace",
    severity: "warning",
    check(ctx, report) {
      for (const r of ctx.model.references) {
        if (r.write || r.local || r.inSql || isBuiltinName(r.name)) continue;
        if (!isVisibleGlobal(ctx, r)) report(r.span, `undefined name ${r.name} ('${r.name})`);
      }
    },
  },
  {
    code: "wrong-arg-count",
    message: "a lambda called with more arguments than it has parameters",
    severity: "error",
    check(ctx, report) {
      for (const c of ctx.model.calls) {
        const n = arityOf(ctx, c.ref);
        if (n !== undefined && c.argCount > n) {
          report(c.span, `${c.ref.name} takes ${n} argument${n === 1 ? "" : "s"} but is given ${c.argCount} ('rank)`);
        }
      }
    },
  },
  {
    code: "unused-param",
    message: "an explicit lambda parameter that the body never reads",
    severity: "hint",
    check(ctx, report) {
      const read = readDefinitions(ctx.model);
      for (const l of ctx.model.lambdas) {
        if (!l.explicit) continue;
        for (const p of l.params) if (!read.has(p)) report(p.span, `parameter ${p.name} is never used`);
      }
    },
  },
  {
    code: "unused-local",
    message: "a local assigned in a lambda but never read",
    severity: "warning",
    check(ctx, report) {
      const read = readDefinitions(ctx.model);
      for (const l of ctx.model.lambdas) {
        for (const d of l.locals.values())
          if (!read.has(d)) report(d.span, `local ${d.name} is assigned but never used`);
      }
    },
  },
  {
    code: "builtin-assign",
    message: "assignment to a q builtin name",
    severity: "error",
    check(ctx, report) {
      for (const r of ctx.model.references) {
        if (r.write && isReservedWord(r.name)) report(r.span, `cannot assign to the builtin ${r.name} ('assign)`);
      }
    },
  },
  {
    code: "solve-count",
    message: "a dataset test file (q_test_case_*.q) that does not call solve exactly once",
    severity: "warning",
    check(ctx, report) {
      if (!isTestFile(ctx.uri)) return;
      const calls = ctx.model.references.filter((r) => r.name === "solve" && !r.write && !r.local);
      if (calls.length === 1) return;
      const where = calls[1]?.span ?? { start: 0, end: Math.min(1, ctx.model.text.length) };
      report(where, `a test file must call solve exactly once; it calls it ${calls.length} times`);
    },
  },
];

const readCache = new WeakMap<FileModel, Set<unknown>>();

/** Locals and parameters that some reference reads (computed once per model). */
function readDefinitions(model: FileModel): Set<unknown> {
  let read = readCache.get(model);
  if (read === undefined) {
    read = new Set<unknown>();
    for (const r of model.references) if (!r.write && r.local) read.add(r.local);
    readCache.set(model, read);
  }
  return read;
}

/** Line number (0-based) of each offset, by binary search over line starts. */
export class LineMap {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  line(n: number): string {
    const end = n + 1 < this.starts.length ? this.starts[n + 1]! - 1 : this.text.length;
    return this.text.slice(this.starts[n], end);
  }
}

const IGNORE = /(?:^|\s)\/\s*qds-ignore\b([^/]*)$/;

/** The text of the line holding `offset`, and of the line above it. */
function linesAround(text: string, offset: number): { line: string; above: string | undefined } {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(start, end < 0 ? text.length : end);
  if (start === 0) return { line, above: undefined };
  return { line, above: text.slice(text.lastIndexOf("\n", start - 2) + 1, start - 1) };
}

/** Codes silenced at `offset`'s line: null for none, an empty set for all. */
function ignoredAt(text: string, offset: number): Set<string> | null {
  const { line, above } = linesAround(text, offset);
  const own = IGNORE.exec(line.trimEnd());
  if (own) return new Set(own[1]!.split(/[\s,]+/).filter(Boolean));
  if (above === undefined || !above.trimStart().startsWith("/")) return null;
  const m = IGNORE.exec(above.trimEnd());
  return m ? new Set(m[1]!.split(/[\s,]+/).filter(Boolean)) : null;
}

/** Syntax errors plus every enabled rule's findings, minus silenced ones. */
export function lint(ctx: LintContext, settings: Record<string, SeveritySetting> = {}): Diagnostic[] {
  const out: Diagnostic[] = ctx.model.errors.map((e) => ({
    span: { start: e.start, end: e.end },
    message: e.message,
    code: "syntax",
    severity: "error",
  }));
  for (const rule of RULES) {
    const severity = settings[rule.code] ?? rule.severity;
    if (severity === "off") continue;
    rule.check(ctx, (span, message) => {
      const ignored = ignoredAt(ctx.model.text, span.start);
      if (ignored !== null && (ignored.size === 0 || ignored.has(rule.code))) return;
      out.push({ span, message, code: rule.code, severity });
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
