/**
 * Shared set-up for the remote-transport tests: the test remote root (whose
 * venvs/ is the cache scripts/remote-env.sh fills, so prepare() finds the
 * venv instead of spending minutes on pip), a tiny Qwen3 model built with
 * that venv's python and the memorisable SFT pairs, and unique job ids so
 * runs never meet.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export const TEST_ROOT = process.env["QDS_REMOTE_TEST_ROOT"] ?? join(homedir(), ".cache", "qds", "remote-test");

export function runPrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

/** Writes the tiny model and its training data under a local temp folder, using the venv's python. */
export function buildTinyFixture(python: string): { dir: string; model: string; inputs: string } {
  const dir = mkdtempSync(join(tmpdir(), "qds-tiny-"));
  const inputs = join(dir, "inputs");
  mkdirSync(inputs);
  const remote = join(__dirname, "..", "..", "remote");
  const script = [
    "import json, sys",
    "from qds_remote.testing import memorisable_pairs",
    "pairs = memorisable_pairs(20)",
    "with open(sys.argv[1], 'w') as f:",
    "    [f.write(json.dumps({'prompt': p['prompt'], 'completion': p['completion']}) + '\\n') for p in pairs]",
    "with open(sys.argv[2], 'w') as f:",
    "    [f.write(json.dumps({'task_id': p['task_id'], 'prompt': p['prompt']}) + '\\n') for p in pairs]",
  ].join("\n");
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: homedir(), PYTHONPATH: remote };
  execFileSync(python, ["-c", script, join(inputs, "train.jsonl"), join(inputs, "prompts.jsonl")], { env });
  const model = join(dir, "tiny");
  execFileSync(python, ["-m", "qds_remote.testing", "build", model, join(inputs, "train.jsonl")], {
    env,
    stdio: "pipe",
  });
  return { dir, model, inputs };
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function writeJsonl(file: string, rows: unknown[]): void {
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
}
