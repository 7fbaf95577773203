/**
 * Think-token counting: exact with the target model's tokenizer.json (read
 * by @huggingface/tokenizers, pure JS), or a whitespace-split estimate when
 * no tokenizer is given, which every figure then labels as an estimate.
 * Special tokens are not added: the count is of the think text itself.
 */
import { readFile } from "node:fs/promises";
import { Tokenizer } from "@huggingface/tokenizers";

export interface TokenCounter {
  /** Path of the tokenizer.json, or null for the whitespace estimate. */
  readonly source: string | null;
  readonly exact: boolean;
  count(text: string): number;
}

export const whitespaceCounter: TokenCounter = {
  source: null,
  exact: false,
  count: (text) => (text.match(/\S+/g) ?? []).length,
};

/** Loads `tokenizer.json` (and `tokenizer_config.json` beside it when present). */
export async function loadTokenizer(path: string): Promise<TokenCounter> {
  let json: object;
  try {
    json = JSON.parse(await readFile(path, "utf8")) as object;
  } catch (e) {
    throw new Error(`${path}: cannot read tokenizer (${(e as Error).message})`);
  }
  let config: object = {};
  try {
    config = JSON.parse(await readFile(path.replace(/tokenizer\.json$/, "tokenizer_config.json"), "utf8")) as object;
  } catch {
    // No config beside it: the tokenizer's own defaults.
  }
  const tok = new Tokenizer(json, config);
  return {
    source: path,
    exact: true,
    count: (text) => tok.encode(text, { add_special_tokens: false }).ids.length,
  };
}
