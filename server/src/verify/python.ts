/**
 * Running a Python test file (`python3 test_case_N.py`) in its problem
 * folder, where `sol.py` sits beside it. Bytecode writing is off so the
 * dataset folder stays clean, and the hash seed is fixed so printing a set of
 * strings is deterministic.
 */
import { runProcess } from "../proc/process";

export const PYTHON = process.env["QDS_PYTHON"] ?? "python3";

/** Added to the scrubbed environment every child gets (proc/process.ts). */
export function pythonEnv(): Record<string, string> {
  return { PYTHONDONTWRITEBYTECODE: "1", PYTHONHASHSEED: "0", PYTHONIOENCODING: "utf-8" };
}

let identity: Promise<string> | undefined;

/** The interpreter's version line (`Python 3.11.2`) and path: part of a Python verdict's cache record. */
export function pythonIdentity(): Promise<string> {
  identity ??= runProcess(PYTHON, ["--version"], { cwd: ".", timeoutMs: 5000, memoryMb: 0, env: pythonEnv() }).then(
    (r) => `${PYTHON}: ${(r.stdout || r.stderr).trim() || `no version (${r.spawnError ?? `exit ${r.exitCode}`})`}`,
  );
  return identity;
}

export async function runPythonTest(
  dir: string,
  file: string,
  limits: { timeoutMs: number; memoryMb: number },
): Promise<{ ok: true; output: string } | { ok: false; reason: string }> {
  const r = await runProcess(PYTHON, [file], { ...limits, cwd: dir, env: pythonEnv() });
  if (r.spawnError !== undefined) return { ok: false, reason: `cannot run ${PYTHON}: ${r.spawnError}` };
  if (r.timedOut) return { ok: false, reason: `timeout after ${limits.timeoutMs / 1000} s` };
  if (r.outputOverflow) return { ok: false, reason: "output limit exceeded" };
  if (r.exitCode !== 0) {
    const last = r.stderr.trim().split("\n").pop() ?? "";
    return { ok: false, reason: `exit code ${r.exitCode ?? r.signal}${last === "" ? "" : `: ${last}`}` };
  }
  return { ok: true, output: r.stdout.trim() };
}
