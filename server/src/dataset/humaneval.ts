/**
 * `qds import q-humaneval`: the 164 Q-HumanEval problems (q prompt, entry
 * point, the original Python `check(candidate)` asserts) joined by task id
 * with the original HumanEval file (canonical Python solution), into
 * ordinary problem folders:
 *
 *   problem_description.txt   the q prompt (comment block and function header)
 *   sol.py                    HumanEval's prompt plus its canonical solution
 *   test_case_N.py            one per translated assert: calls the entry point once, prints repr
 *   test_case_N_correct_ans.txt  computed by running test_case_N.py against sol.py
 *                             (the LeetCode importer's Python runner)
 *   q_test_case_N.q           the same call in q: `\P 0` (full float precision, so
 *                             an exact comparison sees every digit), then `0N!solve[...]`
 *   entry.json                id, task_id, entry_point, q_function (the prompt's q
 *                             function; `qds eval` binds `solve` to it), abs_tolerance
 *                             (test number → tolerance, from `abs(… - y) < t` asserts),
 *                             import_status and import_warnings (every skipped assert)
 *
 * Asserts are read with Python's own parser (ast), one test per assert:
 *   candidate(args) == y, candidate(args) is True/False   exact
 *   abs(candidate(args) - y) < t                          tolerance t
 *   candidate(args), not candidate(args)                   exact, when the reference returns a bool
 *   tuple(candidate(args)) == tuple(...)                   exact (a tuple of a list is the list)
 * Arguments must be Python literals, or arithmetic on literals (`3 * 19`),
 * which the analyser evaluates (the Python test keeps the original text). Everything else is reported per problem
 * and never silently dropped or weakened: `assert True`, asserts in loops
 * (randomised checks), asserts on a transformed result, arguments that are
 * not literals or have no faithful q literal, and asserts the reference
 * itself fails.
 *
 * q literals keep Python's types: int → long, float → float (`2f`, `0w`),
 * bool → `1b`, str → a string (one character: `enlist "a"`; non-ASCII text
 * is refused, q counts bytes), list → a vector when the items share a type
 * (`1 2 3`, `1.5 2f`, `101b`), else a general list `(…;…)`, one item
 * `enlist`, empty `()`; dict → keys!values with symbol keys for strings;
 * None → `::`.
 *
 * An existing problem folder is left alone unless `force`; each folder is
 * built in a scratch folder and renamed into place.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compareOutputs } from "../verify/equivalence";
import { parseOutput } from "../verify/literals";
import { runProcess } from "../verify/process";
import { PYTHON, pythonEnv } from "../verify/python";
import { pool } from "../verify/verify";
import { answerFile, DESCRIPTION_FILE, ENTRY_FILE, PY_SOLUTION_FILE, pyTestFile, qTestFile } from "./format";
import { writeFileAtomic } from "./fsx";
import { runPythonBatch } from "./leetcode";
import type { Entry } from "./schema";

export interface HumanEvalImportOptions {
  out: string;
  force: boolean;
  jobs: number;
  /** Per Python test. */
  timeoutMs: number;
  memoryMb: number;
  /** Task ids (numbers) to import; default all. */
  ids?: number[];
  onProblem?: (r: HumanEvalProblemResult, done: number, total: number) => void;
}

export interface SkippedAssert {
  /** Line in the problem's `check` source. */
  line: number;
  reason: string;
  text: string;
}

export interface HumanEvalProblemResult {
  folder: string;
  taskId: number;
  outcome: "written" | "kept";
  asserts: number;
  imported: number;
  skipped: SkippedAssert[];
}

export interface HumanEvalSummary {
  problems: number;
  results: HumanEvalProblemResult[];
  elapsedMs: number;
}

/** A Python value as the analyser sends it: JSON loses int/float and tuple/list, this does not. */
export type PyValue =
  | { t: "none" }
  | { t: "bool"; v: boolean }
  | { t: "int"; v: string }
  | { t: "float"; v: string }
  | { t: "str"; v: string }
  | { t: "list"; v: PyValue[] }
  | { t: "dict"; k: PyValue[]; v: PyValue[] };

export class Untranslatable extends Error {}

const Q_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LONG_MAX = 2n ** 63n - 1n;

