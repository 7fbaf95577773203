/**
 * A small price table for cost estimates, in US dollars per million tokens
 * (input, output), from the providers' public list prices as of mid-2025.
 * Models are matched by the longest table prefix, so dated snapshots
 * ("claude-sonnet-4-20250514") find their family; anything else, local
 * models included, is "unknown" rather than a guess.
 */
import type { Usage } from "./types";

//                                  input  output   (USD / 1M tokens)
const PRICES: Record<string, readonly [number, number]> = {
  "gpt-4o-mini": [0.15, 0.6],
  "gpt-4o": [2.5, 10],
  "gpt-4.1-nano": [0.1, 0.4],
  "gpt-4.1-mini": [0.4, 1.6],
  "gpt-4.1": [2, 8],
  "o3-mini": [1.1, 4.4],
  "o4-mini": [1.1, 4.4],
  o3: [2, 8],
  "claude-3-5-haiku": [0.8, 4],
  "claude-3-5-sonnet": [3, 15],
  "claude-3-7-sonnet": [3, 15],
  "claude-sonnet-4": [3, 15],
  "claude-opus-4": [15, 75],
  "gemini-2.0-flash": [0.1, 0.4],
  "gemini-2.5-flash": [0.3, 2.5],
  "gemini-2.5-pro": [1.25, 10],
};

export type Cost = { usd: number } | "unknown";

export function priceOf(model: string): readonly [number, number] | undefined {
  const m = model.toLowerCase().replace(/^models\//, "");
  let best: string | undefined;
  for (const prefix of Object.keys(PRICES)) {
    if (m.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : PRICES[best];
}

export function estimateCost(model: string, usage: Usage): Cost {
  const p = priceOf(model);
  if (p === undefined) return "unknown";
  return { usd: (usage.inputTokens * p[0] + usage.outputTokens * p[1]) / 1e6 };
}

export function addCost(a: Cost, b: Cost): Cost {
  return a === "unknown" || b === "unknown" ? "unknown" : { usd: a.usd + b.usd };
}

/** Rough token count for planning (dry runs, the limiter's reservation): ~4 characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
