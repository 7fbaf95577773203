/**
 * Entry point VS Code loads as extensionTestsPath (bundled to
 * dist/test/suite/index.js, with `vscode` and `mocha` left external: the host
 * provides the first, the repository's node_modules the second). The same
 * module serves both runners, code-server (runner.ts) and desktop VS Code
 * (electron.ts).
 *
 * The test files are bundled in and loaded with require() only after mocha
 * has installed its BDD globals; loading them at import time would call
 * describe() before it exists. Every *.test.ts here must be listed in
 * `loadTests` (test/unit/project/integration-suite.test.ts checks it).
 */
import { renameSync, writeFileSync } from "node:fs";
import Mocha from "mocha";
import { RESULT_ENV, type SuiteResult } from "../result";

function loadTests(): void {
  require("./activation.test");
  require("./server.test");
  require("./commands.test");
  require("./grammar.test");
  require("./editor.test");
  require("./llm.test");
  require("./examples.test");
  require("./eval.test");
  require("./bootstrap.test");
  require("./webviews.test");
}

function writeResult(result: SuiteResult): void {
  const file = process.env[RESULT_ENV];
  if (!file) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(result));
  renameSync(`${file}.tmp`, file);
}

export function run(): Promise<void> {
  // QDS_INTEGRATION_GREP runs only the matching tests (while working on one area; CI runs all).
  const grep = process.env["QDS_INTEGRATION_GREP"];
  const mocha = new Mocha({ ui: "bdd", reporter: "spec", color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, "suite", mocha);
  loadTests();
  return new Promise((resolve, reject) => {
    const failedTitles: string[] = [];
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      writeResult({ passes, failures, pending, failedTitles });
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test) => failedTitles.push(test.fullTitle()));
  });
}
