/**
 * Host memory under hostile programs: runs the hostile suite
 * (test/support/hostile-programs.ts) on one sandbox pool and prints, per
 * case, how it ended, how long it took, and the host process's RSS before,
 * at its peak during the case, and after. The host is this process, started
 * twice: as `qds verify` runs (plain Node), and as the editor's language
 * server runs (with MALLOC_MMAP_THRESHOLD_ set, as the extension starts it,
 * so the C library gives freed buffers back at once).
 *
 *   npm run bench:hostile            # both hosts
 */
import { execFileSync } from "node:child_process";
import { SANDBOX_HOST_ENV } from "../../server/src/q/limits";
import { HOSTILE_LIMITS, hostileMismatch, runHostileSuite } from "../../test/support/hostile-programs";

const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(0)}`;

async function child(): Promise<void> {
  const start = process.memoryUsage().rss;
  console.log(`limits: ${JSON.stringify(HOSTILE_LIMITS)}; host RSS at start ${MB(start)} MB`);
  console.log(`| case | shape | outcome | ms | RSS before | RSS peak | RSS after | ok |`);
  console.log(`|---|---|---|---:|---:|---:|---:|---|`);
  let bad = 0;
  const rows = await runHostileSuite(undefined, (r) => {
    const o = r.outcome;
    const outcome =
      o.limit !== undefined
        ? `limit: ${o.limit}`
        : o.exited
          ? `exit ${o.exitCode}`
          : o.error
            ? `'${o.error.name}`
            : "ok";
    const miss = hostileMismatch(r);
    if (miss !== undefined) bad++;
    console.log(
      `| ${r.program.name.replaceAll("|", "\\|")} | ${r.program.shape} | ${outcome} | ${r.ms} | ${MB(r.rssBefore)} | ${MB(r.rssPeak)} | ${MB(r.rssAfter)} | ${miss ?? "yes"} |`,
    );
  });
  const peak = Math.max(...rows.map((r) => r.rssPeak));
  console.log(
    `${rows.length} cases, ${rows.length - bad} as expected; host RSS start ${MB(start)} MB, highest peak ${MB(peak)} MB, end ${MB(rows[rows.length - 1]!.rssAfter)} MB`,
  );
  if (bad > 0) process.exitCode = 1;
}

if (process.argv.includes("--child")) {
  void child();
} else {
  const run = (title: string, env: NodeJS.ProcessEnv): void => {
    console.log(`\n## ${title}\n`);
    execFileSync(process.execPath, [...process.execArgv, __filename, "--child"], { stdio: "inherit", env });
  };
  run("host: plain Node (qds verify)", process.env);
  run("host: language server environment (MALLOC_MMAP_THRESHOLD_)", { ...process.env, ...SANDBOX_HOST_ENV });
}
