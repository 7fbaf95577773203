/**
 * Trace analysis time for 10k and 100k steering sections on this machine,
 * broken down by stage (read, parse, tokens, embed, cluster, name, layout,
 * write), through the same analyzeRun the CLI calls, with the offline
 * embedding and default cluster counts. Rows are generated with known move
 * types (test/support/steering-moves.ts), five steering sections per row,
 * so each size also reports how well the clusters match the moves (ARI of
 * the families-free fine clusters would be unfair at 60 clusters for 8
 * moves, so the figure is the ARI of a second clustering with k = 8 on the
 * same embedding, as the unit test does).
 *
 * Baseline, in the same run: reading and parsing the rows alone (the
 * floor any analysis pays); the report gives the full analysis as a
 * multiple of it.
 *
 *   npm run bench:traces [-- --sizes 10000,100000]
 * Writes bench/out/traces.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRun } from "../../server/src/traces/analyze";
import { adjustedRandIndex, twoPassClusters } from "../../server/src/traces/cluster";
import { readJsonl } from "../../server/src/traces/store";
import { generateMoves } from "../../test/support/steering-moves";

const args = process.argv.slice(2);
const at = args.indexOf("--sizes");
const sizes = (at >= 0 ? args[at + 1]! : "10000,100000").split(",").map(Number);
const PER_ROW = 5;

async function one(sections: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "qds-bench-traces-"));
  try {
    const moves = generateMoves(sections, 17);
    const lines: string[] = [];
    for (let r = 0; r * PER_ROW < sections; r++) {
      const steps = moves.texts.slice(r * PER_ROW, (r + 1) * PER_ROW);
      const think = steps.map((s) => `<steer>${s}</steer>\n<exec>Work it out for step ${r}.</exec>`).join("\n");
      lines.push(
        JSON.stringify({
          id: `r${r}`,
          dataset_source: ["math", "code", "science"][r % 3],
          messages: [
            { role: "user", content: `problem ${r}` },
            { role: "assistant", content: `<think>\n${think}\n</think>answer` },
          ],
        }),
      );
    }
    writeFileSync(join(dir, "validated.jsonl"), `${lines.join("\n")}\n`);
    const t0 = Date.now();
    await readJsonl(join(dir, "validated.jsonl"));
    const baselineMs = Date.now() - t0;
    const t1 = Date.now();
    const report = await analyzeRun({ run: dir });
    const totalMs = Date.now() - t1;
    // Quality on the same embedding: the cached vectors, clustered with k = number of move types.
    const { offlineEmbedding } = await import("../../server/src/traces/embed");
    const sample = Math.min(sections, 5000);
    const e = offlineEmbedding(moves.texts.slice(0, sample));
    const ari = adjustedRandIndex(twoPassClusters(e, 8, 3, 1).clusterOf, moves.labels.slice(0, sample));
    return {
      sections: report.sections,
      rows: report.rows,
      clusters: report.clusters,
      families: report.families,
      totalMs,
      stagesMs: report.ms,
      baselineReadMs: baselineMs,
      ratioToRead: Number((totalMs / Math.max(1, baselineMs)).toFixed(1)),
      ariK8OnFirst5000: Number(ari.toFixed(3)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results = [];
  for (const n of sizes) {
    const r = await one(n);
    console.log(JSON.stringify(r));
    results.push(r);
  }
  mkdirSync(join(__dirname, "../out"), { recursive: true });
  writeFileSync(
    join(__dirname, "../out/traces.json"),
    `${JSON.stringify({ machine: "shared 2-core dev box", at: new Date().toISOString(), results }, null, 2)}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
