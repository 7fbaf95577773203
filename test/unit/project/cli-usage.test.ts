/** `qds <command> --help` prints the command's synopsis; a bad flag is a usage error (exit 2), not a stack trace. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const MAIN = join(__dirname, "../../../server/src/cli/main.ts");
const qds = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", MAIN, ...args], { encoding: "utf8", timeout: 60_000 });

describe("qds usage", () => {
  it("prints each command's synopsis for --help", function () {
    this.timeout(120_000);
    for (const name of ["import", "verify", "validate", "export", "convert"]) {
      const r = qds(name, "--help");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^qds ${name}: .*qds ${name} `));
    }
  });

  it("reports an unknown flag as a usage error without a stack trace", () => {
    const r = qds("verify", "--bogus", "x");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown option '--bogus'/);
    assert.match(r.stderr, /usage: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
