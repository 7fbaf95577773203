/**
 * Memory of the language server after it has opened a 10,000-problem dataset:
 * the example dataset's problems copied round-robin under new names, listed
 * through the same requests the explorer sends (qds/datasets, qds/problems).
 * Prints the server's resident set before and after, and its peak.
 *
 *   npm run bench:dataset-memory [-- --problems 10000]
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, integer, parseScriptArgs } from "../../server/src/cli/args";
import { ensureBuilt, ROOT, TestClient } from "../../test/unit/lsp/client";

const total = parseScriptArgs<{ problems: number }>(
  new Command("dataset-memory")
    .description("Language-server memory after opening a large dataset.")
    .option("--problems <n>", "problems in the generated dataset", integer(1), 10_000),
).opts.problems;

/** VmRSS and VmHWM of a process, in MiB. */
function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb("VmRSS") / 1024), peakMb: Math.round(kb("VmHWM") / 1024) };
}

async function main(): Promise<void> {
  ensureBuilt();
  const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const ws = mkdtempSync(join(base, "qds-mem-"));
  const dataset = join(ws, "big");
  const examples = join(ROOT, "examples/dataset");
  const sources = readdirSync(examples).filter((n) => existsSync(join(examples, n, "entry.json")));
  for (let i = 0; i < total; i++) {
    const src = sources[i % sources.length] as string;
    cpSync(join(examples, src), join(dataset, `${src}-${i}`), { recursive: true });
  }
  const client = new TestClient();
  try {
    await client.start(ws);
    const pid = client.pid;
    if (pid === undefined) throw new Error("server did not start");
    const before = memory(pid);
    const t0 = performance.now();
    const found = (await client.conn.sendRequest("qds/datasets", { roots: [ws], configured: [] })) as { dir: string }[];
    const listed = (await client.conn.sendRequest("qds/problems", { dataset: found[0]?.dir ?? dataset })) as unknown[];
    const ms = performance.now() - t0;
    const after = memory(pid);
    console.log(`problems listed        ${listed.length} in ${ms.toFixed(0)} ms`);
    console.log(`server RSS before      ${before.rssMb} MiB`);
    console.log(`server RSS after       ${after.rssMb} MiB  (+${after.rssMb - before.rssMb} MiB)`);
    console.log(`server peak RSS        ${after.peakMb} MiB`);
  } finally {
    await client.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}

void main();
