/**
 * The verification cache never serves a verdict that something besides the
 * problem's own files could have changed: each ingredient of the key is
 * changed in turn (a real run before, a real run after) and must cause a
 * miss. Also: the editor's settings and the CLI's share records.
 */
import { strict as assert } from "node:assert";
import { chmodSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROBLEM_FORMAT_VERSION } from "../../../server/src/dataset/format";
import { DEFAULT_LIMITS } from "../../../server/src/q/limits";
import { cachePath } from "../../../server/src/verify/cache";
import { embeddedEngine } from "../../../server/src/verify/embedded";
import { externalEngine, type QEngine } from "../../../server/src/verify/engines";
import { JUDGE_VERSION } from "../../../server/src/verify/equivalence";
import { type VerifyOptions, verdictContext, verifyDataset } from "../../../server/src/verify/verify";
import { problem, tempDir, writeProblem } from "../dataset/helpers";

describe("verification cache key", function () {
  this.timeout(60_000);
  let root: string;
  let data: string;
  const embedded = embeddedEngine();
  const opts = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
    engine: embedded,
    jobs: 1,
    timeoutMs: 5000,
    memoryMb: 256,
    force: false,
    python: false,
    ...extra,
  });
  /** Runs verify; true when the one problem came from the cache. */
  const cached = async (o: VerifyOptions): Promise<boolean> => {
    const s = await verifyDataset(data, o);
    assert.equal(s.problems[0]!.status, "valid", s.problems[0]!.reason);
    return s.problems[0]!.cached;
  };
  /** Rewrites every record in the cache file (as an older build of the product would have left it). */
  const editRecords = (edit: (r: Record<string, unknown>) => void): void => {
    const file = JSON.parse(readFileSync(cachePath(data), "utf8")) as {
      problems: Record<string, Record<string, unknown>>;
    };
    for (const r of Object.values(file.problems)) edit(r);
    writeFileSync(cachePath(data), JSON.stringify(file));
  };

  beforeEach(() => {
    root = tempDir("cache-key");
    data = join(root, "ds");
    writeProblem(data, "add", problem());
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  after(() => embedded.close());

  it("hits when nothing changed", async () => {
    assert.equal(await cached(opts()), false);
    assert.equal(await cached(opts()), true);
  });

  it("misses when the engine build changes", async () => {
    await cached(opts());
    const rebuilt: QEngine = { id: `${embedded.id}-rebuilt`, run: (s, l) => embedded.run(s, l) };
    assert.equal(await cached(opts({ engine: rebuilt })), false);
  });

  it("misses when a limit changes", async () => {
    await cached(opts());
    assert.equal(await cached(opts({ timeoutMs: 6000 })), false);
    assert.equal(await cached(opts({ timeoutMs: 6000, memoryMb: 300 })), false);
  });

  it("misses records made by another judge version or problem-format version", async () => {
    await cached(opts());
    editRecords((r) => {
      r["judge"] = JUDGE_VERSION - 1;
    });
    assert.equal(await cached(opts()), false);
    editRecords((r) => {
      r["format"] = PROBLEM_FORMAT_VERSION + 1;
    });
    assert.equal(await cached(opts()), false);
    assert.equal(await cached(opts()), true);
  });

  it("puts the judge version, the limits and the format version into the context", async () => {
    const c = await verdictContext(opts());
    assert.match(c, new RegExp(`judge=${JUDGE_VERSION}\\n`));
    assert.match(c, new RegExp(`format=${PROBLEM_FORMAT_VERSION}$`));
    assert.match(c, /time=5000ms;memory=256MiB;output=\d+B;depth=\d+/);
  });

  it("misses when an external q changes behind the same path: content, mtime, real path or version", async () => {
    // A stand-in q: prints its version for the version script, else the answer both tests expect.
    const fake = (version: string): string =>
      `#!/bin/sh\ncase "$(cat "$1")" in *.z.K*) echo "${version}";; *) echo 3;; esac\n`;
    const q1 = join(root, "q1");
    const q2 = join(root, "q2");
    const link = join(root, "q");
    writeFileSync(q1, fake("4.1 2024.10.16"));
    writeFileSync(q2, fake("4.1 2024.10.16"));
    chmodSync(q1, 0o755);
    chmodSync(q2, 0o755);
    symlinkSync(q1, link);
    const ext = (): VerifyOptions => opts({ engine: externalEngine(link) });
    assert.equal(await cached(ext()), false);
    assert.equal(await cached(ext()), true);
    // A new build reporting a new version (same size).
    writeFileSync(q1, fake("4.1 2025.02.18"));
    assert.equal(await cached(ext()), false);
    assert.equal(await cached(ext()), true);
    // Only the mtime.
    utimesSync(q1, new Date(), new Date(Date.now() + 60_000));
    assert.equal(await cached(ext()), false);
    // The same path now resolving to another file with the same bytes.
    unlinkSync(link);
    symlinkSync(q2, link);
    assert.equal(await cached(ext()), false);
    assert.equal(await cached(ext()), true);
  });

  it("shares records between the editor and the CLI (same defaults, Python coverage kept in the record)", async () => {
    const cli = opts({ timeoutMs: DEFAULT_LIMITS.timeoutMs, memoryMb: DEFAULT_LIMITS.memoryMb, python: true });
    const editor = { ...cli, python: false };
    assert.equal(await cached(cli), false);
    assert.equal(await cached(editor), true, "the editor reuses the CLI's verdict");
    // The other way round: a record without the Python references does not serve a run that wants them.
    rmSync(cachePath(data));
    assert.equal(await cached(editor), false);
    assert.equal(await cached(cli), false);
    editRecords((r) => {
      r["python"] = "python3: Python 2.7.18";
    });
    assert.equal(await cached(cli), false, "another Python interpreter");
  });
});
