/**
 * The engine benchmark's workloads. Each has a q setup (untimed), the q
 * expression that is timed, and a hand-written TypeScript baseline that does
 * the same work on the same data representation the engine uses (exact
 * integers in Float64Array, symbols as JS strings), so the ratio measures the
 * engine's overhead, not a different algorithm.
 */
export interface Workload {
  name: string;
  setup: string;
  expr: string;
  baselineSetup: () => unknown;
  baseline: (data: unknown) => unknown;
  /**
   * Both sides must compute the same result: `digest` is a q expression on `r` whose display
   * must equal `baselineDigest` of the baseline's result.
   */
  digest: string;
  baselineDigest: (result: unknown) => string;
}

/** Count and sum of a numeric array, as q shows `(count r;sum r)` for longs. */
const countSum = (a: ArrayLike<number>): string => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return `${a.length} ${s}`;
};

const N7 = 10_000_000;
const N6 = 1_000_000;

/** The same pseudo-random longs the q setup builds: (1103515245*i+12345) mod 2^31. */
function lcg(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (1103515245 * i + 12345) % 2147483648;
  return out;
}

export const WORKLOADS: Workload[] = [
  {
    name: "sum til 10000000",
    setup: "",
    expr: "r:sum til 10000000",
    baselineSetup: () => N7,
    baseline: (n) => {
      const v = new Float64Array(n as number);
      for (let i = 0; i < v.length; i++) v[i] = i;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i];
      return s;
    },
    digest: "r",
    baselineDigest: (r) => String(r),
  },
  {
    name: "float vector + float vector (10^7)",
    setup: "a:0.5*til 10000000;b:0.25*til 10000000",
    expr: "r:a+b",
    baselineSetup: () => {
      const a = new Float64Array(N7);
      const b = new Float64Array(N7);
      for (let i = 0; i < N7; i++) {
        a[i] = 0.5 * i;
        b[i] = 0.25 * i;
      }
      return [a, b];
    },
    baseline: (d) => {
      const [a, b] = d as [Float64Array, Float64Array];
      const r = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) r[i] = a[i] + b[i];
      return r;
    },
    // Every item is a multiple of 0.25 below 2^22, so the sum is exact on both sides.
    digest: "(count r;`long$sum r)",
    baselineDigest: (r) => countSum(r as Float64Array),
  },
  {
    name: "asc of 10^6 longs",
    setup: "l:(12345+1103515245*til 1000000) mod 2147483648",
    expr: "r:asc l",
    baselineSetup: () => lcg(N6),
    baseline: (d) => Float64Array.from(d as Float64Array).sort(),
    digest: "(count r;sum r;r 0;r 999999)",
    baselineDigest: (r) => {
      const a = r as Float64Array;
      return `${countSum(a)} ${a[0]} ${a[a.length - 1]}`;
    },
  },
  {
    name: "group of 10^6 symbols (1,000 distinct)",
    setup: "u:`$string til 1000;s:u (7*til 1000000) mod 1000",
    expr: "r:group s",
    baselineSetup: () => {
      const u = Array.from({ length: 1000 }, (_, i) => String(i));
      return Array.from({ length: N6 }, (_, i) => u[(7 * i) % 1000] as string);
    },
    baseline: (d) => {
      const m = new Map<string, number[]>();
      const s = d as string[];
      for (let i = 0; i < s.length; i++) {
        const k = s[i] as string;
        const g = m.get(k);
        if (g === undefined) m.set(k, [i]);
        else g.push(i);
      }
      const out = new Map<string, Float64Array>();
      for (const [k, g] of m) out.set(k, Float64Array.from(g));
      return out;
    },
    digest: '(count r;sum count each r;sum r`$"7")',
    baselineDigest: (r) => {
      const m = r as Map<string, Float64Array>;
      let n = 0;
      for (const g of m.values()) n += g.length;
      const seven = m.get("7")!;
      let s = 0;
      for (let i = 0; i < seven.length; i++) s += seven[i]!;
      return `${m.size} ${n} ${s}`;
    },
  },
  {
    name: "where on 10^7 booleans",
    setup: "bv:0=(til 10000000) mod 3",
    expr: "r:where bv",
    baselineSetup: () => {
      const b = new Uint8Array(N7);
      for (let i = 0; i < N7; i++) b[i] = i % 3 === 0 ? 1 : 0;
      return b;
    },
    baseline: (d) => {
      const b = d as Uint8Array;
      let n = 0;
      for (let i = 0; i < b.length; i++) n += b[i] as number;
      const r = new Float64Array(n);
      let j = 0;
      for (let i = 0; i < b.length; i++) if (b[i]) r[j++] = i;
      return r;
    },
    digest: "(count r;sum r)",
    baselineDigest: (r) => countSum(r as Float64Array),
  },
  {
    name: "{x+1}/[1000000;0] (lambda loop)",
    setup: "",
    expr: "r:{x+1}/[1000000;0]",
    baselineSetup: () => 1_000_000,
    baseline: (n) => {
      // An interpreter-free loop calling a closure, as the lambda would be called.
      const f = (x: number): number => x + 1;
      let x = 0;
      for (let i = 0; i < (n as number); i++) x = f(x);
      return x;
    },
    digest: "r",
    baselineDigest: (r) => String(r),
  },
  ...vectorVerbs(N6),
];

