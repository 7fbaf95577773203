/**
 * sample / filter / stratify and the pipeline state: seeded sampling from
 * JSONL and Parquet shards (a Parquet file written at test time with
 * hyparquet-writer), the think-token filter with a real tokenizer.json,
 * balanced stratification, and the CLI resuming at the next stage.
 * (Hugging Face hub loading needs a network and is not tested here.)
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { filterByThinkTokens, nextStage, readState, sampleRows, stratify } from "../../../server/src/traces/stages";
import type { ChatRow } from "../../../server/src/traces/think";
import { loadTokenizer, whitespaceCounter } from "../../../server/src/traces/tokens";
import { writeTinyTokenizer } from "../../support/tiny-tokenizer";

const chat = (id: string, think: string, source: string): ChatRow => ({
  id,
  dataset_source: source,
  messages: [
    { role: "user", content: "q" },
    { role: "assistant", content: `<think>${think}</think>a` },
  ],
});

describe("traces: sample, filter, stratify", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-stages-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("samples reproducibly from a folder of JSONL and Parquet shards, ids assigned where missing", async () => {
    const shards = join(dir, "shards");
    mkdirSync(shards);
    const a = Array.from({ length: 20 }, (_, i) => JSON.stringify(chat(`a${i}`, "x", "s1"))).join("\n");
    writeFileSync(join(shards, "part-0.jsonl"), a);
    const { parquetWriteBuffer } = await import("hyparquet-writer");
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "dataset_source", data: Array.from({ length: 10 }, () => "s2"), type: "STRING" },
        { name: "text", data: Array.from({ length: 10 }, (_, i) => `row ${i}`), type: "STRING" },
      ],
    });
    writeFileSync(join(shards, "part-1.parquet"), Buffer.from(buf));
    const one = await sampleRows({ inputs: [shards], rows: 12, seed: 4 });
    const two = await sampleRows({ inputs: [shards], rows: 12, seed: 4 });
    assert.equal(one.length, 12);
    assert.deepEqual(
      one.map((r) => r.id),
      two.map((r) => r.id),
    );
    const all = await sampleRows({ inputs: [shards], rows: 100 });
    assert.equal(all.length, 30);
    assert.ok(all.some((r) => r.id === "part-1.parquet:3" && r["text"] === "row 3"));
    const other = await sampleRows({ inputs: [shards], rows: 12, seed: 5 });
    assert.notDeepEqual(
      other.map((r) => r.id),
      one.map((r) => r.id),
    );
  });

  it("filters by think tokens counted by the tokenizer, not by whitespace", async () => {
    const rows = [chat("a", "thethe cat", "s"), chat("b", "the cat", "s"), chat("c", "hello", "s")];
    const counter = await loadTokenizer(writeTinyTokenizer(join(dir, "tokenizer.json")));
    // "thethe cat" is 3 BPE tokens but 2 words; "hello" is 5 byte tokens but 1 word.
    const kept = filterByThinkTokens(rows, { counter, min: 3, max: 4 });
    assert.deepEqual(
      kept.map((r) => [r.id, r["think_tokens"]]),
      [["a", 3]],
    );
    const byWords = filterByThinkTokens(rows, { counter: whitespaceCounter, min: 2, max: 2 });
    assert.deepEqual(
      byWords.map((r) => r.id),
      ["a", "b"],
    );
  });

  it("stratifies evenly by source, giving a small source's unused share to the others", () => {
    const rows = [
      ...Array.from({ length: 50 }, (_, i) => chat(`m${i}`, "t", "math")),
      ...Array.from({ length: 3 }, (_, i) => chat(`s${i}`, "t", "science")),
      ...Array.from({ length: 50 }, (_, i) => chat(`c${i}`, "t", "code")),
    ];
    const out = stratify(rows, 21, "dataset_source", 1);
    const count = (s: string) => out.filter((r) => r["dataset_source"] === s).length;
    assert.deepEqual([count("math"), count("science"), count("code")], [9, 3, 9]);
    assert.deepEqual(stratify(rows, 21, "dataset_source", 1), out, "seeded");
  });

  it("the CLI runs the next stage not done, remembering options in pipeline_state.json", async () => {
    const input = join(dir, "in.jsonl");
    writeFileSync(
      input,
      Array.from({ length: 30 }, (_, i) =>
        JSON.stringify(chat(`r${i}`, "a b c".repeat(1 + (i % 3)), i % 2 ? "x" : "y")),
      ).join("\n"),
    );
    const run = join(dir, "run");
    const main = resolve(__dirname, "../../../server/src/cli/main.ts");
    const qds = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", main, "traces", ...args], { encoding: "utf8", timeout: 60_000 });
    const first = qds("--run", run, "--input", input, "--rows", "20", "--max-tokens", "4");
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /traces: sample/);
    const second = qds("--run", run);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /traces: filter/);
    const state = await readState(run);
    assert.deepEqual(Object.keys(state.done), ["sample", "filter"]);
    assert.equal(nextStage(state), "stratify");
    const filtered = readFileSync(join(run, "filtered.jsonl"), "utf8").trim().split("\n");
    assert.ok(filtered.length > 0 && filtered.length < 20);
    assert.ok(filtered.every((l) => (JSON.parse(l) as { think_tokens: number }).think_tokens <= 4));
  });
});
