/**
 * `qds eval` end to end: the built CLI (dist/cli.js) in a child process, the
 * real OpenAI SDK talking to the local wire stub (test/stubs/llm-stub.ts),
 * the embedded q engine judging every sample. Only the model is a stand-in.
 *
 * The dataset is three hand-written problems in the Q-HumanEval layout (q
 * tests call `solve`, entry.json names the prompt's function in
 * `q_function`; `third` has an abs_tolerance test). The stub answers each
 * request with the next scripted completion for the problem the prompt is
 * about, counting the completions the run has already written to
 * completions.jsonl, so what sample s of a problem receives is fixed even
 * across a kill. Scripted per problem (sample 0..3):
 *   add    good, good (bare), good (after <think>), wrong          c = 3
 *   rev    good, no code (prose), parse error, good                c = 2
 *   third  'type, timeout, wrong, no q (python fence)              c = 0
 * Hand-computed with pass@k = 1 - C(n-c,k)/C(n,k), n = 4:
 *   pass@1: 3/4, 2/4, 0 → mean 5/12;  pass@2: 1, 1 - 1/6, 0 → mean 11/18.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EvalSummary, SampleRecord } from "../../../server/src/eval";
import { type Recorded, type Step, StubServer } from "../../stubs/llm-stub";
import { ensureBuilt } from "../lsp/client";

const ROOT = resolve(__dirname, "../../..");
const CLI = join(ROOT, "dist/cli.js");

const PROBLEMS: Record<
  string,
  { fn: string; header: string; tests: [string, string][]; tol?: Record<string, number> }
> = {
  add_1: {
    fn: "add",
    header: "add:{[x;y]",
    tests: [
      ["0N!solve[1;2];", "3"],
      ["0N!solve[-5;5];", "0"],
    ],
  },
  rev_2: {
    fn: "rev",
    header: "rev:{[x]",
    tests: [
      ['0N!solve["abc"];', "'cba'"],
      ['0N!solve["ab"];', "'ba'"],
    ],
  },
  third_3: {
    fn: "third",
    header: "third:{[x]",
    tests: [
      ["\\P 0\n0N!solve[1.0];", "0.33333333"],
      ["0N!solve[3.0];", "1.0"],
    ],
    tol: { "1": 1e-6 },
  },
};

const fence = (code: string) => `Here you go:\n\`\`\`q\n${code}\n\`\`\`\n`;
const COMPLETIONS: Record<string, string[]> = {
  add: [
    fence("add:{[x;y] x+y}"),
    "add:{[x;y] y+x}",
    `<think>q adds atoms with +; a fence like \`\`\`q\nadd:{[x;y] 0}\n\`\`\` would be wrong</think>\n${fence("add:{[x;y] x+y}")}`,
    fence("add:{[x;y] x-y}"),
  ],
  rev: [
    fence("rev:{[x] reverse x}"),
    "I am sorry, I cannot write q.",
    fence("rev:{[x] reverse x"),
    fence("/ reverse a string\nrev:{[x]\n  reverse x}"),
  ],
  third: [
    fence("third:{[x] x+`a}"),
    fence("third:{[x] while[1b;]; x}"),
    fence("third:{[x] x%4}"),
    "```python\ndef third(x):\n    return x / 3\n```",
  ],
};

function makeDataset(): string {
  const dir = mkdtempSync(join(tmpdir(), "qds-eval-"));
  for (const [name, p] of Object.entries(PROBLEMS)) {
    const at = join(dir, name);
    mkdirSync(at);
    const entry: Record<string, unknown> = { id: name, task_id: name, q_function: p.fn };
    if (p.tol) entry["abs_tolerance"] = p.tol;
    writeFileSync(join(at, "entry.json"), JSON.stringify(entry));
    writeFileSync(
      join(at, "problem_description.txt"),
      `// @overview\n// ${p.fn}\n${p.header}\n    / function body\n    }\n`,
    );
    p.tests.forEach(([q, ans], i) => {
      writeFileSync(join(at, `q_test_case_${i + 1}.q`), `${q}\n`);
      writeFileSync(join(at, `test_case_${i + 1}_correct_ans.txt`), `${ans}\n`);
    });
  }
  return dir;
}

function lines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as T];
      } catch {
        return [];
      }
    });
}

/** The function the prompt asks for, from the request's user message. */
function fnOf(r: Recorded): string | undefined {
  const msgs = r.body["messages"] as Array<{ role: string; content: string }> | undefined;
  return /Write the q function `(\w+)`/.exec(msgs?.[msgs.length - 1]?.content ?? "")?.[1];
}

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}
function finish(p: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    let out = "";
    let err = "";
    p.stdout!.on("data", (d) => (out += d));
    p.stderr!.on("data", (d) => (err += d));
    p.on("close", (code) => res({ code, out, err }));
  });
}

