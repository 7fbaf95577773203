/**
 * Hostile q programs, one per way an untrusted script can try to hurt its
 * host: memory bombs of every shape, output floods, deep recursion, escapes
 * (shell, files, network, exit, timers) and plain spins. Each row says how
 * the sandbox must stop it: the limit that trips (limits.ts) or the q error
 * it raises. Shared by the unit test (test/unit/q/hostile.test.ts) and the
 * host-memory benchmark (bench/sandbox/hostile.ts).
 */
import { existsSync } from "node:fs";
import type { LimitName } from "../../server/src/q/limits";
import { createSandboxPool } from "../../server/src/q/pool";
import type { SandboxOutcome } from "../../server/src/q/sandbox";

export interface HostileProgram {
  name: string;
  shape: "memory" | "output" | "recursion" | "escape" | "time";
  text: string;
  /**
   * How it must end: stopped by one of these limits; a q error that is no limit (`true`: any,
   * the engine simply has no such capability); an exit event with this code; or normally.
   */
  expect: { limit: LimitName[] } | { error: true } | { exit: number } | { ok: true };
}

/** The limits the suite runs under. */
export const HOSTILE_LIMITS = { timeoutMs: 2000, memoryMb: 128, maxOutputBytes: 1024 * 1024 } as const;

/** Files the escape cases try to touch; none may exist afterwards. */
export const HOSTILE_FILES = ["/tmp/qds-hostile"];

export const HOSTILE_PROGRAMS: readonly HostileProgram[] = [
  // Memory: one allocation, many allocations, heap objects, buffers.
  { name: "til 300000000", shape: "memory", text: "x:til 300000000\n", expect: { limit: ["memory"] } },
  {
    name: "raze 10#enlist til 8000000",
    shape: "memory",
    text: "x:raze 10#enlist til 8000000\n",
    expect: { limit: ["memory"] },
  },
  { name: "take 100000000#1", shape: "memory", text: "x:100000000#1\n", expect: { limit: ["memory"] } },
  { name: 'take 1000000000#"x"', shape: "memory", text: 'x:1000000000#"x"\n', expect: { limit: ["memory"] } },
  { name: "string til 3000000", shape: "memory", text: "x:string til 3000000\n", expect: { limit: ["memory"] } },
  {
    name: "each builds vectors",
    shape: "memory",
    text: "x:{til 1000} each til 1000000\n",
    expect: { limit: ["memory", "time"] },
  },
  { name: "over doubles a vector", shape: "memory", text: "x:{x,x}/[40;til 1000]\n", expect: { limit: ["memory"] } },
  { name: "join loop", shape: "memory", text: "x:til 1000000\ndo[40;x:x,x]\n", expect: { limit: ["memory"] } },
  { name: "string doubling", shape: "memory", text: 's:"abcdefgh"\ndo[40;s:s,s]\n', expect: { limit: ["memory"] } },
  {
    name: "dict growth",
    shape: "memory",
    text: "d:()!()\ni:0\nwhile[1b;d[i]:til 1000;i+:1]\n",
    expect: { limit: ["memory", "time"] },
  },
  {
    name: "general list growth",
    shape: "memory",
    text: "l:()\nwhile[1b;l,:enlist til 1000]\n",
    expect: { limit: ["memory", "time"] },
  },
  {
    name: "table doubling",
    shape: "memory",
    text: "t:([]a:til 100000;b:til 100000)\ndo[40;t:t,t]\n",
    expect: { limit: ["memory"] },
  },
  // Output: many small prints on each stream, one huge print.
  {
    name: "-1 loop",
    shape: "output",
    text: 'do[100000000;-1 "0123456789012345678901234567890123456789"]\n',
    expect: { limit: ["output"] },
  },
  {
    name: "-2 loop",
    shape: "output",
    text: 'while[1b;-2 "0123456789012345678901234567890123456789"]\n',
    expect: { limit: ["output"] },
  },
  { name: "0N! loop", shape: "output", text: "do[100000000;0N!til 10]\n", expect: { limit: ["output"] } },
  { name: "show loop", shape: "output", text: "do[100000000;show til 10]\n", expect: { limit: ["output"] } },
  { name: "one 50 MB print", shape: "output", text: '-1 (50000000#"x");\n', expect: { limit: ["output"] } },
  // Recursion.
  { name: "f:{f x+1}", shape: "recursion", text: "f:{f x+1}\nf 0\n", expect: { limit: ["depth"] } },
  { name: "f:{1+f x}", shape: "recursion", text: "f:{1+f x}\nf 0\n", expect: { limit: ["depth"] } },
  { name: "mutual recursion", shape: "recursion", text: "f:{g x}\ng:{f x}\nf 0\n", expect: { limit: ["depth"] } },
  {
    name: "deeply nested parse",
    shape: "recursion",
    text: 'value (100000#"("),"1",100000#")"\n',
    expect: { limit: ["depth"] },
  },
  // Escapes: shell, files, network, environment, exit, timers.
  { name: 'system "ls"', shape: "escape", text: 'system "ls"\n', expect: { error: true } },
  { name: "hopen port", shape: "escape", text: "hopen 5000\n", expect: { error: true } },
  { name: "hopen file", shape: "escape", text: "hopen `:/tmp/qds-hostile\n", expect: { error: true } },
  { name: "\\l /etc/passwd", shape: "escape", text: "\\l /etc/passwd\n", expect: { error: true } },
  { name: "read0 a file", shape: "escape", text: "read0 `:/etc/passwd\n", expect: { error: true } },
  { name: "set to a file", shape: "escape", text: "`:/tmp/qds-hostile set 42\n", expect: { error: true } },
  { name: "getenv", shape: "escape", text: "getenv `HOME\n", expect: { error: true } },
  { name: "\\\\ ends the script", shape: "escape", text: '-1 "a";\n\\\\\n-1 "never";\n', expect: { exit: 0 } },
  { name: "exit 3", shape: "escape", text: "exit 3\n", expect: { exit: 3 } },
  { name: "timer .z.ts with \\t", shape: "escape", text: '.z.ts:{-1 "tick"}\n\\t 10\n', expect: { ok: true } },
  { name: 'system "t 10"', shape: "escape", text: '.z.ts:{-1 "tick"}\nsystem "t 10"\n', expect: { ok: true } },
  // Time.
  { name: "while[1b]", shape: "time", text: "while[1b;0]\n", expect: { limit: ["time"] } },
  { name: "each over a huge range", shape: "time", text: "{x+1} each til 100000000\n", expect: { limit: ["memory"] } },
];

