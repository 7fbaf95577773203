/**
 * Engine benchmark: each workload timed in the q engine and in a hand-written
 * TypeScript baseline, alternating engine/baseline processes so machine drift
 * hits both sides. Prints median times, the engine/baseline ratio (median of
 * the per-pair ratios) and peak RSS; writes bench/out/engine.json. Each
 * pair's two results are compared (workloads.ts: `check`) with the verifier's
 * judge: a workload whose sides disagree is reported and the run exits 1, so
 * no ratio stands for two different computations.
 *
 *   npm run bench:engine [-- --pairs 3 --reps 5 --only asc]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareOutputs } from "../../server/src/verify/equivalence";
import { WORKLOADS } from "./workloads";

const args = process.argv.slice(2);
const opt = (flag: string, dflt: string): string => {
  const i = args.indexOf(flag);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const pairs = Number(opt("--pairs", "3"));
const reps = Number(opt("--reps", "5"));
const only = opt("--only", "");

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Run {
  times: number[];
  maxRssMb: number;
  check: string;
}
const disagreements: string[] = [];
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
for (const w of WORKLOADS.filter((x) => only === "" || x.name.includes(only))) {
  const ratios: number[] = [];
  const eng: number[] = [];
  const base: number[] = [];
  let engRss = 0;
  let baseRss = 0;
  for (let p = 0; p < pairs; p++) {
    const e = runChild(w.name, "engine");
    const b = runChild(w.name, "baseline");
    const same = compareOutputs(b.check, e.check);
    if (!same.equal)
      disagreements.push(`${w.name}: engine ${JSON.stringify(e.check)} vs baseline ${b.check} (${same.reason})`);
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
writeFileSync(
  join(__dirname, "../out/engine.json"),
  `${JSON.stringify({ pairs, reps, rows, disagreements }, null, 2)}\n`,
);
if (disagreements.length > 0) {
  console.error(`engine and baseline computed different results:\n${disagreements.join("\n")}`);
  process.exitCode = 1;
} else console.log(`every workload: engine and baseline results agree (${rows.length} checked)`);
