/**
 * `qds bootstrap` refusing bad input with one line naming the cause, before
 * any run folder exists: a bad config file (the field, or the JSON line), a
 * missing flag, an unreachable host (a real sshd's unused port), a folder
 * that is not a run. The CLI is bundled and run as a process.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../../server/src/bootstrap/config";
import { bundleNode } from "../../support/bundle";
import { type Sshd, startSshd } from "../../support/sshd";

describe("qds bootstrap: clear errors", function () {
  this.timeout(120_000);
  let root: string;
  let cli: string;
  let sshd: Sshd;
  const qds = (...args: string[]) => {
    const r = spawnSync("node", [cli, "bootstrap", ...args], { encoding: "utf8", cwd: root });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "qds-bcli-"));
    await bundleNode([["server/src/cli/main.ts", "cli.js"]], join(root, "bin"));
    // The ssh transport ships remote/ from above its bundle, as from the packaged extension.
    symlinkSync(join(__dirname, "../../../remote"), join(root, "remote"));
    cli = join(root, "bin", "cli.js");
    sshd = await startSshd();
    mkdirSync(join(root, "ds"));
  });
  after(async () => {
    await sshd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("a bad config value names the file and the field; bad JSON names the line", () => {
    const file = join(root, "bad.json");
    writeFileSync(file, JSON.stringify({ dataset: "ds", host: "h", baseModel: "m", maxIterations: 0 }, null, 2));
    const r = qds("start", "--config", file, "--runs", "runs");
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.json:5: maxIterations: .*>=1/);
    assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
    writeFileSync(file, '{\n  "dataset": "ds",\n  "host": \n}\n');
    assert.throws(() => readConfig(file), /bad\.json(:4)?: not valid JSON/);
    assert.ok(!existsSync(join(root, "runs")), "no run folder for a refused config");
  });

  it("a missing required flag is a usage error", () => {
    const r = qds("start", "--dataset", "ds", "--host", "h");
    assert.equal(r.code, 2);
    assert.match(r.err, /missing --base-model/);
  });

  it("an unreachable host fails at start, naming the host and why, and leaves no run", () => {
    const r = qds(
      "start",
      "--dataset",
      "ds",
      "--host",
      sshd.unreachableHost,
      "--ssh-config",
      sshd.configFile,
      "--base-model",
      "m",
      "--runs",
      "runs2",
    );
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^qds bootstrap: ${sshd.unreachableHost}: .*unreachable`));
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
    assert.ok(!existsSync(join(root, "runs2")));
    const c = qds("check-host", sshd.unreachableHost, "--ssh-config", sshd.configFile);
    assert.equal(c.code, 1);
    assert.match(c.err, /unreachable/);
  });

  it("status of a folder that is not a run says so", () => {
    const r = qds("status", "ds");
    assert.equal(r.code, 1);
    assert.match(r.err, /no such file|not a bootstrap run/);
  });
});