export interface HostileRow {
  program: HostileProgram;
  outcome: SandboxOutcome;
  ms: number;
  /** The host process's RSS before the case, its peak while the case ran, and after the follow-up script. */
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  /** What a trivial script printed right after the case, on the same pool (must be "4"). */
  followUp: string;
}

/**
 * Runs every program on one pool (as the verifier does), each followed by a trivial script, and
 * samples this process's RSS every few ms: the host is the process that owns the pool.
 */
export async function runHostileSuite(
  programs: readonly HostileProgram[] = HOSTILE_PROGRAMS,
  onRow?: (row: HostileRow) => void,
): Promise<HostileRow[]> {
  const pool = createSandboxPool({ ...HOSTILE_LIMITS, size: 1 });
  const rows: HostileRow[] = [];
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    for (const program of programs) {
      const rssBefore = process.memoryUsage().rss;
      peak = rssBefore;
      const t0 = Date.now();
      const outcome = await pool.run(program.text);
      const ms = Date.now() - t0;
      const followUp = (await pool.run("-1 string 2+2;\n")).stdout.trim();
      // Let a retired thread finish ending before the host's memory is read again.
      await new Promise((r) => setTimeout(r, 200));
      const row = { program, outcome, ms, rssBefore, rssPeak: peak, rssAfter: process.memoryUsage().rss, followUp };
      rows.push(row);
      onRow?.(row);
    }
  } finally {
    clearInterval(sampler);
    await pool.close();
  }
  return rows;
}

/** Why a row's outcome is not what its program expects (undefined when it is). */
export function hostileMismatch(row: HostileRow): string | undefined {
  const { expect } = row.program;
  const o = row.outcome;
  const got = `limit ${o.limit}, error ${o.error?.name}, exit ${o.exitCode}${o.exited ? " (exited)" : ""}`;
  if (row.followUp !== "4") return `the host's next script printed ${JSON.stringify(row.followUp)}`;
  if (HOSTILE_FILES.some((f) => existsSync(f))) return "a file outside the sandbox was created";
  if ("limit" in expect) return o.limit !== undefined && expect.limit.includes(o.limit) ? undefined : got;
  if ("error" in expect)
    return o.error !== undefined && o.limit === undefined && o.error.name !== "internal" ? undefined : got;
  if ("exit" in expect) return o.exited && o.exitCode === expect.exit ? undefined : got;
  return o.error === undefined && o.exitCode === 0 && o.stdout === "" ? undefined : got;
}
