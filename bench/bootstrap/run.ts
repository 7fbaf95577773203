/**
 * Bootstrap benchmark: orchestration overhead per iteration as a fraction of
 * the iteration, on the tiny run (test/support/bootstrap-fixture.ts: real
 * loopback sshd, real venv, tiny Qwen3, CPU).
 *
 * Per iteration: wall time of its phases (from the run's state), and the
 * remote compute inside it, measured by the jobs themselves (first to last
 * event of each attempt). Overhead = wall − compute: ssh round trips,
 * uploads and downloads, polling latency, local judging, SFT export, state
 * writes. The baseline is the remote compute of the same iteration, so the
 * fraction says what the controller adds on top of the work it orders.
 * On a GPU box with real models compute grows by orders of magnitude and the
 * overhead barely moves; the tiny run is the worst case.
 *
 *   npm run bench:bootstrap [-- --iterations 1] [-- --run-dir DIR (measure an existing run instead)]
 * Writes bench/out/bootstrap.json.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRun } from "../../server/src/bootstrap/control";
import { runBootstrap } from "../../server/src/bootstrap/loop";
import { SshTransport } from "../../server/src/bootstrap/remote/ssh";
import { computeSeconds } from "../../server/src/bootstrap/report";
import { PHASES, type PhaseRecord, phaseKey, type RunState } from "../../server/src/bootstrap/state";
import { writeFileAtomic } from "../../server/src/dataset/fsx";
import { removeRemoteRun, tinyBootstrap } from "../../test/support/bootstrap-fixture";
import { TEST_ROOT } from "../../test/support/remote-fixture";

const ROOT = resolve(__dirname, "../..");
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : args[i + 1];
};

interface Row {
  iteration: number;
  wall_s: number;
  compute_s: number;
  overhead_s: number;
  overhead_fraction: number;
  by_phase: Record<string, { wall_s: number; compute_s: number }>;
}

function measure(state: RunState): Row[] {
  const rows: Row[] = [];
  for (let it = 1; it <= state.iteration; it++) {
    const recs: [string, PhaseRecord][] = [];
    for (const p of PHASES) {
      const r = state.phases[phaseKey(it, p)];
      if (r !== undefined) recs.push([p, r]);
    }
    // The base model's evaluation runs inside iteration 1's evaluate phase (once per run).
    const base = it === 1 ? state.phases[phaseKey(0, "evaluate-base")] : undefined;
    const by: Row["by_phase"] = {};
    for (const [p, r] of recs)
      by[p] = {
        wall_s: r.wallMs / 1000,
        compute_s: computeSeconds(r.job) + (p === "evaluate" && base ? computeSeconds(base.job) : 0),
      };
    const wall = recs.reduce((s, [, r]) => s + r.wallMs / 1000, 0);
    const compute = Object.values(by).reduce((s, p) => s + p.compute_s, 0);
    rows.push({
      iteration: it,
      wall_s: wall,
      compute_s: compute,
      overhead_s: wall - compute,
      overhead_fraction: (wall - compute) / wall,
      by_phase: by,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  let state: RunState;
  const given = flag("run-dir");
  if (given !== undefined) state = JSON.parse(readFileSync(join(given, "state.json"), "utf8"));
  else {
    const root = mkdtempSync(join(tmpdir(), "qds-bench-boot-"));
    const fixture = await tinyBootstrap(root);
    try {
      const { dir, config } = createRun(join(root, "runs"), {
        ...fixture.config,
        maxIterations: Number(flag("iterations") ?? 1),
      });
      const transport = new SshTransport(config.host, {
        root: TEST_ROOT,
        sshConfigFile: fixture.sshd.configFile,
        minFreeKiB: 1024,
      });
      await runBootstrap(dir, { transport, promptsDir: join(ROOT, "prompts") });
      await transport.close();
      state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
      removeRemoteRun(state.runId);
    } finally {
      await fixture.cleanup();
      rmSync(root, { recursive: true, force: true });
    }
  }
  const rows = measure(state);
  console.log("iteration  wall s  remote compute s  overhead s  overhead fraction");
  for (const r of rows)
    console.log(
      `${String(r.iteration).padStart(9)}  ${r.wall_s.toFixed(1).padStart(6)}  ${r.compute_s.toFixed(1).padStart(16)}  ${r.overhead_s.toFixed(1).padStart(10)}  ${(r.overhead_fraction * 100).toFixed(1).padStart(16)}%`,
    );
  for (const r of rows)
    console.log(
      `  iteration ${r.iteration}: ${Object.entries(r.by_phase)
        .map(([p, v]) => `${p} ${v.wall_s.toFixed(1)} s (compute ${v.compute_s.toFixed(1)})`)
        .join(", ")}`,
    );
  await writeFileAtomic(
    join(ROOT, "bench", "out", "bootstrap.json"),
    `${JSON.stringify({ run: state.runId, iterations: rows }, null, 2)}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
