/** The transports' one child-process spawner passes no secrets on (ssh's SendEnv could forward them). */
import assert from "node:assert/strict";
import { run, scrubbedEnv } from "../../../../server/src/bootstrap/remote/exec";

describe("bootstrap/remote exec: scrubbed environment", () => {
  it("a child sees PATH and HOME but no API key or other variable", async () => {
    const saved = { ...process.env };
    try {
      process.env["OPENAI_API_KEY"] = "sk-test-secret";
      process.env["ANTHROPIC_API_KEY"] = "sk-ant-test";
      process.env["QDS_SOMETHING"] = "x";
      process.env["LC_ALL"] = "C.UTF-8";
      const r = await run("env", []);
      const names = r.stdout
        .toString()
        .split("\n")
        .map((l) => l.split("=")[0]);
      assert.ok(names.includes("PATH") && names.includes("HOME"));
      assert.ok(names.includes("LC_ALL"));
      for (const secret of ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "QDS_SOMETHING"]) assert.ok(!names.includes(secret));
      assert.doesNotMatch(r.stdout.toString(), /sk-/);
    } finally {
      process.env = saved;
    }
  });

  it("keeps the agent socket so the user's ssh keys still work", () => {
    assert.deepEqual(scrubbedEnv({ SSH_AUTH_SOCK: "/tmp/agent", GEMINI_API_KEY: "k" }), {
      SSH_AUTH_SOCK: "/tmp/agent",
    });
  });

  it("reports a program that cannot start as exit -1 with the reason", async () => {
    const r = await run("/nonexistent/qds-no-such-program", []);
    assert.equal(r.exitCode, -1);
    assert.match(r.stderr, /ENOENT|not found/i);
  });
});
