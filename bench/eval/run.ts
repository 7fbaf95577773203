/**
 * Eval throughput: samples judged per second by `evaluate` on this machine.
 *
 * What is counted: one sample = extracting the q code from a completion and
 * running every test of its problem in the embedded engine's sandbox (a fresh
 * session per test, as `qds verify` runs it), judging each output, appending
 * the sample's line to samples.jsonl; from a completions file, so no model
 * time is included. Wall clock from the call to the returned summary.
 *
 * Data: the example dataset's problems that have a sol.q. Each gets n = 4
 * completions: two known-good (its sol.q in a ```q fence), one that does not
 * parse (the same code with its last brace missing) and one that answers
 * wrongly (solve redefined with eight parameters, so each call prints a
 * projection), so passing and failing samples both count. Baseline in the same run: `qds verify --force --no-python` over
 * the same problems (verifyDataset, same jobs and limits), in q test runs per
 * second; the ratio shows what the eval layer costs over plain verification.
 * Both sides must agree: every known-good sample passes exactly where verify
 * finds the problem valid, test by test.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { evaluate, type SampleRecord } from "../../server/src/eval";
import { embeddedEngine } from "../../server/src/verify/embedded";
import { verifyDataset } from "../../server/src/verify/verify";

const ROOT = resolve(__dirname, "../..");
const SOURCE = join(ROOT, "examples/dataset");
const JOBS = Number(process.env["QDS_BENCH_JOBS"] ?? availableParallelism());
const LIMITS = { timeoutMs: 10_000, memoryMb: 1024 };

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "qds-bench-eval-"));
  try {
    const dataset = join(work, "dataset");
    const names = readdirSync(SOURCE).filter((n) => existsSync(join(SOURCE, n, "sol.q")));
    for (const n of names) cpSync(join(SOURCE, n), join(dataset, n), { recursive: true });
    const rows: string[] = [];
    for (const n of names) {
      const sol = readFileSync(join(dataset, n, "sol.q"), "utf8").trimEnd();
      const good = `\`\`\`q\n${sol}\n\`\`\``;
      const noParse = `\`\`\`q\n${sol.replace(/\}([^}]*)$/, "$1")}\n\`\`\``;
      const wrong = `\`\`\`q\n${sol}\nsolve:{[a;b;c;d;e;f;g;h] 0}\n\`\`\``;
      for (const completion of [good, good, noParse, wrong]) rows.push(JSON.stringify({ task_id: n, completion }));
    }
    const file = join(work, "completions.jsonl");
    writeFileSync(file, `${rows.join("\n")}\n`);

    const engine = embeddedEngine();
    // Warm the worker pool once so neither side pays thread start-up alone.
    await engine.run("0N!1;", LIMITS);
    const t0 = performance.now();
    const summary = await evaluate({
      datasetDir: dataset,
      source: { kind: "completions", file },
      n: 4,
      k: [1],
      outDir: join(work, "out"),
      jobs: JOBS,
      engine,
      ...LIMITS,
    });
    const evalMs = performance.now() - t0;
    const records = readFileSync(join(work, "out", "samples.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as SampleRecord);
    const evalTests = records.reduce((s, r) => s + r.tests.length, 0);

    const t1 = performance.now();
    const verified = await verifyDataset(dataset, {
      engine,
      jobs: JOBS,
      ...LIMITS,
      force: true,
      python: false,
    });
    const verifyMs = performance.now() - t1;
    await engine.close();
    const verifyTests = verified.problems.reduce((s, p) => s + p.tests.length, 0);

    // Same result on both sides: a known-good sample passes test by test exactly where verify passes.
    const byProblem = new Map(verified.problems.map((p) => [p.name, p]));
    let disagreements = 0;
    for (const r of records.filter((x) => x.sample < 2)) {
      const v = byProblem.get(r.problem)!;
      const same =
        r.passed === (v.status === "valid") &&
        r.tests.every((t) => (t.class === "pass") === (v.tests.find((x) => x.n === t.n)?.status === "pass"));
      if (!same) {
        disagreements++;
        console.error(`disagree: ${r.problem} sample ${r.sample}: eval ${r.class}, verify ${v.status}`);
      }
    }
    const result = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
      jobs: JOBS,
      problems: names.length,
      samples: summary.samples,
      classes: summary.classes,
      eval_ms: Math.round(evalMs),
      samples_per_s: +(summary.samples / (evalMs / 1000)).toFixed(1),
      eval_q_runs: evalTests,
      eval_q_runs_per_s: +(evalTests / (evalMs / 1000)).toFixed(1),
      baseline_verify_q_runs: verifyTests,
      baseline_verify_ms: Math.round(verifyMs),
      baseline_verify_q_runs_per_s: +(verifyTests / (verifyMs / 1000)).toFixed(1),
      eval_vs_verify_per_q_run: +(evalTests / evalMs / (verifyTests / verifyMs)).toFixed(2),
      disagreements,
    };
    console.log(JSON.stringify(result, null, 2));
    if (disagreements > 0) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
