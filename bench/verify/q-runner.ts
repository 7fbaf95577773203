/**
 * The honest "one process per test" baseline of the verify benchmark: a
 * process that costs what starting q costs, i.e. the embedded engine and
 * nothing else (no CLI, no LLM SDKs, no language-server code). It runs
 * `script.q` as `q script.q` would, with script semantics, prints its output
 * and exits with the script's code. run.ts bundles it on its own and states
 * its measured start time beside the results.
 */
import { readFileSync } from "node:fs";
import { QSession } from "../../server/src/q/session";

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write("usage: q-runner script.q\n");
  process.exit(2);
}
const r = new QSession().runScript(readFileSync(file, "utf8"));
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exitCode = r.exitCode;
