/**
 * `npm run bench:lsp`: latency of the q language features on a generated
 * 5,000-line file, measured two ways and printed as p50/p95 in milliseconds:
 *
 * 1. in-process, over the analysis functions (reparse + lint after an edit;
 *    completion inside a lambda);
 * 2. through the real built server over JSON-RPC (an incremental edit until
 *    its diagnostics are published, with the debounce set to 0 so the figure is
 *    the work plus transport; a completion request's round trip).
 *
 * Targets: diagnostics after an edit p95 < 30 ms, completion p95 < 10 ms.
 * Nothing is asserted: this reports. On a shared, overloaded machine wall time
 * mostly measures waiting for a core, so the in-process figures are also given
 * as this process's CPU time, next to the load average and a calibration loop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { complete } from "../../server/src/q/analysis/complete";
import { lint } from "../../server/src/q/analysis/lint";
import { Workspace } from "../../server/src/q/analysis/workspace";
import { ensureBuilt, fileUri, TestClient } from "../../test/unit/lsp/client";

const LINES = 5000;

/** A q file of about `LINES` lines: commented multi-line lambdas, tables, namespaces. */
function generate(): string {
  const out: string[] = [];
  let i = 0;
  while (out.length < LINES) {
    out.push(`/ helper number ${i}`);
    out.push(`f${i}:{[a;b;c]`);
    out.push(`  t:a+b*til c;`);
    out.push(`  u:sum t where t>${i % 7};`);
    out.push(`  $[u>0;u;neg u]}`);
    out.push(`v${i}:f${i}[1;2;10]`);
    out.push(`tab${i}:([] k:\`a\`b\`c; x:1 2 3)`);
    out.push(`s${i}:select x from tab${i} where x>1`);
    if (i % 50 === 0) out.push(`\\d .ns${i}`, `g:{x*2}`, `\\d .`);
    i++;
  }
  return out.join("\n");
}

function stats(xs: number[]): { p50: number; p95: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: +at(0.5).toFixed(2), p95: +at(0.95).toFixed(2), n: s.length };
}

function report(name: string, xs: number[], target: number): void {
  const s = stats(xs);
  console.log(
    `${name.padEnd(48)} p50 ${String(s.p50).padStart(7)} ms   p95 ${String(s.p95).padStart(7)} ms   (n=${s.n}, target p95 < ${target} ms)`,
  );
}

/** Offsets just inside each lambda body's second line, where locals are in scope. */
function completionPoints(text: string, count: number): number[] {
  const pts: number[] = [];
  let at = text.indexOf("  u:sum t");
  while (at >= 0 && pts.length < count) {
    pts.push(at + "  u:sum ".length);
    at = text.indexOf("  u:sum t", at + 1 + Math.floor(text.length / count));
  }
  return pts;
}

async function inProcess(text: string): Promise<void> {
  const ws = new Workspace();
  const uri = "file:///bench/big.q";
  ws.update(uri, text);
  const diag: number[] = [];
  const diagCpu: number[] = [];
  let cur = text;
  for (let k = 0; k < 60; k++) {
    // Edit one literal somewhere in the file, as typing does.
    const pos = cur.indexOf("til c", Math.floor((k / 60) * cur.length));
    cur = `${cur.slice(0, pos)}til c+${k % 10}${cur.slice(pos + 5 + (cur.slice(pos + 5, pos + 7).startsWith("+") ? 2 : 0))}`;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const entry = ws.update(uri, cur);
    lint({ uri, model: entry.model, workspace: ws });
    const c1 = process.cpuUsage(c0);
    diag.push(performance.now() - t0);
    diagCpu.push((c1.user + c1.system) / 1000);
  }
  report("in-process: reparse + lint after an edit", diag.slice(5), 30);
  report("in-process: same, CPU time of this process", diagCpu.slice(5), 30);
  const model = ws.get(uri)!.model;
  const comp: number[] = [];
  const compCpu: number[] = [];
  for (const offset of completionPoints(cur, 200)) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    complete({ uri, text: cur, offset, model, fresh: true, workspace: ws });
    const c1 = process.cpuUsage(c0);
    comp.push(performance.now() - t0);
    compCpu.push((c1.user + c1.system) / 1000);
  }
  report("in-process: completion in a lambda", comp.slice(5), 10);
  report("in-process: same, CPU time of this process", compCpu.slice(5), 10);
}

async function overJsonRpc(text: string): Promise<void> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "qds-bench-"));
  const client = new TestClient();
  client.settings = { diagnostics: { runtime: "off", debounceMs: 0 } };
  try {
    await client.start(dir);
    const uri = fileUri(join(dir, "big.q"));
    client.open(uri, text);
    await client.diagnostics(uri, (_d, v) => v === 1, 30000);
    const lines = text.split("\n");
    const diag: number[] = [];
    for (let k = 0; k < 60; k++) {
      const line = Math.floor((k / 60) * (lines.length - 10)) + 2;
      const t0 = performance.now();
      const version = client.edit(uri, { start: { line, character: 0 }, end: { line, character: 0 } }, " ");
      await client.diagnostics(uri, (_d, v) => v === version, 30000);
      diag.push(performance.now() - t0);
    }
    report("JSON-RPC: edit -> diagnostics published (debounce 0)", diag.slice(5), 30);
    const comp: number[] = [];
    for (let k = 0; k < 200; k++) {
      const line = Math.floor((k / 200) * (lines.length - 10));
      const t0 = performance.now();
      await client.request("textDocument/completion", { textDocument: { uri }, position: { line, character: 4 } });
      comp.push(performance.now() - t0);
    }
    report("JSON-RPC: completion request round trip", comp.slice(5), 10);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fixed CPU workload, printed with the load average so figures from a busy machine can be read. */
function calibrate(): number {
  const s = "abc def 123 ".repeat(10000);
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < s.length; i++) if (/[a-z]/.test(s[i]!)) n++;
  if (n === 0) throw new Error("calibration workload did nothing");
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const text = generate();
  const cal = Math.min(calibrate(), calibrate(), calibrate());
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}, calibration loop ${cal.toFixed(1)} ms`,
  );
  console.log(`q file: ${text.split("\n").length} lines, ${text.length} bytes`);
  await inProcess(text);
  await overJsonRpc(text);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
