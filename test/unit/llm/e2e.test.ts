/**
 * `qds convert` end to end over a copy of the example dataset, every part
 * real except the model: the built CLI (dist/cli.js) in child processes, the
 * embedded q engine judging each attempt, and `qds verify` afterwards as the
 * judge of the result. The model is the local wire stub, answering each
 * conversion request with the known-good q of the Python the prompt carries:
 * the original sol.q for a problem's sol.py, the original q_test_case_N.q for
 * its test_case_N.py. The copies lose every sol.q (and, for the fault run,
 * every q test too, so there are about four calls per problem to fail).
 *
 * Three runs: a clean one; one killed with SIGKILL partway and restarted with
 * the same arguments (finished problems are never asked again); and one
 * where about 30% of requests fail with mixed faults, chosen by a seeded
 * generator per problem and attempt so the run is the same every time
 * whatever order the pool takes the problems in.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, type FSWatcher, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Recorded, type Step, StubServer } from "../../stubs/llm-stub";
import { ensureBuilt } from "../lsp/client";

const ROOT = resolve(__dirname, "../../..");
const CLI = join(ROOT, "dist/cli.js");
const SOURCE = join(ROOT, "examples/dataset");
/** Enough problems to kill a run among them, few enough to keep each run a few seconds. */
const COUNT = 10;
/** Seeds the fault run's choices; chosen so that every kind of fault occurs among these problems. */
const SEED = "qds-faults-3";

interface Dataset {
  dir: string;
  names: string[];
  /** What the model is asked to convert, "<problem>" or "<problem> test <n>" → the Python and its known-good q. */
  parts: Map<string, { python: string; q: string }>;
}

/** The first COUNT example problems, copied without their sol.q (and without their q tests if `dropTests`). */
function makeDataset(dropTests = false): Dataset {
  const dir = mkdtempSync(join(tmpdir(), "qds-e2e-"));
  const names = readdirSync(SOURCE, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(SOURCE, e.name, "sol.q")))
    .map((e) => e.name)
    .sort()
    .slice(0, COUNT);
  assert.equal(names.length, COUNT, `${SOURCE}: fewer than ${COUNT} problems with a sol.q`);
  const parts = new Map<string, { python: string; q: string }>();
  const take = (key: string, name: string, py: string, q: string, drop: boolean) => {
    const at = join(dir, name);
    parts.set(key, { python: readFileSync(join(at, py), "utf8").trim(), q: readFileSync(join(at, q), "utf8") });
    if (drop) rmSync(join(at, q));
  };
  for (const name of names) {
    cpSync(join(SOURCE, name), join(dir, name), { recursive: true });
    take(name, name, "sol.py", "sol.q", true);
    for (const f of readdirSync(join(dir, name))) {
      const n = /^q_test_case_(\d+)\.q$/.exec(f)?.[1];
      if (n !== undefined) take(`${name} test ${n}`, name, `test_case_${n}.py`, f, dropTests);
    }
  }
  return { dir, names, parts };
}

/** Which part the request's last user message asks to convert, by the Python it carries. */
function partOf(ds: Dataset, r: Recorded): string | undefined {
  const msgs = r.body["messages"] as Array<{ role: string; content: string }> | undefined;
  const text = msgs?.[msgs.length - 1]?.content ?? "";
  for (const [key, p] of ds.parts) if (text.includes(p.python)) return key;
  return undefined;
}
const problemOf = (key: string | undefined) => key?.split(" ")[0];

/** The model: the known-good q for the part asked about; 400 (not retried) for anything else. */
const answer = (ds: Dataset, key: string | undefined): Step =>
  key === undefined
    ? { status: 400, body: JSON.stringify({ error: { message: "stub: no known Python in this prompt" } }) }
    : { reply: `Here is the q version:\n\`\`\`q\n${ds.parts.get(key)!.q.trimEnd()}\n\`\`\`\n` };

function run(cmd: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...cmd], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}
function finish(p: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    let out = "";
    let err = "";
    p.stdout!.on("data", (d) => (out += d));
    p.stderr!.on("data", (d) => (err += d));
    p.on("close", (code) => res({ code, out, err }));
  });
}

/** Every parsable event of the dataset's run logs (a line torn by a kill is skipped, as the CLI does). */
function events(dir: string): Array<{ event: string; problem?: string }> {
  const logDir = join(dir, ".qds", "runs");
  if (!existsSync(logDir)) return [];
  const out = [];
  for (const f of readdirSync(logDir))
    for (const line of readFileSync(join(logDir, f), "utf8").split("\n")) {
      try {
        out.push(JSON.parse(line) as { event: string; problem?: string });
      } catch {
        // torn or empty line
      }
    }
  return out;
}
const doneNames = (dir: string) =>
  events(dir)
    .filter((e) => e.event === "problem_done")
    .map((e) => e.problem!);

/** Counts per name, for "exactly once" checks. */
function tally(names: Iterable<string | undefined>): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of names) if (n !== undefined) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
}

/** `qds verify` must find every problem valid. */
async function assertAllValid(dir: string): Promise<void> {
  const v = await finish(run(["verify", dir]));
  assert.equal(v.code, 0, `qds verify failed:\n${v.out}\n${v.err}`);
  assert.match(v.out, new RegExp(`problems\\s+${COUNT}\\n\\s+valid\\s+${COUNT}\\n`));
}