function qString(s: string): string {
  // q strings are bytes; only printable ASCII (plus the escapes q knows) means the same thing in both.
  if (!/^[\x20-\x7e\t\n\r]*$/.test(s)) throw new Untranslatable(`string ${JSON.stringify(s)} is not ASCII`);
  const body = s.replace(/[\\"\t\n\r]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
  return `"${body}"`;
}

function qFloat(repr: string): string {
  if (repr === "inf") return "0w";
  if (repr === "-inf") return "-0w";
  if (repr === "nan") return "0n";
  return repr.replace("e+", "e");
}

/** A q expression for one value, usable as an argument or a list item. */
function qItem(v: PyValue): string {
  switch (v.t) {
    case "none":
      return "::";
    case "bool":
      return v.v ? "1b" : "0b";
    case "int": {
      const n = BigInt(v.v);
      if (n > LONG_MAX || n < -LONG_MAX) throw new Untranslatable(`integer ${v.v} does not fit a q long`);
      return v.v;
    }
    case "float":
      return qFloat(v.v);
    case "str":
      return v.v.length === 1 ? `enlist ${qString(v.v)}` : qString(v.v);
    case "list":
    case "dict":
      return qLiteral(v);
  }
}

/** A vector literal (one token) when every item is a bool, every one an int, or every one a float. */
function qVector(items: PyValue[]): string | undefined {
  const only = new Set(items.map((x) => x.t)).size === 1 ? items[0]!.t : undefined;
  if (only === "bool") return `${items.map((x) => ((x as { v: boolean }).v ? "1" : "0")).join("")}b`;
  if (only === "int") return items.map(qItem).join(" ");
  if (only !== "float") return undefined;
  // Python's repr of a float always has a point, an exponent, or is inf/nan (0w/0n): a float vector in q.
  return items.map((x) => qFloat((x as { v: string }).v)).join(" ");
}

/** A q expression of literals that means the same value as `v`; throws Untranslatable. */
export function qLiteral(v: PyValue): string {
  if (v.t === "list") {
    if (v.v.length === 0) return "()";
    const vector = qVector(v.v);
    if (vector !== undefined) return v.v.length === 1 ? `enlist ${vector}` : vector;
    // enlist takes everything to its right, so one item needs no parentheses.
    if (v.v.length === 1) return `enlist ${qItem(v.v[0]!)}`;
    return `(${v.v.map(qItem).join(";")})`;
  }
  if (v.t === "dict") {
    if (v.k.length === 0) return "()!()";
    // String keys become symbols (q's dictionary keys); `!` needs a single noun on its left.
    const keys = v.k.every((k) => k.t === "str")
      ? symbols(v.k.map((k) => (k as { v: string }).v))
      : `(${v.k.map((k) => (k.t === "str" ? symbolAtom(k.v) : qItem(k))).join(";")})`;
    const left = /^(`[A-Za-z0-9_]*)+$/.test(keys) || keys.startsWith("(") ? keys : `(${keys})`;
    return `${left}!${qLiteral({ t: "list", v: v.v })}`;
  }
  return qItem(v);
}

const symbolAtom = (name: string): string => (Q_NAME.test(name) ? `\`${name}` : `\`$${qString(name)}`);

/** String keys as symbols: `a`b when each is a plain name, else `$ of the strings; one key is enlisted. */
function symbols(names: string[]): string {
  const one = names.length === 1;
  if (names.every((n) => Q_NAME.test(n))) {
    const s = names.map((n) => `\`${n}`).join("");
    return one ? `enlist ${s}` : s;
  }
  return one ? `enlist \`$${qString(names[0]!)}` : `\`$(${names.map(qString).join(";")})`;
}

/** The q test for one call: full float precision, then the call printed in q's one-line form. */
export function qTest(args: PyValue[]): string {
  const call = args.length === 0 ? "solve[]" : `solve[${args.map(qLiteral).join(";")}]`;
  return `\\P 0\n0N!${call};\n`;
}

/** Reads the `check` function of every problem with Python's ast and classifies each statement. */
const ANALYSER = String.raw`
import ast, json, sys

def enc(v):
    if v is None: return {"t": "none"}
    if isinstance(v, bool): return {"t": "bool", "v": v}
    if isinstance(v, int): return {"t": "int", "v": str(v)}
    if isinstance(v, float): return {"t": "float", "v": repr(v)}
    if isinstance(v, str): return {"t": "str", "v": v}
    if isinstance(v, (list, tuple)): return {"t": "list", "v": [enc(x) for x in v]}
    if isinstance(v, dict): return {"t": "dict", "k": [enc(k) for k in v], "v": [enc(x) for x in v.values()]}
    raise ValueError("a %s argument has no q literal" % type(v).__name__)

CONST_NODES = (ast.Expression, ast.Constant, ast.BinOp, ast.UnaryOp, ast.List, ast.Tuple, ast.Dict,
               ast.operator, ast.unaryop, ast.Load)

def const_value(node):
    """A literal, or arithmetic on literals only (3 * 19, 'ab' + 'c'): the value it always has."""
    try:
        return ast.literal_eval(node)
    except Exception:
        pass
    expr = ast.Expression(node)
    if not all(isinstance(n, CONST_NODES) for n in ast.walk(expr)):
        raise ValueError("not constant")
    return eval(compile(expr, "<arg>", "eval"), {"__builtins__": {}}, {})

def is_candidate(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "candidate"

def unwrap_tuple(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tuple" and len(node.args) == 1 and not node.keywords:
        return node.args[0], True
    return node, False

def classify(test):
    """(kind, call, rhs, tol) or a reason string."""
    if isinstance(test, ast.Constant):
        return "trivially true (assert of a constant)" if test.value else "assert of a false constant"
    if is_candidate(test):
        return ("truthy", test, None, None)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and is_candidate(test.operand):
        return ("falsy", test.operand, None, None)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Eq):
            l, lt = unwrap_tuple(left)
            r, rt = unwrap_tuple(right)
            if is_candidate(l): return ("exact", l, r, None)
            if is_candidate(r): return ("exact", r, l, None)
        if isinstance(op, ast.Is) and is_candidate(left) and isinstance(right, ast.Constant) and isinstance(right.value, bool):
            return ("exact", left, right, None)
        if isinstance(op, (ast.Lt, ast.LtE)) and isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "abs" and len(left.args) == 1:
            d = left.args[0]
            if isinstance(d, ast.BinOp) and isinstance(d.op, ast.Sub) and is_candidate(d.left):
                try:
                    tol = ast.literal_eval(right)
                except Exception:
                    return "the tolerance is not a literal"
                if isinstance(op, ast.LtE): tol = tol * (1 + 1e-12)
                return ("tolerance", d.left, d.right, tol)
    return "compares something other than the candidate's result with a value"

out = []
for p in json.load(open(sys.argv[1])):
    src = p["tests"]
    res = {"task_id": p["task_id"], "asserts": [], "skipped": [], "total": 0}
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        res["skipped"].append({"line": e.lineno or 0, "reason": "check does not parse: %s" % e.msg, "text": ""})
        out.append(res); continue
    check = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check"), None)
    if check is None:
        res["skipped"].append({"line": 1, "reason": "no check function", "text": ""}); out.append(res); continue
    def skip(node, reason):
        res["skipped"].append({"line": node.lineno, "reason": reason, "text": ast.get_source_segment(src, node) or ""})
    for stmt in check.body:
        if isinstance(stmt, ast.Assert):
            res["total"] += 1
            c = classify(stmt.test)
            if isinstance(c, str):
                skip(stmt, c); continue
            kind, call, rhs, tol = c
            if call.keywords:
                skip(stmt, "keyword arguments"); continue
            try:
                args = [const_value(a) for a in call.args]
            except Exception:
                skip(stmt, "an argument is not a Python literal or arithmetic on literals"); continue
            try:
                enc_args = [enc(a) for a in args]
            except (ValueError, RecursionError) as e:
                skip(stmt, str(e)); continue
            a = {"line": stmt.lineno, "kind": kind, "args": enc_args,
                 "args_src": ", ".join(ast.get_source_segment(src, x) for x in call.args),
                 "text": ast.get_source_segment(src, stmt)}
            if rhs is not None:
                try:
                    a["rhs"] = repr(ast.literal_eval(rhs))
                except Exception:
                    a["rhs_src"] = ast.get_source_segment(src, rhs)
            if tol is not None: a["tol"] = tol
            res["asserts"].append(a)
        else:
            n = sum(isinstance(x, ast.Assert) for x in ast.walk(stmt))
            res["total"] += n
            if n > 0:
                skip(stmt, "%d assert(s) inside a %s (randomised or computed checks)" % (n, type(stmt).__name__.lower()))
    out.append(res)
json.dump(out, sys.stdout)
`;

interface AnalysedAssert {
  line: number;
  kind: "exact" | "truthy" | "falsy" | "tolerance";
  args: PyValue[];
  args_src: string;
  text: string;
  rhs?: string;
  rhs_src?: string;
  tol?: number;
}

interface Analysed {
  task_id: number;
  asserts: AnalysedAssert[];
  skipped: SkippedAssert[];
  total: number;
}

interface QRow {
  task_id: number;
  prompt: string;
  tests: string;
  entry_point: string;
}

interface HRow {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  entry_point: string;
}

function readJsonl<T>(file: string): T[] {
  const raw = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  return text
    .split("\n")
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim() !== "")
    .map(({ line, i }) => {
      try {
        return JSON.parse(line) as T;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: ${(e as Error).message}`);
      }
    });
}

export const folderName = (q: { task_id: number; entry_point: string }): string => `${q.entry_point}_${q.task_id}`;

async function analyse(rows: QRow[], scratch: string, opts: HumanEvalImportOptions): Promise<Analysed[]> {
  const input = join(scratch, "checks.json");
  await writeFile(input, JSON.stringify(rows.map((r) => ({ task_id: r.task_id, tests: r.tests }))));
  const r = await runProcess(PYTHON, ["-c", ANALYSER, input], {
    cwd: scratch,
    env: pythonEnv(),
    timeoutMs: 60_000,
    memoryMb: opts.memoryMb,
  });
  if (r.exitCode !== 0) {
    throw new Error(`reading the asserts with ${PYTHON} failed: ${r.spawnError ?? r.stderr.trim().split("\n").pop()}`);
  }
  return JSON.parse(r.stdout) as Analysed[];
}

const pythonTestText = (entry: string, argsSrc: string): string =>
  `from sol import *\n\nprint(repr(${entry}(${argsSrc})))\n`;

/** Whether the reference's printed answer satisfies the assert it came from. */
function referenceHolds(a: AnalysedAssert, answer: string): string | undefined {
  if (a.kind === "truthy" || a.kind === "falsy") {
    const want = a.kind === "truthy" ? "True" : "False";
    if (answer === want) return undefined;
    return `the reference returns ${answer}, not a boolean, so an exact test would be stricter than the assert`;
  }
  if (a.rhs === undefined) return undefined; // a computed right-hand side: the reference's answer is the value
  if (a.kind === "tolerance") {
    const e = parseOutput(a.rhs);
    const v = parseOutput(answer);
    if (e?.t === "num" && v?.t === "num" && Math.abs(e.v - v.v) < a.tol!) return undefined;
    return `the reference gives ${answer}, not within ${a.tol} of ${a.rhs}`;
  }
  const cmp = compareOutputs(a.rhs, answer);
  return cmp.equal ? undefined : `the reference gives ${answer} but the assert expects ${a.rhs}`;
}

async function buildProblem(
  q: QRow,
  h: HRow,
  analysed: Analysed,
  scratch: string,
  opts: HumanEvalImportOptions,
): Promise<{ files: Map<string, string>; imported: number; skipped: SkippedAssert[]; asserts: number }> {
  const files = new Map<string, string>();
  files.set(DESCRIPTION_FILE, `${q.prompt.trim()}\n`);
  files.set(PY_SOLUTION_FILE, `${h.prompt}${h.canonical_solution.trimEnd()}\n`);
  const skipped = [...analysed.skipped];
  const candidates: { a: AnalysedAssert; q: string; py: string }[] = [];
  for (const a of analysed.asserts) {
    try {
      candidates.push({ a, q: qTest(a.args), py: pythonTestText(h.entry_point, a.args_src) });
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      skipped.push({ line: a.line, reason: e.message, text: a.text });
    }
  }
  const tolerance: Record<string, number> = {};
  let n = 0;
  if (candidates.length > 0) {
    await mkdir(scratch, { recursive: true });
    await writeFileAtomic(join(scratch, PY_SOLUTION_FILE), files.get(PY_SOLUTION_FILE)!);
    const names = candidates.map((_, k) => pyTestFile(k + 1));
    for (const [k, c] of candidates.entries()) await writeFileAtomic(join(scratch, names[k]!), c.py);
    const results = await runPythonBatch(scratch, names, {
      out: scratch,
      force: false,
      jobs: 1,
      timeoutMs: opts.timeoutMs,
      memoryMb: opts.memoryMb,
    });
    candidates.forEach((c, k) => {
      const r = results[k]!;
      if (!r.ok) {
        skipped.push({ line: c.a.line, reason: `the reference fails: ${r.err}`, text: c.a.text });
        return;
      }
      const answer = r.out.trim();
      const why = referenceHolds(c.a, answer);
      if (why !== undefined) {
        skipped.push({ line: c.a.line, reason: why, text: c.a.text });
        return;
      }
      n++;
      files.set(pyTestFile(n), c.py);
      files.set(answerFile(n), `${answer}\n`);
      files.set(qTestFile(n), c.q);
      if (c.a.kind === "tolerance") tolerance[String(n)] = c.a.tol!;
    });
  }
  skipped.sort((a, b) => a.line - b.line);
  const entry: Entry & Record<string, unknown> = {
    id: q.task_id,
    slug: folderName(q),
    title: `HumanEval/${q.task_id}: ${q.entry_point}`,
    task_id: h.task_id,
    entry_point: h.entry_point,
    q_function: q.entry_point,
    source: "q-humaneval",
    import_status:
      n === 0
        ? `untranslatable: no assert could be translated`
        : skipped.length > 0
          ? `partial: ${skipped.length} of ${analysed.total} asserts not imported`
          : "ok",
  };
  if (Object.keys(tolerance).length > 0) entry["abs_tolerance"] = tolerance;
  if (skipped.length > 0) entry.import_warnings = skipped.map((s) => `check line ${s.line}: ${s.reason}: ${s.text}`);
  files.set(ENTRY_FILE, `${JSON.stringify(entry, null, 2)}\n`);
  return { files, imported: n, skipped, asserts: analysed.total };
}

export async function importHumanEval(qFile: string, humanEvalFile: string, opts: HumanEvalImportOptions): Promise<HumanEvalSummary> {
  const started = Date.now();
  const qRows = readJsonl<QRow>(qFile);
  const hRows = new Map(readJsonl<HRow>(humanEvalFile).map((r) => [r.task_id, r]));
  const chosen = qRows.filter((r) => opts.ids === undefined || opts.ids.includes(r.task_id));
  for (const r of chosen) {
    if (!hRows.has(`HumanEval/${r.task_id}`)) throw new Error(`${humanEvalFile}: no HumanEval/${r.task_id} for ${qFile}'s task ${r.task_id}`);
  }
  const tmpRoot = join(opts.out, ".qds", "tmp", `humaneval.${process.pid}.${Date.now()}`);
  await mkdir(tmpRoot, { recursive: true });
  try {
    const analysed = new Map((await analyse(chosen, tmpRoot, opts)).map((a) => [a.task_id, a]));
    let done = 0;
    const results = await pool(chosen, opts.jobs, async (q): Promise<HumanEvalProblemResult> => {
      const folder = folderName(q);
      const dir = join(opts.out, folder);
      const a = analysed.get(q.task_id)!;
      let r: HumanEvalProblemResult;
      if (existsSync(dir) && !opts.force) {
        r = { folder, taskId: q.task_id, outcome: "kept", asserts: a.total, imported: 0, skipped: [] };
      } else {
        const scratch = join(tmpRoot, folder);
        const built = await buildProblem(q, hRows.get(`HumanEval/${q.task_id}`)!, a, join(scratch, "run"), opts);
        const ready = join(scratch, "ready");
        for (const [name, text] of built.files) await writeFileAtomic(join(ready, name), text);
        if (existsSync(dir)) await rename(dir, join(scratch, "old"));
        await rename(ready, dir);
        r = { folder, taskId: q.task_id, outcome: "written", asserts: built.asserts, imported: built.imported, skipped: built.skipped };
      }
      opts.onProblem?.(r, ++done, chosen.length);
      return r;
    });
    return { problems: qRows.length, results, elapsedMs: Date.now() - started };
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }
}
