/**
 * Start-up cost of the processes the verify benchmark compares, measured in
 * the same run: each command started `--runs` times in a row (default 15),
 * reporting the median wall time and the median CPU time (user + system, less
 * sensitive to a loaded machine). Used by run.ts; also on its own:
 *
 *   npx tsx bench/verify/start.ts <cli.js> <q-runner.js>
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartCost {
  name: string;
  wallMs: number;
  cpuMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** CPU time (user + system) of this process's waited-for children so far, from /proc (10 ms ticks). */
function childCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Median wall and CPU time of `node <args>` over `runs` starts. */
function measure(name: string, args: string[], runs: number): StartCost {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const before = childCpuMs();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    wall.push(performance.now() - t0);
    cpu.push(childCpuMs() - before);
    if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`);
  }
  return { name, wallMs: median(wall), cpuMs: median(cpu) };
}

/** Start costs of: bare Node, the engine-only runner, and the full CLI (`version`, `q` on an empty script). */
export function startCosts(cli: string, runner: string, runs = 15): StartCost[] {
  const dir = mkdtempSync(join(tmpdir(), "qds-start-"));
  const script = join(dir, "exit.q");
  writeFileSync(script, "exit 0\n");
  return [
    measure("node (nothing loaded)", ["-e", "0"], runs),
    measure("engine-only runner (q-runner.js script.q)", [runner, script], runs),
    measure("qds q script.q (full CLI bundle)", [cli, "q", script], runs),
    measure("qds --version (full CLI bundle)", [cli, "--version"], runs),
  ];
}

if (require.main === module) {
  const [cli, runner] = process.argv.slice(2);
  for (const c of startCosts(cli!, runner!))
    console.log(`${c.name.padEnd(44)} wall ${c.wallMs.toFixed(0)} ms, cpu ${c.cpuMs.toFixed(0)} ms`);
}
