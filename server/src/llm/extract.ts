/**
 * Pulling q code out of a model's reply. Order of preference: a fenced block
 * tagged q (or k/kdb), then any fenced block, then the whole reply with stray
 * fence lines removed (a reply that opened a fence and was cut off by the
 * token limit lands here). Within a tier the first block that passes the
 * caller's `accept` check wins, which is how a reply whose q block is an
 * aside ("the bug was `x#y`") still yields the full solution after it.
 *
 * A reply with nothing acceptable (prose, an apology, a Python echo) is a
 * failure with a reason, never an empty file.
 */
import { solveCalls } from "../dataset/format";

export type Extraction =
  | { ok: true; code: string; from: "q-fence" | "any-fence" | "bare" }
  | { ok: false; reason: string };

const FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/gm;
const Q_TAGS = new Set(["q", "k", "kdb", "kdb+", "q-lang"]);

export function extractCode(reply: string, accept: (code: string) => boolean = (c) => c.length > 0): Extraction {
  const blocks = [...reply.matchAll(FENCE)].map((m) => ({ tag: (m[2] ?? "").toLowerCase(), code: m[3]!.trim() }));
  const q = blocks.find((b) => Q_TAGS.has(b.tag) && accept(b.code));
  if (q) return { ok: true, code: q.code, from: "q-fence" };
  const any = blocks.find((b) => accept(b.code));
  if (any) return { ok: true, code: any.code, from: "any-fence" };
  if (blocks.length === 0) {
    const bare = reply
      .split("\n")
      .filter((l) => !/^[ \t]*(`{3,}|~{3,})/.test(l))
      .join("\n")
      .trim();
    if (bare.length > 0 && accept(bare)) return { ok: true, code: bare, from: "bare" };
  }
  const why = blocks.length === 0 ? "no code block" : `${blocks.length} code block(s), none usable`;
  return { ok: false, reason: `reply has no usable q code (${why})` };
}

/** A solution must define `solve` (`solve:{…}` at the start of a line). */
export const definesSolve = (code: string): boolean => /^solve\s*:/m.test(code);

/** A test must mention `solve` exactly once, by the same rule `qds verify` applies (dataset/format.ts). */
export const callsSolveOnce = (code: string): boolean => solveCalls(code).length === 1;
