/**
 * The `qds` CLI as a user meets it, bundled as the product build bundles it
 * and run as a child process: --version, full --help for every command, and
 * one clear line with exit code 2 for each kind of bad value, never a stack
 * trace and never a silent "0 problems" success.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleNode } from "../../support/bundle";
import { problem, tempDir, writeProblem } from "../dataset/helpers";

describe("qds usage and bad input", function () {
  this.timeout(120_000);
  let root: string;
  let cli: string;
  const qds = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: root, timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** Exit 2, exactly one line on stderr matching `message`, no stack frames. */
  const refuses = (args: string[], message: RegExp) => {
    const r = qds(...args);
    assert.equal(r.code, 2, `qds ${args.join(" ")}: exit ${r.code}\n${r.out}${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.err.trimEnd().split("\n").length, 1, `one line expected, got:\n${r.err}`);
    assert.doesNotMatch(r.err, /\n\s+at /);
  };

  before(async () => {
    root = tempDir("cli-usage");
    await bundleNode(
      [
        ["server/src/cli/main.ts", "cli.js"],
        ["server/src/q/worker.ts", "qworker.js"],
      ],
      join(root, "bin"),
    );
    cli = join(root, "bin", "cli.js");
    writeProblem(join(root, "ds"), "add_1", problem());
    mkdirSync(join(root, "empty"));
    writeFileSync(join(root, "not-a-q.sh"), "#!/bin/sh\necho hello\n");
    chmodSync(join(root, "not-a-q.sh"), 0o755);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("prints the version with --version and -V", () => {
    for (const flag of ["--version", "-V"]) {
      const r = qds(flag);
      assert.equal(r.code, 0);
      assert.match(r.out, /^qds \d+\.\d+\.\d+ \(qds-embedded \d+\.\d+\.\d+\+[0-9a-f]{12}\)\n$/);
    }
  });

  it("prints full help, with every option described, for each command and subcommand", () => {
    const expected: Record<string, string[]> = {
      "": ["verify", "validate", "import", "export", "convert", "q"],
      q: ["-c <size...>", "-P <n>"],
      validate: ["<dataset-dir>"],
      verify: [
        "--q <path>",
        "--jobs <n>",
        "--timeout <seconds>",
        "--memory <mb>",
        "--force",
        "--json <file>",
        "--no-python",
      ],
      "import leetcode": ["--out <dir>", "--difficulty <list>", "--limit <n>", "--ids <list>", "--jobs <n>"],
      "export sft": ["--out <dir>", "--format <format>", "--test-ratio <r>", "--seed <n>", "--stratify <field>"],
      convert: ["--provider <name>", "--model <name>", "--rounds <n>", "--dry-run", "--yes"],
    };
    for (const [command, options] of Object.entries(expected)) {
      const args = command === "" ? ["--help"] : [...command.split(" "), "--help"];
      const r = qds(...args);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^Usage: qds${command === "" ? "" : ` ${command}`} `));
      for (const o of options) assert.ok(r.out.includes(o), `qds ${command} --help lacks ${o}:\n${r.out}`);
    }
    // `qds help verify` is the same text as `qds verify --help`.
    assert.equal(qds("help", "verify").out, qds("verify", "--help").out);
  });

  it("rejects unknown commands and flags and missing arguments in one line", () => {
    refuses(["bogus"], /^qds: unknown command 'bogus'/);
    refuses(["verify", "--bogus", "ds"], /^qds verify: unknown option '--bogus'/);
    refuses(["verify"], /^qds verify: missing required argument 'dataset-dir'/);
    refuses(["import", "leetcode", "rows.jsonl"], /^qds import leetcode: required option '--out <dir>' not specified/);
  });

  it("rejects bad numbers and unknown choices, naming the option", () => {
    refuses(
      ["verify", "ds", "--jobs", "x"],
      /^qds verify: option '--jobs <n>' argument 'x' is invalid\. expects an integer >= 1/,
    );
    refuses(["verify", "ds", "--timeout", "-3"], /option '--timeout <seconds>' argument '-3' is invalid/);
    refuses(["verify", "ds", "--jobs", "1.5"], /argument '1.5' is invalid/);
    refuses(["export", "sft", "ds", "--out", "o", "--test-ratio", "2"], /--test-ratio <r>' argument '2' is invalid/);
    refuses(["export", "sft", "ds", "--out", "o", "--format", "xml"], /argument 'xml' is invalid\. Allowed choices/);
    refuses(
      ["convert", "ds", "--provider", "nope"],
      /^qds convert: option '--provider <name>' argument 'nope' is invalid/,
    );
    refuses(["convert", "ds", "--temperature", "7", "--dry-run"], /^qds convert: invalid LLM settings: .*temperature/);
    refuses(["q", "-c", "x"], /^qds q: -c needs two integers: -c rows cols/);
  });

  it("rejects dataset folders that are missing, a file, a single problem or empty, naming the path", () => {
    for (const command of ["verify", "validate", "convert"]) {
      refuses([command, "nowhere"], new RegExp(`^qds ${command}: nowhere: no such folder`));
      refuses([command, "empty"], /empty: no problem folders in this dataset folder/);
      refuses(
        [command, "ds/add_1"],
        /ds\/add_1: this is a single problem folder \(it has entry\.json\); pass the dataset folder above it/,
      );
      refuses([command, "ds/add_1/sol.q"], /ds\/add_1\/sol\.q: not a folder/);
    }
    refuses(["export", "sft", "empty", "--out", "o"], /^qds export sft: empty: no problem folders/);
    refuses(
      ["import", "leetcode", "missing.jsonl", "--out", "o"],
      /^qds import leetcode: missing\.jsonl: no such file/,
    );
  });

  it("rejects a --q that is missing, not executable or not a q", () => {
    refuses(["verify", "ds", "--q", "nowhere/q"], /^qds verify: --q nowhere\/q: no such file/);
    refuses(["verify", "ds", "--q", "ds/add_1/sol.q"], /--q ds\/add_1\/sol\.q: not executable/);
    refuses(["verify", "ds", "--q", "not-a-q.sh"], /--q not-a-q\.sh: not a q \(asked for 40\+2, it printed 'hello'\)/);
  });

  it("still runs a good command with exit 0", () => {
    const r = qds("validate", "ds");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^1 problems checked: 0 errors, 0 warnings$/m);
  });
});
