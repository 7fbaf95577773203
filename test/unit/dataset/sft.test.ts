/**
 * SFT export: only problems the cache holds as valid (and fresh), both
 * formats rendered from the real prompts/ templates, seeded deterministic
 * splits (byte-identical for a seed), stratification and the stats file.
 */
import { strict as assert } from "node:assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROBLEM_FORMAT_VERSION } from "../../../server/src/dataset/format";
import { statProblemFiles, statSignature } from "../../../server/src/dataset/load";
import { mulberry32 } from "../../../server/src/dataset/random";
import { exportSft, loadTemplate, render, type SftOptions } from "../../../server/src/dataset/sft";
import { CacheWriter } from "../../../server/src/verify/cache";
import { JUDGE_VERSION } from "../../../server/src/verify/equivalence";
import { problem, tempDir, writeProblem } from "./helpers";

const PROMPTS = resolve(__dirname, "../../../prompts");
const DIFFICULTIES = ["Easy", "Medium", "Hard"];

describe("export sft", () => {
  let root: string;
  let ds: string;
  const opts = (out: string, extra: Partial<SftOptions> = {}): SftOptions => ({
    out: join(root, out),
    format: "prompt-completion",
    testRatio: 0.25,
    seed: 42,
    promptsDir: PROMPTS,
    ...extra,
  });
  const read = (dir: string, file: string) => readFileSync(join(root, dir, file), "utf8");

  before(async () => {
    root = tempDir("sft");
    ds = join(root, "ds");
    const writer = new CacheWriter(ds, new Map());
    for (let k = 0; k < 24; k++) {
      const name = `p${String(k).padStart(2, "0")}`;
      const entry = JSON.stringify({
        id: k,
        slug: `problem-${k}`,
        title: `Problem ${k}`,
        difficulty: DIFFICULTIES[k % 3],
      });
      const dir = writeProblem(ds, name, problem({ "entry.json": entry, "sol.q": `solve:{[a;b] a+b+${k}-${k}}\n` }));
      // Every fourth problem is failing; the rest verified valid.
      writer.set(name, {
        fingerprint: "x",
        statSignature: statSignature(statProblemFiles(dir)),
        engine: "e",
        judge: JUDGE_VERSION,
        format: PROBLEM_FORMAT_VERSION,
        status: k % 4 === 3 ? "failing" : "valid",
        tests: [],
        verifiedAt: "",
      });
    }
    writeProblem(ds, "zz-untested", problem());
    await writer.flush();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("exports only valid problems, in prompt/completion records", async () => {
    const stats = await exportSft(ds, opts("a"));
    assert.equal(stats.splits.train.count + stats.splits.test.count, 18);
    assert.equal(stats.splits.test.count, 5);
    assert.equal(stats.skipped.notValid, 7);
    const rows = read("a", "train.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(rows[0]), ["prompt", "completion"]);
    assert.match(rows[0].prompt, /^Solve the following problem in q\./);
    assert.match(rows[0].prompt, /Problem: Problem \d+ \((Easy|Medium|Hard)\)/);
    assert.match(rows[0].prompt, /```python\nclass Solution:/);
    assert.match(rows[0].completion, /^```q\nsolve:\{\[a;b\] a\+b\+(\d+)-\1\}\n```$/);
    const ids = [...stats.splits.train.ids, ...stats.splits.test.ids];
    assert.ok(!ids.includes("p03") && !ids.includes("zz-untested"));
  });

  it("is byte-identical for the same seed and differs for another", async () => {
    await exportSft(ds, opts("s1"));
    await exportSft(ds, opts("s2"));
    await exportSft(ds, opts("s3", { seed: 7 }));
    for (const f of ["train.jsonl", "test.jsonl", "dataset_stats.json"]) assert.equal(read("s1", f), read("s2", f));
    assert.notEqual(read("s1", "test.jsonl"), read("s3", "test.jsonl"));
  });

  it("stratifies by difficulty and writes the chat format", async () => {
    const stats = await exportSft(ds, opts("c", { format: "chat", stratify: "difficulty", testRatio: 1 / 3 }));
    assert.deepEqual(stats.splits.test.byDifficulty, { Easy: 2, Hard: 2, Medium: 2 });
    assert.deepEqual(stats.splits.train.byDifficulty, { Easy: 4, Hard: 4, Medium: 4 });
    const row = JSON.parse(read("c", "test.jsonl").split("\n")[0]!);
    assert.deepEqual(
      row.messages.map((m: { role: string }) => m.role),
      ["system", "user", "assistant"],
    );
    assert.match(row.messages[0].content, /q \(kdb\+\) programmer/);
    const saved = JSON.parse(read("c", "dataset_stats.json"));
    assert.equal(saved.stratify, "difficulty");
    assert.ok(saved.splits.train.estTokens.total > saved.splits.train.count * 50);
  });

  it("names the template file and line of an unknown placeholder", () => {
    const file = join(root, "bad.md");
    writeFileSync(file, "<!-- doc -->\nline one\n{{nope}}\n");
    assert.throws(
      () => render(loadTemplate(root, "bad.md"), {}),
      new RegExp(`${file}:3: unknown placeholder \\{\\{nope\\}\\}`),
    );
  });

  it("has a seeded PRNG that repeats", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1) && new Set(xs).size === 5);
  });
});
