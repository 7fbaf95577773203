/**
 * One benchmark process: sets up a workload's data (untimed), runs either the
 * engine or the baseline `reps` times, prints JSON {times, maxRssMb}.
 * A process per measurement keeps peak memory figures separate.
 */
import { QSession } from "../../server/src/q/session";
import { WORKLOADS } from "./workloads";

const [name, impl, repsText] = process.argv.slice(2);
const w = WORKLOADS.find((x) => x.name === name);
if (w === undefined || (impl !== "engine" && impl !== "baseline")) {
  console.error(`usage: child.ts <workload> engine|baseline <reps>`);
  process.exit(2);
}
const reps = Number(repsText ?? 5);
const times: number[] = [];
let digest = "";
if (impl === "engine") {
  const s = new QSession();
  if (w.setup !== "") {
    const r = s.evalLine(w.setup);
    if (r.error !== undefined) throw new Error(`setup failed: ${r.output}`);
  }
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = s.evalLine(w.expr);
    times.push(performance.now() - t0);
    if (r.error !== undefined) throw new Error(`${w.expr} failed: ${r.output}`);
  }
  digest = s.evalLine(w.digest).output.trim();
} else {
  const data = w.baselineSetup();
  let result: unknown;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = w.baseline(data);
    times.push(performance.now() - t0);
  }
  digest = w.baselineDigest(result);
}
process.stdout.write(`${JSON.stringify({ times, digest, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
