/**
 * Batch plumbing without any model: problem selection by --only,
 * --difficulty and --limit (failing status read from the verifier's real
 * cache file), and the run log: redacted lines, and a torn last line from a
 * killed run ignored on resume.
 */
import { strict as assert } from "node:assert";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROBLEM_FORMAT_VERSION } from "../../../server/src/dataset/format";
import { RunLog, selectProblems } from "../../../server/src/llm/batch";
import { cachePath } from "../../../server/src/verify/cache";
import { JUDGE_VERSION } from "../../../server/src/verify/equivalence";

describe("batch selection and run log", () => {
  let ds: string;
  beforeEach(() => {
    ds = mkdtempSync(join(tmpdir(), "qds-batch-"));
    const mk = (name: string, difficulty: string, q: boolean) => {
      mkdirSync(join(ds, name));
      writeFileSync(join(ds, name, "entry.json"), JSON.stringify({ difficulty }));
      writeFileSync(join(ds, name, "sol.py"), "");
      if (q) writeFileSync(join(ds, name, "sol.q"), "solve:{x}\n");
    };
    mk("a", "Easy", false);
    mk("b", "Hard", true);
    mk("c", "Medium", true);
    mk("d", "Hard", false);
    const rec = (status: string) => ({
      fingerprint: "f",
      statSignature: "s",
      engine: "e",
      judge: JUDGE_VERSION,
      format: PROBLEM_FORMAT_VERSION,
      status,
      tests: [],
      verifiedAt: "t",
    });
    mkdirSync(join(ds, ".qds", "cache"), { recursive: true });
    writeFileSync(cachePath(ds), JSON.stringify({ version: 1, problems: { b: rec("failing"), c: rec("valid") } }));
  });
  afterEach(() => rmSync(ds, { recursive: true, force: true }));

  it("filters by --only, --difficulty and --limit", () => {
    assert.deepEqual(selectProblems(ds, {}), ["a", "b", "c", "d"]);
    assert.deepEqual(selectProblems(ds, { only: "missing" }), ["a", "d"]);
    assert.deepEqual(selectProblems(ds, { only: "failing" }), ["b"]);
    assert.deepEqual(selectProblems(ds, { difficulty: ["hard", "Easy"] }), ["a", "b", "d"]);
    assert.deepEqual(selectProblems(ds, { only: "missing", difficulty: ["Hard"] }), ["d"]);
    assert.deepEqual(selectProblems(ds, { limit: 2 }), ["a", "b"]);
  });

  it("redacts log lines and survives a torn last line", () => {
    const key = "sk-abcdefghijklmnopqrstuvwxyz0123";
    const log = new RunLog(ds, "r1", [key]);
    log.write({ event: "problem_done", problem: "a" });
    log.write({ event: "call", problem: "b", response: `echo ${key}` });
    log.write({ event: "problem_error", problem: "b" });
    appendFileSync(log.path, '{"event":"problem_done","problem":"c"'); // kill -9 mid-write
    assert.deepEqual([...new RunLog(ds, "r1", []).finished()], ["a"]);
    assert.ok(!readFileSync(log.path, "utf8").includes(key));
    assert.deepEqual([...new RunLog(ds, "other", []).finished()], []);
  });
});
