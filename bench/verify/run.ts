/**
 * Verify benchmark: `qds verify` (embedded engine, one worker-thread session
 * per test) against the original pipeline's shape (one `q script.q` process
 * per test, played here by `qds q`), both over the q side only, both with
 * the same parallelism.
 *
 * The dataset is examples/dataset replicated under new folder names up to
 * --problems (default 1,000) in a temp folder. The process-per-test side runs
 * on the first --sample problems (default 100) only, to keep it bounded, and
 * its tests/s is extrapolated from that sample. Also reported: how
 * `qds verify`'s core time (wall × jobs) splits into q evaluation (the same
 * scripts timed in one in-process session), sandbox overhead (worker start
 * and teardown: time inside engine.run minus evaluation) and orchestration
 * (file reading, hashing, comparison, cache, scheduling gaps).
 * Prints a table; writes bench/out/verify.json.
 *
 *   npm run bench:verify [-- --problems 1000 --sample 100 --jobs 2]
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command, integer, parseScriptArgs } from "../../server/src/cli/args";
import { writeFileAtomic } from "../../server/src/dataset/fsx";
import { bundleNode } from "../../test/support/bundle";

const ROOT = resolve(__dirname, "../..");
const SOURCE = join(ROOT, "examples/dataset");
const TIMEOUT_MS = 10_000;

const opts = parseScriptArgs<{ problems: number; sample: number; jobs: number }>(
  new Command("bench:verify")
    .description("qds verify against one q process per test.")
    .option("--problems <n>", "problems in the generated dataset", integer(1), 1000)
    .option("--sample <n>", "problems the per-process baseline runs", integer(1), 100)
    .option("--jobs <n>", "parallel jobs on both sides", integer(1), availableParallelism()),
).opts;
const { problems, jobs } = opts;
const sample = Math.min(problems, opts.sample);

/** Copies the example problems that have a q solution, round-robin under new names, `count` in all. */
function replicate(into: string, count: number): void {
  const names = readdirSync(SOURCE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .map((d) => d.name)
    .filter((n) => readdirSync(join(SOURCE, n)).includes("sol.q"))
    .sort();
  if (names.length === 0) throw new Error(`${SOURCE}: no problem with a sol.q to replicate`);
  mkdirSync(into, { recursive: true });
  for (let k = 0; k < count; k++) {
    const name = names[k % names.length]!;
    cpSync(join(SOURCE, name), join(into, `${String(k).padStart(5, "0")}-${name}`), { recursive: true });
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "qds-bench-verify-"));
  try {
    const bin = join(tmp, "bin");
    await bundleNode(
      [
        ["bench/verify/measure.ts", "measure.js"],
        ["server/src/q/worker.ts", "qworker.js"],
        ["server/src/cli/main.ts", "cli.js"],
        ["bench/verify/reuse-worker.ts", "reuse-worker.js"],
      ],
      bin,
    );
    replicate(join(tmp, "full"), problems);
    replicate(join(tmp, "sample"), sample);
    const measure = (...a: string[]) =>
      JSON.parse(execFileSync(process.execPath, [join(bin, "measure.js"), ...a], { encoding: "utf8" }));
    process.stderr.write(`qds verify: ${problems} problems, ${jobs} jobs …\n`);
    const v = measure("verify", join(tmp, "full"), `${jobs}`, `${TIMEOUT_MS}`);
    process.stderr.write(`process per test: ${sample} problems, ${jobs} jobs …\n`);
    const h = measure("harness", join(tmp, "sample"), `${jobs}`, `${TIMEOUT_MS}`, join(bin, "cli.js"));

    process.stderr.write(`reused workers (estimate): ${problems} problems, ${jobs} jobs …\n`);
    const r = measure("reuse", join(tmp, "full"), `${jobs}`, `${TIMEOUT_MS}`, join(bin, "reuse-worker.js"));

    const verifyRate = v.tests / (v.wallMs / 1000);
    const reuseRate = r.tests / (r.wallMs / 1000);
    const harnessRate = h.tests / (h.wallMs / 1000);
    const coreMs = v.wallMs * jobs;
    const share = (ms: number): string => `${((100 * ms) / coreMs).toFixed(0)} %`;
    const rows: [string, string][] = [
      [
        "qds verify (embedded)",
        `${v.tests} tests, ${(v.wallMs / 1000).toFixed(1)} s, ${verifyRate.toFixed(1)} tests/s`,
      ],
      [
        "process per test (qds q)",
        `${h.tests} tests (sample of ${sample} problems), ${(h.wallMs / 1000).toFixed(1)} s, ${harnessRate.toFixed(1)} tests/s (extrapolated)`,
      ],
      ["ratio", `${(verifyRate / harnessRate).toFixed(1)}x (target >= 30x)`],
      [
        "reused workers (estimate)",
        `${r.tests} tests, ${(r.wallMs / 1000).toFixed(1)} s, ${reuseRate.toFixed(1)} tests/s, ${(reuseRate / harnessRate).toFixed(1)}x`,
      ],
      ["verify core time", `${(coreMs / 1000).toFixed(1)} s (wall x ${jobs} jobs)`],
      ["  q evaluation", `${(v.evalMs / 1000).toFixed(1)} s  ${share(v.evalMs)}`],
      ["  sandbox overhead", `${((v.sandboxMs - v.evalMs) / 1000).toFixed(1)} s  ${share(v.sandboxMs - v.evalMs)}`],
      ["  orchestration", `${((coreMs - v.sandboxMs) / 1000).toFixed(1)} s  ${share(coreMs - v.sandboxMs)}`],
      [
        "passed",
        `verify ${v.passed}/${v.tests}, process per test ${h.passed}/${h.tests}, reused ${r.passed}/${r.tests}`,
      ],
    ];
    process.stdout.write(`${rows.map(([k, val]) => `${k.padEnd(26)} ${val}`).join("\n")}\n`);
    const out = join(ROOT, "bench/out/verify.json");
    await writeFileAtomic(
      out,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          jobs,
          problems,
          sample,
          verify: { ...v, testsPerSecond: verifyRate },
          processPerTest: { ...h, testsPerSecond: harnessRate, extrapolatedFromSample: true },
          ratio: verifyRate / harnessRate,
          reusedWorkersEstimate: { ...r, testsPerSecond: reuseRate, ratio: reuseRate / harnessRate },
          split: {
            coreMs,
            evalMs: v.evalMs,
            sandboxOverheadMs: v.sandboxMs - v.evalMs,
            orchestrationMs: coreMs - v.sandboxMs,
          },
        },
        null,
        2,
      )}\n`,
    );
    process.stderr.write(`wrote ${out}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