describe("qds convert end to end (built CLI, embedded q, stub model)", function () {
  this.timeout(120_000);
  before(() => ensureBuilt());
  let stub: StubServer;
  let ds: Dataset;
  beforeEach(async () => {
    stub = await StubServer.start("openai-chat");
    ds = makeDataset();
  });
  afterEach(async () => {
    await stub.close();
    rmSync(ds.dir, { recursive: true, force: true });
  });

  const convertArgs = (extra: string[] = []) => [
    "convert",
    ds.dir,
    "--provider",
    "openai-compatible",
    "--base-url",
    stub.baseUrl,
    "--model",
    "m",
    "--yes",
    ...extra,
  ];
  /** Which problem each recorded request was about, in arrival order. */
  const asked = (from = 0) => stub.requests.slice(from).map((r) => problemOf(partOf(ds, r)));
  const once = () => ds.names.map((n) => [n, 1]);
  const answerAll = () => {
    stub.respond = (r) => answer(ds, partOf(ds, r));
  };

  it("converts every problem from its Python and verify finds all valid", async () => {
    answerAll();
    const r = await finish(run(convertArgs()));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`converted ${COUNT}, failing 0, error 0, skipped 0`));
    assert.deepEqual([...tally(asked()).entries()].sort(), once());
    for (const name of ds.names)
      assert.equal(readFileSync(join(ds.dir, name, "sol.q"), "utf8").trimEnd(), ds.parts.get(name)!.q.trimEnd(), name);
    await assertAllValid(ds.dir);
  });

  it("resumes after SIGKILL: finished problems are not asked again, none lost or logged twice", async () => {
    answerAll();
    // One at a time, so the kill lands between problems with several finished and several to go.
    const args = convertArgs(["--concurrency", "1"]);
    const first = run(args);
    const exited = finish(first);
    const deadline = Date.now() + 60_000;
    while (doneNames(ds.dir).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    first.kill("SIGKILL");
    const killed = await exited;
    const finishedAtKill = new Set(doneNames(ds.dir));
    assert.equal(killed.code, null, "the first run ended before it was killed");
    assert.ok(finishedAtKill.size >= 3 && finishedAtKill.size < COUNT, `finished at kill: ${finishedAtKill.size}`);

    const before = stub.requests.length;
    const r = await finish(run(args));
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(`converted ${COUNT - finishedAtKill.size}, failing 0, error 0, skipped ${finishedAtKill.size}`),
    );
    const again = asked(before).filter((n) => n !== undefined && finishedAtKill.has(n));
    assert.deepEqual(again, [], "problems finished before the kill were asked again");
    // Only a problem in flight at the kill may have been asked twice, and at most one was in flight.
    const twice = [...tally(asked()).entries()].filter(([, k]) => k > 1);
    assert.ok(twice.length <= 1 && twice.every(([, k]) => k === 2), JSON.stringify(twice));
    assert.deepEqual([...tally(doneNames(ds.dir)).entries()].sort(), once());
    await assertAllValid(ds.dir);
  });

  it("completes every problem exactly once through ~30% mixed faults", async () => {
    rmSync(ds.dir, { recursive: true, force: true });
    ds = makeDataset(true);
    // A seeded generator per part and attempt: attempt k at a part always gets the same fault,
    // whatever order the pool reaches the parts in.
    const faults: Array<[string, Step]> = [
      ["429", { status: 429, headers: { "retry-after": "0.05" } }],
      ["500", { status: 500 }],
      ["stall", { stall: true }],
      ["truncate", { truncate: true }],
      ["reset", { reset: true }],
    ];
    const served = new Map<string, string[]>();
    stub.respond = (r) => {
      const key = partOf(ds, r);
      if (key === undefined) return answer(ds, key);
      const got = served.get(key) ?? [];
      served.set(key, got);
      const roll = seeded(`${SEED}:${key}#${got.length}`);
      const [label, step] = roll() < 0.3 ? faults[Math.floor(roll() * faults.length)]! : ["reply", answer(ds, key)];
      got.push(label);
      return step;
    };
    // Count each atomic rename onto a q file: a file written twice would show twice.
    const watchers: FSWatcher[] = [];
    const writes: string[] = [];
    for (const name of ds.names)
      watchers.push(
        watch(join(ds.dir, name), (type, file) => {
          if (type === "rename" && /^(sol|q_test_case_\d+)\.q$/.test(String(file))) writes.push(`${name}/${file}`);
        }),
      );
    const r = await finish(
      run(convertArgs(["--concurrency", "4", "--llm-timeout", "1", "--backoff-ms", "20", "--retries", "6"])),
    );
    for (const w of watchers) w.close();
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, new RegExp(`converted ${COUNT}, failing 0, error 0, skipped 0`));
    // The faults really happened, every kind of them, and each part got exactly one good reply.
    const kinds = [...served.values()].flat();
    const faulty = kinds.filter((k) => k !== "reply").length;
    assert.ok(faulty >= 0.25 * kinds.length, `only ${faulty} faults in ${kinds.length} requests`);
    for (const [k] of faults) assert.ok(kinds.includes(k), `no ${k} fault was served`);
    assert.deepEqual(
      [...served.entries()].filter(([, steps]) => steps.filter((s) => s === "reply").length !== 1),
      [],
      "a part answered more or less than once",
    );
    assert.equal(served.size, ds.parts.size, "some part was never asked");
    const files = [...ds.parts.keys()].map((k) =>
      k.replace(/ test (\d+)$/, "/q_test_case_$1.q").replace(/^[^/]+$/, "$&/sol.q"),
    );
    assert.deepEqual(
      [...tally(writes).entries()].sort(),
      files.sort().map((f) => [f, 1]),
    );
    assert.deepEqual([...tally(doneNames(ds.dir)).entries()].sort(), once());
    await assertAllValid(ds.dir);
  });
});

/** A small deterministic generator (FNV-1a seeded mulberry32), so fault choices repeat run to run. */
function seeded(key: string): () => number {
  let s = 2166136261;
  for (let i = 0; i < key.length; i++) s = Math.imul(s ^ key.charCodeAt(i), 16777619);
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