/** The summary without its timing, for run-to-run equality. */
function stable(s: EvalSummary): Omit<EvalSummary, "elapsed_ms"> {
  const { elapsed_ms: _t, ...rest } = s;
  return rest;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

describe("qds eval end to end (built CLI, OpenAI SDK against the wire stub, embedded q)", function () {
  this.timeout(120_000);
  before(() => ensureBuilt());
  let stub: StubServer;
  let dataset: string;
  let out: string;
  beforeEach(async () => {
    stub = await StubServer.start("openai-chat");
    dataset = makeDataset();
    out = mkdtempSync(join(tmpdir(), "qds-eval-out-"));
    stub.respond = (r): Step => {
      const fn = fnOf(r);
      if (fn === undefined || COMPLETIONS[fn] === undefined) return { status: 400, body: '{"error":{"message":"?"}}' };
      const have = lines<{ task_id: string }>(join(out, "completions.jsonl")).filter(
        (c) => PROBLEMS[c.task_id]?.fn === fn,
      ).length;
      return { reply: COMPLETIONS[fn]![have % 4]! };
    };
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dataset, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  const args = (extra: string[] = []) => [
    "eval",
    dataset,
    "--out",
    out,
    "--provider",
    "openai-compatible",
    "--base-url",
    stub.baseUrl,
    "--model",
    "stub-model",
    "--n",
    "4",
    "--k",
    "1,2",
    "--concurrency",
    "1",
    "--timeout",
    "1",
    "--llm-timeout",
    "1",
    "--backoff-ms",
    "5",
    ...extra,
  ];

  it("matches the hand-computed pass@k and error classes, surviving 429, 503 and a stalled request", async () => {
    stub.push({ status: 429, headers: { "retry-after": "0" } }, { status: 503 }, { stall: true });
    const r = await finish(run(args(["--stop", "###", "--temperature", "0.8", "--max-tokens", "300"])));
    assert.equal(r.code, 0, r.err + r.out);
    const sent = stub.requests[stub.requests.length - 1]!.body;
    assert.deepEqual([sent["stop"], sent["temperature"], sent["max_tokens"]], [["###"], 0.8, 300]);
    assert.match(r.err, /\[12\/12\] passed 5, .* samples\/s, ETA 0:00/);
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as EvalSummary;
    assert.ok(close(s.pass_at_k["1"]!.value, 5 / 12), `pass@1 ${s.pass_at_k["1"]!.value}`);
    assert.ok(close(s.pass_at_k["2"]!.value, 11 / 18), `pass@2 ${s.pass_at_k["2"]!.value}`);
    const per = Object.fromEntries(s.per_problem.map((p) => [p.problem, p]));
    assert.deepEqual(Object.fromEntries(Object.entries(per).map(([k, p]) => [k, p.c])), {
      add_1: 3,
      rev_2: 2,
      third_3: 0,
    });
    assert.ok(close(per["rev_2"]!.pass_at_k["2"]!, 5 / 6));
    assert.deepEqual(s.classes, { pass: 5, wrong_answer: 2, no_code: 2, parse_error: 1, runtime_error: 1, timeout: 1 });
    const [lo, hi] = s.pass_at_k["1"]!.ci;
    assert.ok(lo <= 5 / 12 && 5 / 12 <= hi && lo < hi, `CI ${lo} ${hi}`);
    // 12 samples, each asked once, plus the three failed attempts of the first.
    assert.equal(stub.requests.length, 15);
    const samples = lines<SampleRecord>(join(out, "samples.jsonl"));
    assert.equal(samples.length, 12);
    const typeError = samples.find((x) => x.class === "runtime_error")!;
    assert.equal(typeError.error, "'type");
    const third = samples.filter((x) => x.problem === "third_3" && x.class === "wrong_answer");
    assert.equal(third.length, 1, "x%4 is the only wrong answer for third (x%3 passes within the tolerance)");
    assert.match(r.out, /pass@1 {2}41\.7%/);
  });

  it("after kill -9 a second run finishes the rest and writes the same summary, asking the model only for what is missing", async () => {
    const first = run(args());
    const exited = finish(first);
    const deadline = Date.now() + 60_000;
    while (lines(join(out, "samples.jsonl")).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    first.kill("SIGKILL");
    const killed = await exited;
    assert.equal(killed.code, null, "the first run ended before it was killed");
    const judgedAtKill = lines(join(out, "samples.jsonl")).length;
    assert.ok(judgedAtKill >= 3 && judgedAtKill < 12, `judged at kill: ${judgedAtKill}`);
    const r = await finish(run(args()));
    assert.equal(r.code, 0, r.err + r.out);
    const resumed = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as EvalSummary;
    // Every sample judged once, and every completion asked for once, except the one request that may
    // have been in flight at the kill: its answer never reached samples.jsonl, so it is asked again.
    assert.equal(lines(join(out, "samples.jsonl")).length, 12);
    assert.ok(
      stub.requests.length === 12 || stub.requests.length === 13,
      `model requests: ${stub.requests.length} (12, or 13 with one in flight at the kill)`,
    );

    const clean = mkdtempSync(join(tmpdir(), "qds-eval-clean-"));
    try {
      const savedOut = out;
      out = clean;
      const c = await finish(run(args()));
      out = savedOut;
      assert.equal(c.code, 0, c.err);
      const uninterrupted = JSON.parse(readFileSync(join(clean, "summary.json"), "utf8")) as EvalSummary;
      assert.deepEqual(stable(resumed), stable(uninterrupted));
    } finally {
      rmSync(clean, { recursive: true, force: true });
    }
  });

  it("bad input is one line naming it, exit 2, no stack trace", async () => {
    const missing = join(out, "no-such-dataset");
    const r = await finish(run(["eval", missing, "--out", join(out, "x"), "--completions", join(out, "none.jsonl")]));
    assert.equal(r.code, 2);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.match(r.err, /no-such-dataset/);
    const k = await finish(
      run(["eval", dataset, "--out", join(out, "y"), "--completions", "f", "--n", "2", "--k", "5"]),
    );
    assert.equal(k.code, 2);
    assert.match(k.err, /pass@5 needs --n >= 5/);
  });

  it("--dry-run counts calls without asking the model; a completions file is judged the same way", async () => {
    const dry = await finish(run(args(["--dry-run"])));
    assert.equal(dry.code, 0, dry.err);
    assert.match(
      dry.out,
      /3 problems × 4 samples with openai-compatible\/stub-model: 0 judged already, 12 model calls/,
    );
    assert.equal(stub.requests.length, 0);

    // The same completions, in the two accepted formats, without a model.
    const file = join(out, "..", `${out.split("/").pop()}-completions.jsonl`);
    const rows: string[] = [];
    for (const [name, p] of Object.entries(PROBLEMS)) {
      for (const [sample, completion] of COMPLETIONS[p.fn]!.entries()) {
        const row =
          sample % 2 === 0
            ? { task_id: name, completion }
            : { task_id: name, sample, completion, model: "elsewhere", finish_reason: "stop" };
        rows.push(JSON.stringify(row));
      }
    }
    // Order matters for the simple format (file order numbers the samples): keep sample order per task.
    writeFileSync(file, `${rows.join("\n")}\n`);
    try {
      const r = await finish(
        run([
          "eval",
          dataset,
          "--out",
          join(out, "from-file"),
          "--completions",
          file,
          "--n",
          "4",
          "--k",
          "1,2",
          "--timeout",
          "1",
        ]),
      );
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(readFileSync(join(out, "from-file", "summary.json"), "utf8")) as EvalSummary;
      assert.ok(close(s.pass_at_k["1"]!.value, 5 / 12));
      assert.ok(close(s.pass_at_k["2"]!.value, 11 / 18));
    } finally {
      rmSync(file, { force: true });
    }
  });
});
