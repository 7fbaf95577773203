/**
 * Conversion and repair end to end, with real parts: the openai SDK talking
 * to the local stub, the verifier's embedded q engine judging every attempt
 * (so the scripted replies are real q and their outputs really computed),
 * real problem folders in a temp dataset, and the real `qds convert` CLI in a
 * child process for resume after kill -9, the confirmation gate and dry runs.
 * The model is the only double: no real provider can be reached from here.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LlmClient } from "../../../server/src/llm/client";
import {
  type ConvertContext,
  convertProblem,
  engineRunner,
  type RunEvent,
  readProblem,
} from "../../../server/src/llm/convert";
import { PromptLoader } from "../../../server/src/llm/prompts";
import { parseSettings } from "../../../server/src/llm/settings";
import { embeddedEngine } from "../../../server/src/verify/embedded";
import { StubServer } from "../../stubs/llm-stub";

const ROOT = resolve(__dirname, "../../..");
const KEY = "sk-convert-test-key-0123456789";

const qReply = (body: string) => `Here you go:\n\`\`\`q\n${body}\n\`\`\`\n`;
const testReply = (args: string) => `\`\`\`q\nshow solve[${args}]\n\`\`\``;

function makeProblem(
  dataset: string,
  name: string,
  tests: Array<[string, string]>,
  extra: Record<string, string> = {},
) {
  const dir = join(dataset, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "entry.json"),
    JSON.stringify({ id: name, difficulty: "Easy", entry_point: "Solution().add" }),
  );
  writeFileSync(join(dir, "problem_description.txt"), `Add two numbers (${name}).`);
  writeFileSync(join(dir, "sol.py"), "class Solution:\n    def add(self, a, b):\n        return a + b\n");
  tests.forEach(([args, expected], i) => {
    writeFileSync(join(dir, `test_case_${i + 1}.py`), `print(Solution().add(${args.replace(";", ", ")}))\n`);
    writeFileSync(join(dir, `test_case_${i + 1}_correct_ans.txt`), `${expected}\n`);
  });
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text);
  return dir;
}

describe("convert one problem", () => {
  const engine = embeddedEngine();
  after(() => engine.close());
  let stub: StubServer;
  let dataset: string;
  let events: RunEvent[];
  beforeEach(async () => {
    stub = await StubServer.start("openai-chat");
    dataset = mkdtempSync(join(tmpdir(), "qds-convert-"));
    events = [];
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dataset, { recursive: true, force: true });
  });

  const ctx = (maxRounds = 3): ConvertContext => ({
    client: new LlmClient({
      settings: parseSettings({ provider: "openai", model: "gpt-4o-mini", baseUrl: stub.baseUrl, retries: 1 }),
      apiKey: KEY,
      retry: { baseMs: 5, maxMs: 20 },
    }),
    prompts: new PromptLoader([]),
    // The limits `qds convert` uses by default.
    runner: engineRunner(engine, { timeoutMs: 10_000, memoryMb: 1024 }),
    maxRounds,
    log: (e) => events.push(e),
  });
  const lastUser = (i: number) => {
    const msgs = stub.requests[i]!.body["messages"] as Array<{ role: string; content: string }>;
    return msgs[msgs.length - 1]!.content;
  };

  it("converts, follows up on prose, repairs with the failing test and writes the files", async () => {
    const dir = makeProblem(dataset, "add_1", [
      ["1;2", "3"],
      ["3;4", "7"],
    ]);
    stub.push(
      { reply: "This needs careful thought about q semantics." },
      { reply: qReply("solve:{[a;b] a-b}") },
      { reply: testReply("1;2") },
      { reply: testReply("3;4") },
      { reply: qReply("solve:{[a;b] a+b}") },
    );
    const o = await convertProblem(readProblem(dir, "add_1"), ctx());
    assert.deepEqual(o, { name: "add_1", status: "converted", rounds: 2, calls: 5 });
    assert.equal(stub.requests.length, 5);
    // The follow-up keeps the conversation and says what was missing.
    const second = stub.requests[1]!.body["messages"] as Array<{ role: string; content: string }>;
    assert.deepEqual(
      second.slice(1).map((m) => m.role),
      ["user", "assistant", "user"],
    );
    assert.match(lastUser(1), /no usable q code/);
    assert.match(lastUser(2), /print\(Solution\(\)\.add\(1, 2\)\)/);
    // The repair prompt carries the failing test, expected and actual output.
    const fix = lastUser(4);
    assert.match(fix, /show solve\[1;2\]/);
    assert.match(fix, /Expected output:\n\n```\n3\n```/);
    assert.match(fix, /Actual output:\n\n```\n-1\n```/);
    assert.match(fix, /q error: none/);
    assert.match(readFileSync(join(dir, "sol.q"), "utf8"), /^solve:\{\[a;b\] a\+b\}/);
    assert.equal(readFileSync(join(dir, "q_test_case_2.q"), "utf8"), "show solve[3;4]\n");
    const verdicts = events.filter((e) => e.event === "verdict");
    assert.equal(verdicts.length, 2);
    assert.ok(!JSON.stringify(events).includes(KEY));
  });

  it("feeds the q error back and stops after maxRounds, writing the failing attempt only where there was no sol.q", async () => {
    const dir = makeProblem(dataset, "add_2", [["1;2", "3"]]);
    stub.push(
      { reply: qReply("solve:{[a;b] a+`b}") },
      { reply: testReply("1;2") },
      { reply: qReply("solve:{[a;b] a+`c}") },
    );
    const o = await convertProblem(readProblem(dir, "add_2"), ctx(2));
    assert.equal(o.status, "failing");
    assert.equal(o.rounds, 2);
    assert.match(o.reason ?? "", /'type/);
    assert.match(lastUser(2), /q error: .*'type/);
    assert.match(readFileSync(join(dir, "sol.q"), "utf8"), /a\+`c/);
  });

  it("repairs an existing sol.q and never overwrites it with a failing attempt", async () => {
    const human = "solve:{[a;b] a*b}\n";
    const dir = makeProblem(dataset, "add_3", [["1;2", "3"]], {
      "sol.q": human,
      "q_test_case_1.q": "show solve[1;2]\n",
    });
    stub.push({ reply: qReply("solve:{[a;b] a-b}") });
    const o = await convertProblem(readProblem(dir, "add_3"), ctx(2));
    assert.equal(o.status, "failing");
    assert.equal(stub.requests.length, 1, "no conversion call: it starts from sol.q and the existing test");
    assert.match(lastUser(0), /solve:\{\[a;b\] a\*b\}/);
    assert.equal(readFileSync(join(dir, "sol.q"), "utf8"), human);
  });

  it("repairs the test it wrote when a solution repair changes nothing", async () => {
    const dir = makeProblem(dataset, "add_6", [["1;2", "3"]]);
    const right = qReply("solve:{[a;b] a+b}");
    stub.push(
      { reply: right },
      { reply: testReply("2") }, // wrong translation: one argument, so q shows a projection
      { reply: right }, // fix-solution: nothing to fix, same failure follows
      { reply: testReply("1;2") }, // fix-test
    );
    const o = await convertProblem(readProblem(dir, "add_6"), ctx(4));
    assert.deepEqual(o, { name: "add_6", status: "converted", rounds: 3, calls: 4 });
    assert.match(lastUser(2), /Current q solution/);
    assert.match(lastUser(3), /Current q test\n\n```q\nshow solve\[2\]/);
    assert.match(lastUser(3), /print\(Solution\(\)\.add\(1, 2\)\)/);
    assert.equal(readFileSync(join(dir, "q_test_case_1.q"), "utf8"), "show solve[1;2]\n");
  });

  it("leaves a passing sol.q alone: no calls, no rewrite", async () => {
    const dir = makeProblem(dataset, "add_5", [["1;2", "3"]], {
      "sol.q": "solve:{[a;b] a+b}\n",
      "q_test_case_1.q": "show solve[1;2]\n",
    });
    const before = statSync(join(dir, "sol.q")).mtimeMs;
    const o = await convertProblem(readProblem(dir, "add_5"), ctx());
    assert.deepEqual(o, { name: "add_5", status: "converted", rounds: 1, calls: 0 });
    assert.equal(stub.requests.length, 0);
    assert.equal(statSync(join(dir, "sol.q")).mtimeMs, before);
  });

  it("gives a clear error when the model never produces code", async () => {
    const dir = makeProblem(dataset, "add_4", [["1;2", "3"]]);
    stub.push({ reply: "Sorry, I can't." }, { reply: "Still no." });
    const o = await convertProblem(readProblem(dir, "add_4"), ctx());
    assert.equal(o.status, "error");
    assert.match(o.reason ?? "", /convert-solution: the model gave no usable code twice/);
    assert.ok(!existsSync(join(dir, "sol.q")));
  });
});

describe("qds convert (CLI)", function () {
  this.timeout(60_000);
  let stub: StubServer;
  let dataset: string;
  beforeEach(async () => {
    stub = await StubServer.start("openai-chat");
    dataset = mkdtempSync(join(tmpdir(), "qds-convert-cli-"));
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dataset, { recursive: true, force: true });
  });

  const cli = (args: string[], env: Record<string, string> = {}): ChildProcess =>
    spawn(process.execPath, ["--import", "tsx", join(ROOT, "server/src/cli/main.ts"), "convert", dataset, ...args], {
      cwd: ROOT,
      env: { ...process.env, OPENAI_API_KEY: KEY, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  const finish = (p: ChildProcess) =>
    new Promise<{ code: number | null; out: string; err: string }>((res) => {
      let out = "";
      let err = "";
      p.stdout!.on("data", (d) => (out += d));
      p.stderr!.on("data", (d) => (err += d));
      p.on("close", (code) => res({ code, out, err }));
    });
  const base = () => [
    "--provider",
    "openai",
    "--model",
    "gpt-4o-mini",
    "--base-url",
    stub.baseUrl,
    "--concurrency",
    "1",
  ];
  const good = (args: string) => [{ reply: qReply("solve:{[a;b] a+b}") }, { reply: testReply(args) }];

  it("resumes after kill -9 without repeating finished problems", async () => {
    makeProblem(dataset, "p1", [["1;2", "3"]]);
    makeProblem(dataset, "p2", [["3;4", "7"]]);
    makeProblem(dataset, "p3", [["1;2", "3"]]);
    // p1 converts; p2's first request stalls forever, so the run is mid-problem when killed.
    stub.push(...good("1;2"), { stall: true });
    const child = cli([...base()]);
    const logDir = join(dataset, ".qds", "runs");
    const logText = () =>
      existsSync(logDir)
        ? readdirSync(logDir)
            .map((f) => readFileSync(join(logDir, f), "utf8"))
            .join("")
        : "";
    const deadline = Date.now() + 30_000;
    while (stub.requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(stub.requests.length, 3, `child did not reach p2:\n${logText()}`);
    child.kill("SIGKILL");
    await finish(child);
    assert.match(logText(), /"event":"problem_done","problem":"p1"/);
    assert.ok(existsSync(join(dataset, "p1", "sol.q")));

    const before = stub.requests.length;
    stub.push(...good("3;4"), ...good("1;2"));
    const r = await finish(cli([...base()]));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /converted 2, failing 0, error 0, skipped 1/);
    const second = stub.requests.slice(before).map((q) => JSON.stringify(q.body));
    assert.equal(second.length, 4);
    assert.ok(!second.some((b) => b.includes("(p1)")), "p1 was asked again");
    assert.ok(existsSync(join(dataset, "p2", "sol.q")) && existsSync(join(dataset, "p3", "q_test_case_1.q")));
    assert.ok(!logText().includes(KEY), "key in run log");
  });

  it("stops the batch on a rejected key and never prints or logs the key", async () => {
    makeProblem(dataset, "p1", [["1;2", "3"]]);
    makeProblem(dataset, "p2", [["1;2", "3"]]);
    stub.push({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }) });
    const r = await finish(cli(base()));
    assert.equal(r.code, 1);
    assert.match(r.err, /HTTP 401.*\[REDACTED\]/);
    assert.equal(stub.requests.length, 1, "a bad key must not be tried on every problem");
    const logs = readdirSync(join(dataset, ".qds", "runs")).map((f) =>
      readFileSync(join(dataset, ".qds", "runs", f), "utf8"),
    );
    assert.ok(!`${r.out}${r.err}${logs.join("")}`.includes(KEY));
  });

  it("dry-run renders and estimates without calling", async () => {
    makeProblem(dataset, "p1", [["1;2", "3"]]);
    makeProblem(dataset, "p2", [["3;4", "7"]], { "sol.q": "solve:{x}\n" });
    const r = await finish(cli([...base(), "--dry-run", "--only", "missing"]));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1 problems with openai\/gpt-4o-mini: 2-4 calls, ~\d+ input/);
    assert.equal(stub.requests.length, 0);
  });

  it("refuses more than 100 problems without --yes when there is no terminal", async () => {
    for (let i = 0; i < 101; i++) makeProblem(dataset, `p${String(i).padStart(3, "0")}`, [["1;2", "3"]]);
    const r = await finish(cli(base()));
    assert.equal(r.code, 2);
    assert.match(r.out, /101 problems/);
    assert.match(r.err, /above 100; re-run with --yes/);
    assert.equal(stub.requests.length, 0);
  });
});
