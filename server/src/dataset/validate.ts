/**
 * `qds validate`: structural checks over every problem folder, reported as
 * `path:line: severity: message` findings. Each problem is checked on its
 * own; a broken problem produces findings, never an exception that stops the
 * others.
 */

import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import {
  answerFile,
  DESCRIPTION_FILE,
  ENTRY_FILE,
  PY_SOLUTION_FILE,
  pyTestFile,
  Q_SOLUTION_FILE,
  qTestFile,
  solveCalls,
  testNumbers,
} from "./format";
import { lineOfOffset } from "./fsx";
import { listProblemDirs, statProblemFiles } from "./load";
import { entrySchema } from "./schema";

export type Severity = "error" | "warning";

export interface Finding {
  /** The file, as the dataset folder was given plus the problem and file name (clickable in terminals). */
  path: string;
  line: number;
  severity: Severity;
  message: string;
}

export const formatFinding = (f: Finding): string => `${f.path}:${f.line}: ${f.severity}: ${f.message}`;

/** Offset of the first byte that breaks UTF-8, for the line number of the report. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    if (len > 1 && !isUtf8(bytes.subarray(i, i + len))) return i;
    i += len;
  }
  return bytes.length;
}

/** Checks one problem folder `root/name`. */
export function validateProblem(root: string, name: string): Finding[] {
  const dir = join(root, name);
  const findings: Finding[] = [];
  const at = (file: string, line: number, severity: Severity, message: string): void => {
    findings.push({ path: join(dir, file), line, severity, message });
  };
  const files = statProblemFiles(dir);
  /** Reads a file as UTF-8 text, or reports why it cannot be used and returns undefined. */
  const text = (file: string, emptyIs: Severity | "ok" = "error"): string | undefined => {
    const stat = files.get(file);
    if (stat === undefined) return undefined;
    const bytes = readFileSync(join(dir, file));
    if (!isUtf8(bytes)) {
      const off = firstInvalidUtf8(bytes);
      at(file, lineOfOffset(bytes.subarray(0, off).toString("latin1"), off), "error", `not valid UTF-8 (byte ${off})`);
      return undefined;
    }
    const s = bytes.toString("utf8");
    if (s.trim() === "" && emptyIs !== "ok") at(file, 1, emptyIs, "file is empty");
    return s;
  };
  const required = (file: string): string | undefined => {
    if (!files.has(file)) {
      at(file, 1, "error", "missing file");
      return undefined;
    }
    return text(file);
  };

  const entryText = required(ENTRY_FILE);
  if (entryText !== undefined && entryText.trim() !== "")
    checkEntry(entryText, (l, m) => at(ENTRY_FILE, l, "error", m));
  required(DESCRIPTION_FILE);
  required(PY_SOLUTION_FILE);
  const hasQ = files.has(Q_SOLUTION_FILE);
  if (hasQ) text(Q_SOLUTION_FILE);

  const tests = testNumbers(files.keys());
  if (tests.length === 0) at(".", 1, "error", "no test cases (expected test_case_1.py …)");
  const max = tests.length > 0 ? tests[tests.length - 1]! : 0;
  for (let n = 1; n <= max; n++) {
    if (!tests.includes(n)) {
      at(pyTestFile(n), 1, "error", `test case ${n} is missing: numbering has a gap (tests go up to ${max})`);
      continue;
    }
    required(pyTestFile(n));
    if (!files.has(answerFile(n))) at(answerFile(n), 1, "error", "missing file");
    else text(answerFile(n), "warning");
    const qTest = qTestFile(n);
    if (!files.has(qTest)) {
      if (hasQ) at(qTest, 1, "error", "missing file (sol.q exists, so every test needs a q test)");
      continue;
    }
    const q = text(qTest);
    if (q === undefined || q.trim() === "") continue;
    const calls = solveCalls(q);
    if (calls.length !== 1) {
      const line = calls.length === 0 ? 1 : calls[1]!;
      at(qTest, line, "error", `invalid solve call count: expected exactly 1 call of solve, found ${calls.length}`);
    }
  }
  if (!hasQ && tests.length > 0) at(Q_SOLUTION_FILE, 1, "warning", "no q solution yet");
  return findings;
}

/**
 * Checks entry.json text: strict JSON (no comments, no trailing commas, as
 * JSON.parse reads it), then the schema. Each finding carries the line of
 * the offending key (jsonc-parser keeps every node's offset), or of the
 * object that lacks a required key.
 */
export function checkEntry(text: string, report: (line: number, message: string) => void): void {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || root === undefined) {
    const e = errors[0];
    report(
      lineOfOffset(text, e?.offset ?? 0),
      `invalid JSON: ${e === undefined ? "empty" : printParseErrorCode(e.error)}`,
    );
    return;
  }
  const result = entrySchema.safeParse(JSON.parse(text));
  if (result.success) return;
  for (const issue of result.error.issues) {
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    report(lineOfOffset(text, offsetOf(root, issue.path)), `${where}${issue.message}`);
  }
}

/** Offset of the key at `path` (its value for array items), or of the nearest enclosing node that exists. */
function offsetOf(root: Node, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
    if (node === undefined) continue;
    const key = node.parent?.type === "property" ? node.parent.children?.[0] : undefined;
    return (key ?? node).offset;
  }
  return 0;
}

/** Validates every problem under `datasetDir`; findings sorted by path then line. */
export function validateDataset(datasetDir: string): { problems: number; findings: Finding[] } {
  const names = listProblemDirs(datasetDir);
  const findings: Finding[] = [];
  for (const name of names) {
    try {
      findings.push(...validateProblem(datasetDir, name));
    } catch (err) {
      // An unreadable folder (permissions, a race with a delete) is this problem's finding, not a crash.
      findings.push({
        path: join(datasetDir, name),
        line: 1,
        severity: "error",
        message: `cannot read: ${(err as Error).message}`,
      });
    }
  }
  return { problems: names.length, findings };
}
