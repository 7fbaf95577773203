/**
 * Linear-time check for the loops that grow a value one piece at a time: `raze` of n pieces,
 * n `,:` appends, n dictionary inserts by key assignment. q does each in linear time; the
 * figure is time per element at n = 10k, 100k and 1M in a fresh engine session, and the
 * ratio of the largest n's time per element to the smallest (flat: about 1; quadratic: ~100).
 * Each run's result is checked against the same computation in plain TypeScript (count and
 * sum), so a fast wrong answer fails the benchmark.
 *
 *   npm run bench:engine-scaling [-- --max 1000000]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { QSession } from "../../server/src/q/session";

interface Growth {
  name: string;
  setup: (n: number) => string;
  expr: (n: number) => string;
  /** q expression whose display is compared with `expected`. */
  check: string;
  expected: (n: number) => string;
}

const sumTo = (n: number): bigint => (BigInt(n) * BigInt(n - 1)) / 2n;

const GROWTH: Growth[] = [
  {
    name: "raze of n one-item pieces",
    setup: (n) => `p:enlist each til ${n}`,
    expr: () => "r:raze p",
    check: "(count r;sum r)",
    expected: (n) => `${n} ${sumTo(n)}`,
  },
  {
    name: "n appends r,:i",
    setup: () => "r:();i:0",
    expr: (n) => `do[${n};r,:i;i+:1]`,
    check: "(count r;sum r)",
    expected: (n) => `${n} ${sumTo(n)}`,
  },
  {
    name: "n dictionary inserts d[k]:v",
    setup: () => "d:()!();i:0",
    expr: (n) => `do[${n};d[i]:2*i;i+:1]`,
    check: "(count d;sum key d;sum value d)",
    expected: (n) => `${n} ${sumTo(n)} ${2n * sumTo(n)}`,
  },
];

const args = process.argv.slice(2);
const maxN = Number(args[args.indexOf("--max") + 1] ?? 1_000_000) || 1_000_000;
const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= maxN);

let failed = false;
const rows = [];
for (const g of GROWTH) {
  const perElement: number[] = [];
  // One untimed run first, so the smallest size is not charged for the JIT's warm-up.
  const warm = new QSession();
  warm.evalLine(g.setup(1000));
  warm.evalLine(g.expr(1000));
  for (const n of sizes) {
    const s = new QSession();
    const setup = s.evalLine(g.setup(n));
    if (setup.error !== undefined) throw new Error(`${g.name}: setup failed: ${setup.output}`);
    const t0 = performance.now();
    const r = s.evalLine(g.expr(n));
    const ms = performance.now() - t0;
    if (r.error !== undefined) throw new Error(`${g.name} at ${n}: ${r.output}`);
    const got = s.evalLine(g.check).output.trim();
    const want = g.expected(n);
    if (got !== want) {
      failed = true;
      console.error(`${g.name} at n=${n}: engine gives ${got}, TypeScript gives ${want}`);
    }
    perElement.push((ms * 1e6) / n);
    rows.push({ workload: g.name, n, ms, nsPerElement: (ms * 1e6) / n, resultChecked: got === want });
  }
  const ratio = perElement[perElement.length - 1]! / perElement[0]!;
  console.log(
    `${g.name.padEnd(30)} ${sizes.map((n, i) => `${n}: ${perElement[i]!.toFixed(0)} ns/el`).join("  ")}  largest/smallest ${ratio.toFixed(2)}`,
  );
}
mkdirSync(join(__dirname, "../out"), { recursive: true });
writeFileSync(join(__dirname, "../out/engine-scaling.json"), `${JSON.stringify({ sizes, rows }, null, 2)}\n`);
if (failed) process.exitCode = 1;
