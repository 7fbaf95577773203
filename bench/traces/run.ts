/**
 * Trace analysis time for 10k and 100k steering sections on this machine,
 * broken down by stage (read, parse, tokens, embed, cluster, name, layout,
 * write), through the same analyzeRun the CLI calls, with the offline
 * embedding and default cluster counts. Rows are generated with known move
 * types (test/support/steering-moves.ts), five steering sections per row,
 * so each size also reports how well the analysis's own embedding and map
 * keep the moves apart, read back from the run's analysis/cache: the ARI of
 * a clustering with k = 8 on that embedding (ARI of the 60 fine clusters
 * would be unfair for 8 moves), and the share of sections whose 10 nearest
 * neighbours on the map mostly share their move (on the first 3,000
 * sections' map positions, against the same measure for a PCA map).
 *
 * Baseline, in the same run: reading and parsing the rows alone (the
 * floor any analysis pays); the report gives the full analysis as a
 * multiple of it.
 *
 *   npm run bench:traces [-- --sizes 10000,100000]
 * Writes bench/out/traces.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeRun } from "../../server/src/traces/analyze";
import { adjustedRandIndex, pcaLayout, twoPassClusters } from "../../server/src/traces/cluster";
import { readAnalysis, readEmbedding, readJsonl } from "../../server/src/traces/store";
import { layoutQuality } from "../../test/support/layout-quality";
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
    // Quality of what the analysis computed: its cached embedding and its map.
    const analysis = await readAnalysis(dir);
    const e = (await readEmbedding(dir, analysis.manifest))!;
    const dims = e.dims;
    const ari = adjustedRandIndex(twoPassClusters(e, 8, 3, 1).clusterOf, moves.labels);
    const head = Math.min(sections, 3000);
    const sub = { ...e, rows: head, data: e.data.subarray(0, head * dims) };
    const xy = analysis.sections.slice(0, head).flatMap((s) => [s.x, s.y]);
    const map = layoutQuality(sub, Float32Array.from(xy), moves.labels);
    const pca = layoutQuality(sub, pcaLayout(sub), moves.labels);
    return {
      sections: report.sections,
      rows: report.rows,
      clusters: report.clusters,
      families: report.families,
      totalMs,
      stagesMs: report.ms,
      baselineReadMs: baselineMs,
      ratioToRead: Number((totalMs / Math.max(1, baselineMs)).toFixed(1)),
      ariK8: Number(ari.toFixed(3)),
      map10nnMoveAccuracyFirst3000: Number(map.labelAccuracy.toFixed(3)),
      pca10nnMoveAccuracyFirst3000: Number(pca.labelAccuracy.toFixed(3)),
      map10nnKeptFirst3000: Number(map.preservation.toFixed(3)),
      pca10nnKeptFirst3000: Number(pca.preservation.toFixed(3)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  const results = [];
  for (const n of sizes) {
    const r = await one(n);
    console.log(JSON.stringify(r));
    results.push(r);
  }
  mkdirSync(join(__dirname, "../out"), { recursive: true });
  writeFileSync(
    join(__dirname, "../out/traces.json"),
    `${JSON.stringify({ machine: "shared 2-core dev box", at: new Date().toISOString(), loadavg: loadavg(), results }, null, 2)}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
