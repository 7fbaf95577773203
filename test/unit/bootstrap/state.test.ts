/**
 * The bootstrap run store: guarded transitions, the event log that never
 * falls short of the state (even after a crash between the two writes),
 * input hashes, and the controller lock's pid + start-time check.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  acquireLock,
  EVENTS_FILE,
  hashInputs,
  LOCK_FILE,
  PhaseStatus,
  processStartTime,
  RunStatus,
  readEvents,
  STATE_FILE,
  Store,
  TransitionError,
} from "../../../server/src/bootstrap/state";

describe("bootstrap state store", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-bstate-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const newPhase = { iteration: 1, phase: "train" as const, inputsHash: "h1" };

  it("records each transition in state.json and one event line, with increasing seq", () => {
    const s = Store.create(dir, "run-1");
    s.setRun([RunStatus.Created], RunStatus.Running, {}, "started");
    s.transition("1/train", ["absent"], PhaseStatus.Running, newPhase);
    s.transition("1/train", [PhaseStatus.Running], PhaseStatus.Succeeded, { outputsHash: "o1" });
    const state = JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8"));
    assert.equal(state.phases["1/train"].status, "succeeded");
    assert.equal(state.phases["1/train"].outputsHash, "o1");
    const events = readEvents(dir);
    assert.deepEqual(
      events.map((e) => [e.seq, e.key, e.from, e.to]),
      [
        [1, "run", "created", "running"],
        [2, "1/train", "absent", "running"],
        [3, "1/train", "running", "succeeded"],
      ],
    );
    assert.equal(state.seq, 3);
  });

  it("refuses a transition from a status not listed, and writes nothing", () => {
    const s = Store.create(dir, "run-1");
    s.transition("1/train", ["absent"], PhaseStatus.Running, newPhase);
    s.transition("1/train", [PhaseStatus.Running], PhaseStatus.Succeeded, {});
    const before = readFileSync(join(dir, STATE_FILE), "utf8");
    assert.throws(
      () => s.transition("1/train", [PhaseStatus.Running], PhaseStatus.Failed, {}),
      (e: unknown) => e instanceof TransitionError && /is succeeded, cannot become failed/.test(e.message),
    );
    assert.throws(() => s.setRun([RunStatus.Running], RunStatus.Succeeded), /run is created/);
    assert.equal(readFileSync(join(dir, STATE_FILE), "utf8"), before);
    assert.equal(readEvents(dir).length, 2);
  });

  it("a new phase needs its iteration, name and input hash", () => {
    const s = Store.create(dir, "run-1");
    assert.throws(() => s.transition("1/train", ["absent"], PhaseStatus.Running, {}), /inputsHash are required/);
  });

  it("reopening restores an event a crash kept out of the log (state written, append lost)", () => {
    const s = Store.create(dir, "run-1");
    s.transition("1/solve", ["absent"], PhaseStatus.Running, { ...newPhase, phase: "solve" });
    s.transition("1/solve", [PhaseStatus.Running], PhaseStatus.Succeeded, {});
    // Simulate the crash: drop the last event line and leave a torn half line instead.
    const lines = readFileSync(join(dir, EVENTS_FILE), "utf8").trim().split("\n");
    writeFileSync(join(dir, EVENTS_FILE), `${lines[0]}\n{"seq":2,"ti`);
    const reopened = Store.open(dir);
    const events = readEvents(dir);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2],
    );
    assert.equal(events[1]!.to, "succeeded");
    assert.equal(reopened.phase("1/solve")?.status, PhaseStatus.Succeeded);
    // Reopening again appends nothing more.
    Store.open(dir);
    assert.equal(readEvents(dir).length, 2);
  });

  it("create refuses an existing run; open names a folder that is not a run", () => {
    Store.create(dir, "run-1");
    assert.throws(() => Store.create(dir, "run-1"), /already created/);
    const empty = mkdtempSync(join(tmpdir(), "qds-bstate-empty-"));
    try {
      assert.throws(() => Store.open(empty), /is not a bootstrap run \(no state.json\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("input hashes ignore key order and undefined fields, and see every value", () => {
    assert.equal(hashInputs({ a: 1, b: [1, 2], c: undefined }), hashInputs({ b: [1, 2], a: 1 }));
    assert.notEqual(hashInputs({ a: 1, b: [1, 2] }), hashInputs({ a: 1, b: [2, 1] }));
    assert.notEqual(hashInputs({ a: "1" }), hashInputs({ a: 1 }));
  });

  it("the controller lock refuses a live holder and takes over a dead or reused pid", async () => {
    const release = acquireLock(dir);
    assert.throws(() => acquireLock(dir), new RegExp(`already being run by process ${process.pid}`));
    release();
    // A dead process: spawn one and let it end.
    const dead = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
    writeFileSync(join(dir, LOCK_FILE), `${dead.stdout.trim()} 12345\n`);
    acquireLock(dir)();
    // A live pid with another start time (a reused pid) is stale too.
    const child = spawn("sleep", ["30"]);
    try {
      assert.ok(processStartTime(child.pid!) !== undefined);
      writeFileSync(join(dir, LOCK_FILE), `${child.pid} 1\n`);
      acquireLock(dir)();
      writeFileSync(join(dir, LOCK_FILE), `${child.pid} ${processStartTime(child.pid!)}\n`);
      assert.throws(() => acquireLock(dir), /already being run/);
    } finally {
      child.kill();
    }
  });
});
