/** Rows and replies for the transform tests: chat rows with think blocks, and a model's well-formed rewrite. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What a well-behaved model would answer: each sentence of the reasoning as a steer/exec pair. */
export function rewriteReply(prompt: string): string {
  const think = /<reasoning>\n([\s\S]*?)\n<\/reasoning>/.exec(prompt)?.[1] ?? "";
  return think
    .split(/(?<=\.)\s+/)
    .filter((s) => s.trim())
    .map((s) => `<steer>Next: ${s}</steer>\n<exec>${s}</exec>`)
    .join("\n");
}

export function writeRows(dir: string, n: number): string[] {
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `row${i}`;
    ids.push(id);
    const think = `Consider case ${i}. Compute the total. Check the result.`;
    lines.push(
      JSON.stringify({
        id,
        dataset_source: i % 2 ? "math" : "code",
        messages: [
          { role: "user", content: `problem ${i}` },
          { role: "assistant", content: `<think>${think}</think>Answer ${i}.` },
        ],
      }),
    );
  }
  writeFileSync(join(dir, "stratified.jsonl"), `${lines.join("\n")}\n`);
  return ids;
}

export function transformedIds(dir: string): string[] {
  const file = join(dir, "transformed.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { id: string }).id);
}
