// QSession script semantics: no display of top-level results, output capture,
// first error stops the script with exit code 1 and its line, `exit n`.
import { strict as assert } from "node:assert";
import { QSession } from "../../../server/src/q/session";

describe("QSession.runScript", () => {
  it("runs statements without displaying results and captures stdout", () => {
    const r = new QSession().runScript("a:1 2 3\nsum a\n-1 string sum a;\nshow a\n");
    assert.deepEqual(r, { stdout: "6\n1 2 3\n", stderr: "", exitCode: 0, exited: false });
  });

  it("joins indented continuation lines and skips comments", () => {
    const text =
      "f:{[x]\n  y:x*2;\n  / a comment inside\n  y+1}\n/ comment line\n/\nblock\n\\\n-1 string f 3; / trailing\n";
    assert.equal(new QSession().runScript(text).stdout, "7\n");
  });

  it("stops at the first error with q's display on stderr and the line", () => {
    const r = new QSession().runScript('-1 "before";\nx:1\n1 2+1 2 3\n-1 "after";\n');
    assert.equal(r.stdout, "before\n");
    assert.equal(r.exitCode, 1);
    assert.equal(r.exited, false);
    assert.deepEqual(r.error, { name: "length", line: 3 });
    assert.match(r.stderr, /^'length\n {2}\[0\] {2}1 2\+1 2 3\n {10}\^\n$/);
  });

  it("ends at exit n with that code, as an event", () => {
    const r = new QSession().runScript('-1 "a";\nexit 3\n-1 "b";\n');
    assert.deepEqual(r, { stdout: "a\n", stderr: "", exitCode: 3, exited: true });
  });

  it("treats \\\\ as exit 0 and a lone \\ as end of script", () => {
    assert.equal(new QSession().runScript('-1 "a";\n\\\\\n-1 "b";').exitCode, 0);
    const r = new QSession().runScript('-1 "a";\n\\\n-1 "b";');
    assert.deepEqual([r.stdout, r.exited], ["a\n", false]);
  });

  it("keeps state between evalLine calls and ends after exit", () => {
    const s = new QSession();
    assert.equal(s.evalLine("a:41").output, "");
    assert.equal(s.evalLine("a+1").output, "42\n");
    assert.deepEqual(s.evalLine("exit 2"), { output: "", exit: 2 });
    assert.deepEqual(s.evalLine("a"), { output: "", exit: 2 });
  });

  it("caps huge output with a marker", () => {
    const s = new QSession({ maxOutputBytes: 1000 });
    const r = s.evalLine('do[1000;-1 "0123456789"]');
    assert.ok(r.output.length < 1100);
    assert.match(r.output, /\[output truncated at 1000 bytes\]/);
  });

  it("stops a runaway loop at the time limit with 'stop", () => {
    const s = new QSession({ timeLimitMs: 200 });
    const t0 = Date.now();
    const r = s.evalLine("while[1b;1+1]");
    assert.equal(r.error, "stop");
    assert.ok(Date.now() - t0 < 2000);
  });

  it("loads allow-listed scripts with \\l only", () => {
    const s = new QSession({ allowLoad: (p) => (p === "lib.q" ? "libv:42\n" : undefined) });
    assert.equal(s.evalLine("\\l lib.q").error, undefined);
    assert.equal(s.evalLine("libv").output, "42\n");
    assert.equal(s.evalLine("\\l /etc/passwd").error, "/etc/passwd");
  });
});
