/**
 * What both integration runners share (runner.ts drives code-server in
 * headless Chromium, electron.ts drives desktop VS Code through
 * @vscode/test-electron): where the extension and the suite bundle live, a
 * throw-away copy of the fixture workspace, and turning the result file the
 * suite writes into the closing `integration: N passed, N failed` line.
 *
 * The exit status never trusts the host alone: a missing result file or zero
 * tests counts as failure, so a suite that silently did not load fails too.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SuiteResult } from "./result";

export { RESULT_ENV } from "./result";

/** Bundled to dist/test/*.js, so the repository root is two levels up. */
export const ROOT = resolve(__dirname, "../..");
export const SUITE = join(ROOT, "dist", "test", "suite", "index.js");
/** A fresh temp dir for one run; short (under os.tmpdir()) because Unix socket paths must stay under ~107 bytes. */
export function makeRunDir(): string {
  return mkdtempSync(join(tmpdir(), "qds-it-"));
}

/** Copies the fixture workspace into `runDir` so tests may edit files; returns the copy's path. */
export function copyWorkspace(runDir: string): string {
  const target = join(runDir, "workspace");
  cpSync(join(ROOT, "test", "integration", "fixtures", "workspace"), target, { recursive: true });
  return target;
}

export function checkSuiteBuilt(): void {
  if (!existsSync(SUITE)) throw new Error(`${SUITE} is missing: run \`node scripts/build.mjs\` first`);
}

/**
 * Prints the closing line, records the counts for scripts/test.sh and returns
 * the exit status: non-zero when the result file is missing, a test failed or
 * none ran.
 */
export function finish(resultFile: string, problem?: string): number {
  let result: SuiteResult | undefined;
  if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, "utf8")) as SuiteResult;
  const passed = result?.passes ?? 0;
  const ran = result !== undefined && result.passes + result.failures > 0;
  // A run that produced no tests, no result (crash, timeout) or a failing
  // host counts as one failure, so the total line shows it too.
  const failed = Math.max(result !== undefined && ran ? result.failures : 1, problem === undefined ? 0 : 1);
  for (const title of result?.failedTitles ?? []) console.log(`  failed: ${title}`);
  if (problem !== undefined) console.log(`integration: ${problem}`);
  if (result === undefined) console.log(`integration: the suite wrote no result file (${resultFile})`);
  else if (!ran) console.log("integration: no tests ran");
  console.log(`integration: ${passed} passed, ${failed} failed`);
  const countsDir = process.env["QDS_TEST_COUNTS"];
  if (countsDir) writeFileSync(join(countsDir, "integration"), `${passed} ${failed}\n`);
  return failed > 0 ? 1 : 0;
}
