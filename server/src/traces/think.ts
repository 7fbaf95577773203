/**
 * Chat rows and their think blocks: finding the last assistant message, its
 * `<think>…</think>` block, and splitting a rewritten think text into
 * steering and execution sections.
 *
 * The section parser is a single left-to-right scan over the tags
 * `<steer>`/`<steering>` and `<exec>`/`<execution>` (the spellings the seed's
 * data uses) and their closers. It never stops at the first problem: every
 * violation is collected with its character offset, so validation can report
 * them all. Offsets are into the think text; `validate.ts` turns them into
 * positions in the message.
 */

export interface ChatRow {
  id?: unknown;
  messages?: unknown;
  [field: string]: unknown;
}

export interface Message {
  role: string;
  content: string;
}

/** The row's messages, or undefined when `messages` is not a list of {role, content} strings. */
export function messagesOf(row: ChatRow): Message[] | undefined {
  const m = row.messages;
  if (!Array.isArray(m)) return undefined;
  const out: Message[] = [];
  for (const x of m) {
    if (x === null || typeof x !== "object") return undefined;
    const { role, content } = x as { role?: unknown; content?: unknown };
    if (typeof role !== "string" || typeof content !== "string") return undefined;
    out.push({ role, content });
  }
  return out;
}

export function lastAssistantIndex(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === "assistant") return i;
  return -1;
}

export interface ThinkBlock {
  /** Inner text of the block. */
  text: string;
  /** Offsets in the message content: the block's `<think>` and just after its `</think>`, and the inner span. */
  outerStart: number;
  outerEnd: number;
  innerStart: number;
  innerEnd: number;
}

const OPEN_THINK = "<think>";
const CLOSE_THINK = "</think>";

/** All think blocks of a message; `unclosed` is the offset of a `<think>` with no closer. */
export function thinkBlocks(content: string): { blocks: ThinkBlock[]; unclosed?: number; strayClose?: number } {
  const blocks: ThinkBlock[] = [];
  let at = 0;
  for (;;) {
    const open = content.indexOf(OPEN_THINK, at);
    const close = content.indexOf(CLOSE_THINK, at);
    if (open < 0) return close < 0 ? { blocks } : { blocks, strayClose: close };
    if (close >= 0 && close < open) return { blocks, strayClose: close };
    const innerStart = open + OPEN_THINK.length;
    const end = content.indexOf(CLOSE_THINK, innerStart);
    if (end < 0) return { blocks, unclosed: open };
    blocks.push({
      text: content.slice(innerStart, end),
      outerStart: open,
      outerEnd: end + CLOSE_THINK.length,
      innerStart,
      innerEnd: end,
    });
    at = end + CLOSE_THINK.length;
  }
}

/** The think text of a row's last assistant message (the first block), or undefined. */
export function thinkOf(row: ChatRow): string | undefined {
  const messages = messagesOf(row);
  if (!messages) return undefined;
  const i = lastAssistantIndex(messages);
  if (i < 0) return undefined;
  return thinkBlocks(messages[i]!.content).blocks[0]?.text;
}

/** A copy of `row` whose last assistant message has its (first) think block's inner text replaced. */
export function withThink(row: ChatRow, text: string): ChatRow {
  const messages = messagesOf(row);
  if (!messages) throw new Error("row has no messages");
  const i = lastAssistantIndex(messages);
  const block = i < 0 ? undefined : thinkBlocks(messages[i]!.content).blocks[0];
  if (!block) throw new Error("row has no think block in its last assistant message");
  const c = messages[i]!.content;
  const copy = messages.map((m) => ({ ...m }));
  copy[i]!.content = `${c.slice(0, block.innerStart)}${text}${c.slice(block.innerEnd)}`;
  return { ...row, messages: copy };
}

export type SectionKind = "steer" | "exec";

export interface Section {
  kind: SectionKind;
  /** Inner text span in the think text, [start, end). */
  start: number;
  end: number;
  text: string;
}

