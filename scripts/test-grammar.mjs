// Runs the TextMate grammar tests (test/grammar/**/*.q) with vscode-tmgrammar-test
// and prints "grammar: N passed, N failed".
//
// What N counts: asserted source lines. Each test file holds q source lines, each
// followed by `/ ^^^ scope` assertion lines about it; a source line with at least
// one assertion is one case, and it fails when any of its assertions fails. The
// counts are read from the tool's own JUnit (xunit, "gitlab" format) report, which
// has one <testcase> per asserted source line; a test file the tool cannot parse
// is reported as one <error> case and counts as failed.
//
// Test file format: q's line comment `/` doubles as the tool's comment token.
// The first line, `/ SYNTAX TEST "source.q" "<description>"`, makes `/` the
// token; after it, a line starting with `/` and then `^` or `<-` is an assertion
// about the source line above it and is not tokenized. Every other line,
// including ordinary q comments, is q source.
//
// Writes "<passed> <failed>" to $QDS_TEST_COUNTS/grammar when that is set, and
// exits non-zero on any failure, when the tool and its report disagree, or when
// there are no cases at all.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = mkdtempSync(join(tmpdir(), "qds-grammar-"));
let passed = 0;
let failed = 0;
let toolStatus;
try {
  const cli = join(root, "node_modules/vscode-tmgrammar-test/dist/unit.js");
  const run = spawnSync(
    process.execPath,
    [
      cli,
      "--compact",
      "-g",
      "syntaxes/q.tmLanguage.json",
      "--xunit-report",
      reportDir,
      "--xunit-format",
      "gitlab",
      "test/grammar/**/*.q",
    ],
    { cwd: root, encoding: "utf8" },
  );
  process.stdout.write(run.stdout ?? "");
  process.stderr.write(run.stderr ?? "");
  if (run.error) throw run.error;
  toolStatus = run.status;
  for (const file of readdirSync(reportDir).filter((f) => f.endsWith(".xml"))) {
    const xml = readFileSync(join(reportDir, file), "utf8");
    for (const [, body] of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      if (body && /<(failure|error)\b/.test(body)) failed++;
      else passed++;
    }
  }
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}

console.log(`grammar: ${passed} passed, ${failed} failed`);
if (process.env.QDS_TEST_COUNTS) writeFileSync(join(process.env.QDS_TEST_COUNTS, "grammar"), `${passed} ${failed}\n`);
if (toolStatus !== 0 && failed === 0) {
  console.error(`grammar: vscode-tmgrammar-test exited with ${toolStatus} but its report shows no failure`);
  process.exit(1);
}
process.exit(failed > 0 || passed === 0 ? 1 : 0);
