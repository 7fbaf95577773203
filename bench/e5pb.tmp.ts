import { performance } from "node:perf_hooks";
import { parseCollect } from "../server/src/q/parser";
import { lex } from "../server/src/q/lexer";
function generate(LINES: number): string {
  const out: string[] = []; let i = 0;
  while (out.length < LINES) {
    out.push(`/ helper number ${i}`); out.push(`f${i}:{[a;b;c]`); out.push(`  t:a+b*til c;`);
    out.push(`  u:sum t where t>${i % 7};`); out.push(`  $[u>0;u;neg u]}`); out.push(`v${i}:f${i}[1;2;10]`);
    out.push(`tab${i}:([] k:\`a\`b\`c; x:1 2 3)`); out.push(`s${i}:select x from tab${i} where x>1`);
    if (i % 50 === 0) out.push(`\\d .ns${i}`, `g:{x*2}`, `\\d .`);
    i++;
  }
  return out.join("\n");
}
const text = generate(5000);
console.log("bytes", text.length);
const lexFn: any = lex;
for (const [name, f] of [["lex", () => lexFn(text)], ["parseCollect", () => parseCollect(text)]] as const) {
  const ts: number[] = [];
  for (let k = 0; k < 15; k++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log(name, "min", ts[0].toFixed(1), "median", ts[7].toFixed(1), "max", ts[14].toFixed(1));
}
