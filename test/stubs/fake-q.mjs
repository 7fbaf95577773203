#!/usr/bin/env node
// A stand-in `q` executable for conversion tests, run by the verifier's
// external engine exactly as a real q would be (`q script.q` in a temp dir).
// No q can be installed here and the embedded engine is not a fixed target,
// so the solution under test carries its own answers: a comment line
//   / fake-q: {"1;2":"3","error":"'type"}
// maps the bracketed arguments of the test's `solve[...]` call to the output
// to print; the key "error" makes every run fail with that q error on stderr.
// An unmapped call prints 0N, like a wrong answer would.
import { readFileSync } from "node:fs";

const script = readFileSync(process.argv[2], "utf8");
const spec = /^\/ fake-q: (.*)$/m.exec(script);
const table = spec ? JSON.parse(spec[1]) : {};
if (table.error !== undefined) {
  process.stderr.write(`${table.error}\n`);
  process.exit(1);
}
const call = /solve\[([^\]]*)\]/.exec(script.replace(/^\/ fake-q:.*$/m, ""));
process.stdout.write(`${call && table[call[1]] !== undefined ? table[call[1]] : "0N"}\n`);
