/**
 * Engine benchmark: each workload timed in the q engine and in a hand-written
 * TypeScript baseline, alternating engine/baseline processes so machine drift
 * hits both sides. Prints median times, the engine/baseline ratio (median of
 * the per-pair ratios) and peak RSS; writes bench/out/engine.json. Each side also
 * reports a digest of its result; a workload whose two digests differ fails the run.
 *
 *   npm run bench:engine [-- --pairs 3 --reps 5 --only asc]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, integer, parseScriptArgs } from "../../server/src/cli/args";
import { WORKLOADS } from "./workloads";

const { pairs, reps, only } = parseScriptArgs<{ pairs: number; reps: number; only: string }>(
  new Command("bench:engine")
    .description("The q engine against hand-written TypeScript baselines, alternating processes.")
    .option("--pairs <n>", "engine/baseline process pairs per workload", integer(1), 3)
    .option("--reps <n>", "repetitions inside each process", integer(1), 5)
    .option("--only <text>", "only workloads whose name contains this text", ""),
).opts;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Run {
  times: number[];
  /** What the side computed, summarised; engine and baseline must agree. */
  digest: string;
  maxRssMb: number;
}
function runChild(name: string, impl: string): Run {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", join(__dirname, "child.ts"), name, impl, String(reps)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split("\n").pop() as string) as Run;
}

const rows = [];
let mismatch = false;
for (const w of WORKLOADS.filter((x) => only === "" || x.name.includes(only))) {
  const ratios: number[] = [];
  const eng: number[] = [];
  const base: number[] = [];
  let engRss = 0;
  let baseRss = 0;
  for (let p = 0; p < pairs; p++) {
    const e = runChild(w.name, "engine");
    const b = runChild(w.name, "baseline");
    if (e.digest !== b.digest) {
      mismatch = true;
      console.error(`${w.name}: engine computed ${e.digest}, baseline ${b.digest}`);
    }
    const em = median(e.times);
    const bm = median(b.times);
    eng.push(em);
    base.push(bm);
    ratios.push(em / bm);
    engRss = Math.max(engRss, e.maxRssMb);
    baseRss = Math.max(baseRss, b.maxRssMb);
  }
  const row = {
    workload: w.name,
    engineMs: median(eng),
    baselineMs: median(base),
    ratio: median(ratios),
    engineMaxRssMb: Math.round(engRss),
    baselineMaxRssMb: Math.round(baseRss),
  };
  rows.push(row);
  console.log(
    `${w.name.padEnd(40)} engine ${row.engineMs.toFixed(1).padStart(8)} ms  baseline ${row.baselineMs
      .toFixed(1)
      .padStart(
        8,
      )} ms  ratio ${row.ratio.toFixed(2).padStart(6)}  peak RSS ${row.engineMaxRssMb} / ${row.baselineMaxRssMb} MB`,
  );
}
mkdirSync(join(__dirname, "../out"), { recursive: true });
writeFileSync(join(__dirname, "../out/engine.json"), `${JSON.stringify({ pairs, reps, rows }, null, 2)}\n`);
if (mismatch) {
  console.error("engine and baseline results differ: the ratios above compare different work");
  process.exitCode = 1;
}
