// `qds q` as a real process (the TypeScript entry run through tsx): script
// loading, console lines from stdin, error display, exit codes.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const MAIN = join(ROOT, "server/src/cli/main.ts");

/** Runs from the repository root (so `--import tsx` resolves); scripts are passed by absolute path. */
function qds(args: string[], stdin: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", MAIN, "q", ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: "utf8",
    timeout: 20000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("qds q", function () {
  this.timeout(30000);
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "qds-q-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a script silently, then displays console lines like q", () => {
    writeFileSync(join(dir, "lib.q"), "sq:{x*x}\nsq 3\n");
    const r = qds([join(dir, "lib.q"), "-q"], "sq 4\nt:([]a:1 2)\nt\n");
    assert.equal(r.stdout, "16\na\n-\n1\n2\n");
    assert.equal(r.code, 0);
  });

  it("prints errors q-style and keeps going; exit n sets the exit code", () => {
    const r = qds([], '1 2+1 2 3\n-1 "next";\nexit 7\n-1 "never";\n');
    assert.equal(r.stderr, "'length\n  [0]  1 2+1 2 3\n          ^\n");
    assert.equal(r.stdout, "next\n");
    assert.equal(r.code, 7);
  });

  it("reports a script error and continues to the console", () => {
    writeFileSync(join(dir, "bad.q"), "a:1\n'`broken\nb:2\n");
    const r = qds([join(dir, "bad.q")], "a\n");
    assert.match(r.stderr, /^'broken/);
    assert.equal(r.stdout, "1\n");
    assert.equal(r.code, 0);
  });

  it("honours exit inside the script and -c / -P options", () => {
    writeFileSync(join(dir, "ex.q"), "-1 string 1%3;\nexit 3\n");
    assert.deepEqual((({ code, stdout }) => ({ code, stdout }))(qds([join(dir, "ex.q"), "-P", "3"], "")), {
      code: 3,
      stdout: "0.333\n",
    });
    const c = qds(["-c", "10", "20"], "\\c\n");
    assert.equal(c.stdout, "10 20i\n");
  });

  it("rejects bad arguments with usage", () => {
    const r = qds(["-c", "x"], "");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^qds q: -c needs two integers/);
  });
});
