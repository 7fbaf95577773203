/**
 * kill -9 and resume, through the real CLI (`qds traces transform`) in a
 * child process against local Gemini-compatible servers: whatever the kill
 * interrupted, the resumed run ends with every row in transformed.jsonl
 * exactly once, finished rows are not requested again, and a batch job
 * submitted before the kill is collected, not submitted a second time.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BatchStub } from "../../stubs/batch-stub";
import { StubServer } from "../../stubs/llm-stub";
import { rewriteReply, transformedIds, writeRows } from "../../support/traces-rows";

const ROOT = resolve(__dirname, "../../..");
const MAIN = join(ROOT, "server/src/cli/main.ts");

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", MAIN, "traces", "transform", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "", HOME: tmpdir(), GEMINI_API_KEY: "test-key" },
  });
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exit(child: ChildProcess): Promise<{ code: number | null; err: string }> {
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  child.stdout!.resume();
  return new Promise((r) => child.on("exit", (code) => r({ code, err })));
}

function userText(body: Record<string, unknown>): string {
  return (body["contents"] as { parts: { text: string }[] }[])[0]!.parts[0]!.text;
}

describe("traces: transform survives kill -9", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-kill-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("synchronous: killed mid-run, the re-run writes each remaining row once and repeats none", async () => {
    const stub = await StubServer.start("gemini");
    let stall = true;
    // Rows 0-2 answer at once; from row 3 on the server holds the request (the child is then killed).
    stub.respond = (r) => {
      const text = userText(r.body);
      const n = Number(/case (\d+)\./.exec(text)?.[1]);
      return stall && n >= 3 ? { stall: true } : { reply: rewriteReply(text) };
    };
    try {
      const ids = writeRows(dir, 6);
      const args = [
        "--run",
        dir,
        "--provider",
        "gemini",
        "--model",
        "m",
        "--base-url",
        stub.baseUrl,
        "--concurrency",
        "1",
      ];
      const child = cli(args);
      const ended = exit(child);
      await until("three rows written", () => transformedIds(dir).length === 3 && stub.requests.length === 4);
      child.kill("SIGKILL");
      await ended;
      stall = false;
      const second = await exit(cli(args));
      assert.equal(second.code, 0, second.err);
      const out = transformedIds(dir);
      assert.deepEqual([...out].sort(), [...ids].sort());
      assert.equal(new Set(out).size, out.length, "no row twice");
      const asked = stub.requests.map((r) => Number(/case (\d+)\./.exec(userText(r.body))?.[1]));
      for (const n of [0, 1, 2]) assert.equal(asked.filter((a) => a === n).length, 1, `row ${n} requested once`);
    } finally {
      await stub.close();
    }
  });

  it("batch: killed while polling, the re-run collects the submitted job and submits only the rest", async () => {
    const stub = await BatchStub.start("gemini");
    stub.reply = rewriteReply;
    stub.pollsUntilDone = 1_000_000;
    try {
      const ids = writeRows(dir, 6);
      const args = [
        ...["--run", dir, "--provider", "gemini", "--model", "m", "--base-url", stub.baseUrl],
        ...["--batch", "--batch-size", "3", "--poll-ms", "20"],
      ];
      const child = cli(args);
      const ended = exit(child);
      const batches = join(dir, "batches");
      await until("the first job recorded", () => existsSync(batches) && readdirSync(batches).length === 1);
      await until("the first job polled", () => stub.jobs[0]!.polls >= 2);
      child.kill("SIGKILL");
      await ended;
      assert.equal(stub.jobs.length, 1);
      assert.equal(transformedIds(dir).length, 0);
      stub.pollsUntilDone = 1;
      const second = await exit(cli(args));
      assert.equal(second.code, 0, second.err);
      assert.equal(stub.jobs.length, 2, "one more job, for the rows not yet submitted");
      assert.deepEqual(
        stub.jobs.map((j) => j.requests.map((r) => r.id)),
        [
          ["row0", "row1", "row2"],
          ["row3", "row4", "row5"],
        ],
      );
      const out = transformedIds(dir);
      assert.deepEqual([...out].sort(), [...ids].sort());
      const state = JSON.parse(readFileSync(join(dir, "pipeline_state.json"), "utf8")) as { done: object };
      assert.ok("transform" in state.done);
    } finally {
      await stub.close();
    }
  });
});
