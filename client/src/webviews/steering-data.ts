/**
 * From an analysed run (server/src/traces/model.ts) to what the Steering
 * Explorer page draws (protocol SteeringView), and back out for an export.
 * Pure functions, no `vscode`, so unit tests check them directly.
 */
import type { SteeringRowDetail, SteeringView } from "../../../server/src/protocol";
import type { AnalysisResult, RowText } from "../../../server/src/traces/model";

const NO_SOURCE = "(no source)";

export function toSteeringView(run: string, a: AnalysisResult): SteeringView {
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const sourceOf = (s: string) => {
    const name = s === "" ? NO_SOURCE : s;
    let k = sourceIndex.get(name);
    if (k === undefined) {
      k = sources.push(name) - 1;
      sourceIndex.set(name, k);
    }
    return k;
  };
  const rows = a.rows.map((r) => ({
    id: r.id,
    source: sourceOf(r.source),
    thinkTokens: r.thinkTokens,
    exactTokens: r.tokensExact,
    steering: r.steeringCount,
  }));
  for (const c of a.clusters) for (const s of Object.keys(c.shareBySource)) sourceOf(s);
  // Cluster ids index the page's colour and legend arrays: map them to 0…k-1 in file order.
  const clusterIndex = new Map(a.clusters.map((c, k) => [c.id, k]));
  const families = new Map(a.families.map((f) => [f.id, f.name]));
  const textById = new Map(a.sections.map((s) => [s.id, s.text]));
  const n = a.sections.length;
  const sections = {
    x: new Float32Array(n),
    y: new Float32Array(n),
    cluster: new Uint16Array(n),
    row: new Uint32Array(n),
    text: new Array<string>(n),
  };
  a.sections.forEach((s, i) => {
    sections.x[i] = s.x;
    sections.y[i] = s.y;
    sections.cluster[i] = clusterIndex.get(s.clusterId) ?? 0;
    sections.row[i] = s.rowIndex;
    sections.text[i] = s.text;
  });
  const clusters = a.clusters.map((c) => {
    const bySource = sources.map(() => 0);
    for (const [s, share] of Object.entries(c.shareBySource)) bySource[sourceOf(s)] = Math.round(share * c.size);
    const family = families.get(c.familyId);
    return {
      name: c.name,
      ...(family === undefined ? {} : { family }),
      size: c.size,
      examples: c.exampleSectionIds.flatMap((id) => textById.get(id) ?? []),
      bySource,
    };
  });
  const grouped = a.families
    .map((f) => ({ name: f.name, clusters: f.clusterIds.flatMap((id) => clusterIndex.get(id) ?? []) }))
    .filter((f) => f.clusters.length > 0);
  return { run, sources, clusters, rows, sections, ...(grouped.length > 0 ? { families: grouped } : {}) };
}

/** The rewritten think text as steer/exec segments, with any non-tag text between them kept as "other". */
export function toRowDetail(index: number, t: RowText): SteeringRowDetail {
  const segments: SteeringRowDetail["segments"] = [];
  let at = 0;
  const gap = (end: number) => {
    const text = t.rewritten.slice(at, end).replace(/<\/?(steer|steering|exec|execution)>/g, "");
    if (text.trim() !== "") segments.push({ kind: "other", text: text.trim() });
  };
  for (const s of [...t.segments].sort((a, b) => a.start - b.start)) {
    gap(s.start);
    segments.push({ kind: s.kind, text: t.rewritten.slice(s.start, s.end) });
    at = s.end;
  }
  gap(t.rewritten.length);
  return { index, id: t.id, original: t.original, segments };
}

/** One JSONL line per exported section: what a user filters on, with the row it came from. */
export function exportLines(view: SteeringView, sections: readonly number[]): string {
  const s = view.sections;
  return sections
    .filter((i) => Number.isInteger(i) && i >= 0 && i < s.text.length)
    .map((i) => {
      const row = view.rows[s.row[i]!]!;
      const cluster = view.clusters[s.cluster[i]!]!;
      return `${JSON.stringify({
        section: i,
        row: row.id,
        source: view.sources[row.source],
        cluster: cluster.name,
        ...(cluster.family === undefined ? {} : { family: cluster.family }),
        text: s.text[i],
        x: s.x[i],
        y: s.y[i],
      })}\n`;
    })
    .join("");
}