/** Vector verbs at 10^6 items against the typed-array loop a programmer would write. */
function vectorVerbs(n: number): Workload[] {
  const longs = () => Float64Array.from({ length: n }, (_, i) => i);
  return [
    {
      name: `long vector * long vector (10^${Math.log10(n)})`,
      setup: `a:til ${n};b:3+(til ${n}) mod 1000`,
      expr: "r:a*b",
      baselineSetup: () => [longs(), Float64Array.from({ length: n }, (_, i) => 3 + (i % 1000))],
      baseline: (d) => {
        const [a, b] = d as [Float64Array, Float64Array];
        const r = new Float64Array(a.length);
        for (let i = 0; i < a.length; i++) r[i] = a[i]! * b[i]!;
        return r;
      },
      digest: "(count r;sum r)",
      baselineDigest: (r) => countSum(r as Float64Array),
    },
    {
      name: `sums of longs (10^${Math.log10(n)})`,
      setup: `a:til ${n}`,
      expr: "r:sums a",
      baselineSetup: longs,
      baseline: (d) => {
        const a = d as Float64Array;
        const r = new Float64Array(a.length);
        let s = 0;
        for (let i = 0; i < a.length; i++) r[i] = s += a[i]!;
        return r;
      },
      digest: "(count r;last r)",
      baselineDigest: (r) => {
        const a = r as Float64Array;
        return `${a.length} ${a[a.length - 1]}`;
      },
    },
    {
      name: `x > 500000 on longs (10^${Math.log10(n)})`,
      setup: `a:til ${n}`,
      expr: "r:a>500000",
      baselineSetup: longs,
      baseline: (d) => {
        const a = d as Float64Array;
        const r = new Uint8Array(a.length);
        for (let i = 0; i < a.length; i++) r[i] = a[i]! > 500000 ? 1 : 0;
        return r;
      },
      digest: "`long$(count r;sum r)",
      baselineDigest: (r) => countSum(r as Uint8Array),
    },
    {
      // A fold by a lambda that is just x+y (basics/precision folds 10^7 floats this way).
      name: `{x+y}over floats (10^${Math.log10(n)})`,
      setup: `a:1e-10*til ${n}`,
      expr: "r:{x+y}over a",
      baselineSetup: () => Float64Array.from({ length: n }, (_, i) => 1e-10 * i),
      baseline: (d) => {
        const a = d as Float64Array;
        let s = a[0]!;
        for (let i = 1; i < a.length; i++) s += a[i]!;
        return s;
      },
      // Every bit of the sum: q's IPC bytes of a float atom (header, type -9, the double).
      digest: "-8!r",
      baselineDigest: (r) => {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(r as number);
        return `0x0100000011000000f7${b.toString("hex")}`;
      },
    },
    {
      name: `max of floats (10^${Math.log10(n)})`,
      setup: `a:0.5*til ${n}`,
      expr: "r:max a",
      baselineSetup: () => Float64Array.from({ length: n }, (_, i) => 0.5 * i),
      baseline: (d) => {
        const a = d as Float64Array;
        let m = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
        return m;
      },
      digest: "r",
      baselineDigest: (r) => String(r),
    },
  ];
}
