/**
 * A tiny byte-level BPE tokenizer.json, built at test time in the format the
 * Hugging Face tokenizers library writes (GPT-2 byte-to-unicode alphabet,
 * ByteLevel pre-tokenizer, a handful of merges), so token counts in tests
 * come from the real tokenizer library and differ from a whitespace split.
 */
import { writeFileSync } from "node:fs";

function bytesToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i]!)]));
}

/** Merges: "the" and "Ġcat" become single tokens; everything else stays bytes. */
export const TINY_MERGES = ["t h", "th e", "Ġ c", "Ġc a", "Ġca t"];

export function tinyTokenizerJson(): object {
  const vocab: Record<string, number> = {};
  for (const ch of bytesToUnicode().values()) vocab[ch] = Object.keys(vocab).length;
  for (const m of TINY_MERGES) vocab[m.replace(" ", "")] = Object.keys(vocab).length;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: TINY_MERGES,
    },
  };
}

export function writeTinyTokenizer(path: string): string {
  writeFileSync(path, JSON.stringify(tinyTokenizerJson()));
  return path;
}
