/**
 * Runs the same integration suite (dist/test/suite/index.js) in desktop VS
 * Code through @vscode/test-electron, for machines that can download VS Code
 * (a developer's laptop, public CI; Linux without a display needs xvfb-run).
 * runner.ts is the variant for machines that cannot. Both end with the same
 * `integration: N passed, N failed` line and exit status, from the result
 * file the suite writes.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import { checkSuiteBuilt, copyWorkspace, finish, makeRunDir, RESULT_ENV, ROOT, SUITE } from "./harness";

async function main(): Promise<number> {
  checkSuiteBuilt();
  const runDir = makeRunDir();
  const resultFile = join(runDir, "result.json");
  let problem: string | undefined;
  try {
    await runTests({
      // QDS_VSCODE_VERSION pins a release (e.g. 1.100.3, the version code-server 4.100.3 embeds).
      version: process.env["QDS_VSCODE_VERSION"] ?? "stable",
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE,
      extensionTestsEnv: { [RESULT_ENV]: resultFile },
      launchArgs: [
        copyWorkspace(runDir),
        "--disable-extensions",
        "--disable-workspace-trust",
        "--skip-welcome",
        "--skip-release-notes",
        `--user-data-dir=${join(runDir, "user-data")}`,
        `--extensions-dir=${join(runDir, "extensions")}`,
      ],
    });
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  const status = finish(resultFile, problem);
  rmSync(runDir, { recursive: true, force: true });
  return status;
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