export type RuleCode =
  | "no-assistant"
  | "think-count"
  | "unclosed-tag"
  | "stray-close"
  | "mismatched-close"
  | "nested-section"
  | "unpaired"
  | "empty-section"
  | "no-sections"
  | "outside-text";

export interface Violation {
  rule: RuleCode;
  message: string;
  /** Offset in the think text (or in the message, for no-assistant/think-count). */
  offset: number;
}

/** Tag spelling → kind. The seed's data uses both spellings. */
const TAGS: Record<string, SectionKind> = { steer: "steer", steering: "steer", exec: "exec", execution: "exec" };
const TAG = /<(\/?)(steering|steer|execution|exec)>/g;

/**
 * Splits a rewritten think text into sections. Rules: every opener is closed
 * by the same spelling before the next opener; no text but whitespace outside
 * sections; sections alternate steer, exec, steer, exec … (matched pairs);
 * no section is empty; at least one pair.
 */
export function parseSections(think: string): { sections: Section[]; violations: Violation[] } {
  const sections: Section[] = [];
  const violations: Violation[] = [];
  const outside = (from: number, to: number) => {
    const gap = think.slice(from, to);
    const m = /\S/.exec(gap);
    if (m) {
      const word = gap.trim().slice(0, 30);
      violations.push({
        rule: "outside-text",
        message: `text outside any steer/exec section: "${word}"`,
        offset: from + m.index,
      });
    }
  };
  let open: { spelling: string; at: number; innerStart: number } | undefined;
  let last = 0;
  for (const m of think.matchAll(TAG)) {
    const at = m.index;
    const closing = m[1] === "/";
    const spelling = m[2]!;
    if (!closing) {
      if (open) {
        violations.push({
          rule: "nested-section",
          message: `<${spelling}> opened inside <${open.spelling}> (opened at ${open.at})`,
          offset: at,
        });
        continue;
      }
      outside(last, at);
      open = { spelling, at, innerStart: at + m[0].length };
      continue;
    }
    if (!open) {
      violations.push({ rule: "stray-close", message: `</${spelling}> with no open section`, offset: at });
      last = at + m[0].length;
      continue;
    }
    if (spelling !== open.spelling) {
      violations.push({
        rule: "mismatched-close",
        message: `<${open.spelling}> (at ${open.at}) closed by </${spelling}>`,
        offset: at,
      });
    }
    const text = think.slice(open.innerStart, at);
    sections.push({ kind: TAGS[open.spelling]!, start: open.innerStart, end: at, text });
    if (!/\S/.test(text)) {
      violations.push({ rule: "empty-section", message: `empty <${open.spelling}> section`, offset: open.at });
    }
    open = undefined;
    last = at + m[0].length;
  }
  if (open) {
    violations.push({ rule: "unclosed-tag", message: `<${open.spelling}> is never closed`, offset: open.at });
    // Counted as a section to the end, so pairing is judged on what the writer meant.
    const text = think.slice(open.innerStart);
    sections.push({ kind: TAGS[open.spelling]!, start: open.innerStart, end: think.length, text });
  } else {
    outside(last, think.length);
  }
  if (sections.length === 0) {
    violations.push({ rule: "no-sections", message: "no steer/exec sections", offset: 0 });
  }
  sections.forEach((s, i) => {
    const want: SectionKind = i % 2 === 0 ? "steer" : "exec";
    if (s.kind !== want) {
      violations.push({
        rule: "unpaired",
        message: `section ${i + 1} is ${s.kind}, expected ${want} (sections alternate steer, exec)`,
        offset: s.start,
      });
    }
  });
  if (sections.length % 2 === 1 && sections.at(-1)!.kind === "steer") {
    const s = sections.at(-1)!;
    violations.push({ rule: "unpaired", message: "the last steer section has no exec after it", offset: s.start });
  }
  violations.sort((a, b) => a.offset - b.offset);
  return { sections, violations };
}

/** Steering sections counted leniently (the row list's estimate before validation). */
export function countSteering(think: string): number {
  let n = 0;
  for (const m of think.matchAll(TAG)) if (m[1] === "" && TAGS[m[2]!] === "steer") n++;
  return n;
}
