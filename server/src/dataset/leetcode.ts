/**
 * `qds import leetcode`: LeetCodeDataset rows (JSONL, optionally gzipped)
 * into problem folders.
 *
 * Folder name: `<task_id>_<question_id>` (e.g. `two-sum_1`), unique and
 * readable. Each row yields entry.json, problem_description.txt (the full
 * statement, meta.question_title), sol.py (the row's `prompt` prelude plus
 * its `completion`, so it runs on its own) and per input_output item a
 * test_case_N.py that imports sol.py, calls the entry point ONCE with the
 * item's keyword arguments and prints the repr of the result (linked lists
 * and trees go in and come out in LeetCode's list form; see pythonTest). The expected answer is
 * COMPUTED by running that test with python3 (one interpreter per problem
 * runs its tests in turn, each re-importing sol.py, with a per-test alarm
 * and an overall timeout); a disagreement with the dataset's printed
 * `output` is kept as a warning, not an error (many problems accept any
 * order). Tests that fail in Python are dropped and the rest renumbered so
 * the folder stays well-formed; the status says so.
 *
 * import_status in entry.json: "ok", "partial: …", "needs_linked_list" /
 * "needs_tree" (a ListNode/TreeNode solution whose signature could not be
 * read, so its arguments cannot be converted; no tests written) or
 * "python_failed: <reason>". No row is dropped.
 *
 * Idempotent and resumable: entry.json records the sha256 of the source row
 * and of every file import wrote (`qds_import`). A folder whose files still
 * match and whose source row is unchanged is skipped; a folder whose files
 * were edited is kept as is unless `force`. New folders are built in a temp
 * folder and renamed into place, so an interrupted run leaves only complete
 * problems behind.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { runProcess } from "../proc/process";
import { compareOutputs } from "../verify/equivalence";
import { PYTHON, pythonEnv } from "../verify/python";
import { pool } from "../verify/verify";
import { answerFile, DESCRIPTION_FILE, ENTRY_FILE, PY_SOLUTION_FILE, pyTestFile } from "./format";
import { sha256, writeFileAtomic } from "./fsx";
import { type Difficulty, type ImportRecord, importRecord } from "./schema";

export interface LeetCodeRow {
  task_id: string;
  prompt: string;
  completion: string;
  entry_point: string;
  input_output: { input: string; output: string }[];
  query?: string;
  /** Later releases of the dataset carry these at the top level. */
  title?: string;
  difficulty?: string;
  tags?: unknown;
  problem_description?: string;
  meta: {
    question_id: number;
    difficulty: string;
    /** In v0.2 this holds the problem statement, not its title. */
    question_title?: string;
    title?: string;
    tags?: unknown;
  };
}

export interface ImportOptions {
  out: string;
  difficulties?: string[];
  ids?: string[];
  limit?: number;
  force: boolean;
  jobs: number;
  /** Per test, for computing answers. */
  timeoutMs: number;
  memoryMb: number;
  onRow?: (result: RowResult, done: number, total: number) => void;
}

/** What happened to one row: a fresh `import_status`, or why the folder was left alone. */
export interface RowResult {
  folder: string;
  outcome: "written" | "unchanged" | "kept_edited" | "kept_foreign";
  status: string;
  tests: number;
  warnings: string[];
  /** A value in the row a person must fix (reported per row with its line). */
  issue?: string;
}

export interface ImportSummary {
  rows: number;
  /** `file:line: reason` for rows that could not be read at all (skipped). */
  badRows: string[];
  /** `file:line: task_id: …` for rows imported with a value that needs a person's look (kept going). */
  rowIssues: string[];
  results: RowResult[];
  elapsedMs: number;
}

/** Bumped when the generated files change shape, so re-import rewrites untouched folders. */
const GENERATOR_VERSION = "2";

/** Reads rows (with their 1-based line numbers); a malformed line is reported as `file:line: reason` and skipped. */
export function readRows(file: string): { rows: LeetCodeRow[]; lines: number[]; bad: string[] } {
  const raw = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const rows: LeetCodeRow[] = [];
  const lines: number[] = [];
  const bad: string[] = [];
  text.split("\n").forEach((line, k) => {
    if (line.trim() === "") return;
    try {
      const row = JSON.parse(line) as LeetCodeRow;
      if (typeof row.task_id !== "string" || typeof row.meta?.question_id !== "number") {
        throw new Error("missing task_id or meta.question_id");
      }
      if (!Array.isArray(row.input_output)) throw new Error("missing input_output");
      rows.push(row);
      lines.push(k + 1);
    } catch (err) {
      bad.push(`${file}:${k + 1}: ${(err as Error).message}`);
    }
  });
  return { rows, lines, bad };
}

export const folderName = (row: LeetCodeRow): string => `${row.task_id}_${row.meta.question_id}`;

/**
 * Spellings of a difficulty seen in sources (lower-cased, spaces removed),
 * read as the difficulty they obviously mean. Anything else is reported.
 */
const DIFFICULTY_VARIANTS: Record<string, Difficulty> = {
  easy: "Easy",
  esay: "Easy",
  eays: "Easy",
  medium: "Medium",
  med: "Medium",
  meidum: "Medium",
  medum: "Medium",
  meduim: "Medium",
  mediun: "Medium",
  hard: "Hard",
  hrad: "Hard",
  hadr: "Hard",
};

/** The difficulty a source's text means, or undefined when it is not a known spelling. */
export function normaliseDifficulty(text: unknown): Difficulty | undefined {
  return typeof text === "string" ? DIFFICULTY_VARIANTS[text.toLowerCase().replace(/\s+/g, "")] : undefined;
}

const rawDifficulty = (row: LeetCodeRow): string => String(row.difficulty ?? row.meta.difficulty ?? "");

/** The source's tags (top level or meta), strings only. */
function tagsOf(row: LeetCodeRow): string[] | undefined {
  const tags = row.tags ?? row.meta.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string" && t.trim() !== "") : undefined;
}

/**
 * The real title when the source has one (a one-line `title`, top level or
 * in meta); otherwise one made from the slug. `meta.question_title` is not a
 * title: LeetCodeDataset v0.2 stores the whole statement there.
 */
export function titleOf(row: LeetCodeRow): string {
  const oneLine = (t: unknown): string | undefined =>
    typeof t === "string" && t.trim() !== "" && !t.trim().includes("\n") ? t.trim() : undefined;
  return oneLine(row.title) ?? oneLine(row.meta.title) ?? titleFromSlug(row.task_id);
}

function titleFromSlug(slug: string): string {
  return slug
    .split("-")
    .map((w) => (w === "" ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(" ");
}

/** Splits at top-level commas (outside brackets and quotes). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

type NodeKind = "list" | "tree" | "lists" | "trees";

/** Whether an annotation is a ListNode/TreeNode, or a List of them. */
function nodeKind(annotation: string): NodeKind | undefined {
  const node = /\bListNode\b/.test(annotation) ? "list" : /\bTreeNode\b/.test(annotation) ? "tree" : undefined;
  if (node === undefined) return undefined;
  return /^List\[/.test(annotation.trim()) ? (node === "list" ? "lists" : "trees") : node;
}

export interface Signature {
  params: Map<string, NodeKind | undefined>;
  returns: NodeKind | "none" | "value";
}

/** The entry method's parameters and return kind, read from the completion's `def` (which may span lines). */
export function signatureOf(row: LeetCodeRow): Signature | undefined {
  const method = row.entry_point.split(".").pop()!;
  const def = new RegExp(`def ${method}\\(\\s*self\\s*,?([\\s\\S]*?)\\)\\s*(?:->\\s*([^:\\n]+?))?\\s*:\\s*\\n`);
  const m = def.exec(row.completion);
  if (m === null) return undefined;
  const params = new Map<string, NodeKind | undefined>();
  for (const p of splitTopLevel(m[1]!)) {
    const colon = p.indexOf(":");
    const name = (colon < 0 ? p : p.slice(0, colon)).split("=")[0]!.trim();
    params.set(name, colon < 0 ? undefined : nodeKind(p.slice(colon + 1)));
  }
  const ret = (m[2] ?? "").trim();
  return { params, returns: ret === "None" ? "none" : (nodeKind(ret) ?? "value") };
}

/** Helpers for tests over linked lists and trees: LeetCode's list form of both. */
const NODE_HELPERS = `
def as_list(node):
    values = []
    while node:
        values.append(node.val)
        node = node.next
    return values

def as_tree(root):
    values, queue = [], deque([root])
    while queue:
        node = queue.popleft()
        if node is None:
            values.append(None)
        else:
            values.append(node.val)
            queue.extend((node.left, node.right))
    while values and values[-1] is None:
        values.pop()
    return values
`;

const BUILD: Record<NodeKind, (v: string) => string> = {
  list: (v) => `list_node(${v})`,
  tree: (v) => `tree_node(${v})`,
  lists: (v) => `[list_node(x) for x in ${v}]`,
  trees: (v) => `[tree_node(x) for x in ${v}]`,
};
const SHOW: Record<NodeKind, (v: string) => string> = {
  list: (v) => `as_list(${v})`,
  tree: (v) => `as_tree(${v})`,
  lists: (v) => `[as_list(x) for x in ${v}]`,
  trees: (v) => `[as_tree(x) for x in ${v}]`,
};

/**
 * Python source of a test: import the solution, call the entry point ONCE
 * with the item's keyword arguments, print the repr of the result (repr keeps
 * a string's quotes and edge spaces). With a signature over ListNode/TreeNode,
 * those arguments are built from their list form with the prompt's
 * list_node/tree_node and such results printed in list form; a method that
 * returns None (works in place) prints its first list/tree argument after the call.
 */
export function pythonTest(row: LeetCodeRow, input: string, sig?: Signature): string {
  // LeetCode writes JSON-ish literals in some inputs; give those names their Python meaning.
  const prelude = /\b(?:true|false|null)\b/.test(input) ? "true, false, null = True, False, None\n" : "";
  const nodeParams = sig === undefined ? [] : [...sig.params].filter(([, k]) => k !== undefined);
  if (sig === undefined || (nodeParams.length === 0 && (sig.returns === "value" || sig.returns === "none"))) {
    return `from sol import *\n\n${prelude}print(repr(${row.entry_point}(${input})))\n`;
  }
  const lines: string[] = [];
  const args = splitTopLevel(input).map((kv) => {
    const eq = kv.indexOf("=");
    const name = kv.slice(0, eq).trim();
    const kind = sig.params.get(name);
    if (kind === undefined) return kv;
    lines.push(`${name} = ${BUILD[kind](kv.slice(eq + 1).trim())}`);
    return `${name} = ${name}`;
  });
  const call = `${row.entry_point}(${args.join(", ")})`;
  if (sig.returns === "none" && nodeParams.length > 0) {
    const [name, kind] = nodeParams[0]!;
    lines.push(call, `print(repr(${SHOW[kind!](name)}))`);
  } else if (sig.returns === "value" || sig.returns === "none") {
    lines.push(`print(repr(${call}))`);
  } else {
    lines.push(`print(repr(${SHOW[sig.returns](call)}))`);
  }
  return `from sol import *\n${NODE_HELPERS}\n${prelude}${lines.join("\n")}\n`;
}

/**
 * Runs the given test files in one python3 process, each in a fresh module
 * namespace with `sol` re-imported, and returns each one's printed output or
 * the reason it failed. The driver reports through a JSON line on stdout.
 *
 * The answer is what the TEST prints (the repr of the returned value): the
 * test module's `print` is replaced by one that records, while anything the
 * solution itself prints (debug output) goes to a separate buffer, reported
 * as `noise` so the importer can flag the reference instead of baking those
 * lines into the expected answer.
 */
const DRIVER = `
import contextlib, io, json, runpy, signal, sys, traceback
class Timeout(BaseException): pass
def on_alarm(*_): raise Timeout()
signal.signal(signal.SIGALRM, on_alarm)
limit = float(sys.argv[1])
results = []
real_stdout = sys.stdout
for path in sys.argv[2:]:
    sys.modules.pop("sol", None)
    noise = io.StringIO()
    answer = io.StringIO()
    def record(*args, sep=" ", end="\\n", file=None, flush=False):
        answer.write((" " if sep is None else sep).join(str(a) for a in args) + ("\\n" if end is None else end))
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        with contextlib.redirect_stdout(noise):
            runpy.run_path(path, init_globals={"print": record}, run_name="__main__")
        signal.setitimer(signal.ITIMER_REAL, 0)
        results.append({"ok": True, "out": answer.getvalue(), "noise": noise.getvalue()})
    except Timeout:
        results.append({"ok": False, "err": "timeout after %g s" % limit})
    except BaseException as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        results.append({"ok": False, "err": (type(e).__name__ + ": " + str(e))[:300]})
real_stdout.write("\\n@@QDS@@" + json.dumps(results) + "\\n")
`;

export type PyResult = { ok: true; out: string; noise: string } | { ok: false; err: string };

export async function runPythonBatch(dir: string, files: string[], opts: ImportOptions): Promise<PyResult[]> {
  const r = await runProcess(PYTHON, ["-c", DRIVER, String(opts.timeoutMs / 1000), ...files], {
    cwd: dir,
    env: pythonEnv(),
    timeoutMs: opts.timeoutMs * files.length + 5000,
    memoryMb: opts.memoryMb,
  });
  const marker = r.stdout.lastIndexOf("\n@@QDS@@");
  if (marker < 0) {
    const why = r.timedOut ? "timeout" : (r.spawnError ?? (r.stderr.trim().split("\n").pop() || `exit ${r.exitCode}`));
    return files.map(() => ({ ok: false, err: why }));
  }
  return JSON.parse(r.stdout.slice(marker + 8)) as PyResult[];
}

/** What import writes for `row`, with answers computed; `staging` is a scratch folder it may use. */
async function buildProblem(
  row: LeetCodeRow,
  staging: string,
  opts: ImportOptions,
): Promise<{ files: Map<string, string>; status: string; warnings: string[] }> {
  const files = new Map<string, string>();
  const statement = row.problem_description ?? row.meta.question_title ?? row.query ?? "";
  files.set(DESCRIPTION_FILE, `${statement.trim()}\n`);
  files.set(PY_SOLUTION_FILE, `${row.prompt.trimEnd()}\n\n${row.completion.trimEnd()}\n`);
  const warnings: string[] = [];
  const usesNodes = /\b(?:ListNode|TreeNode)\b/.test(row.completion);
  const sig = usesNodes ? signatureOf(row) : undefined;
  if (usesNodes && sig === undefined) {
    return { files, status: /\bListNode\b/.test(row.completion) ? "needs_linked_list" : "needs_tree", warnings };
  }
  if (row.input_output.length === 0) return { files, status: "python_failed: no input_output items", warnings };

  await mkdir(staging, { recursive: true });
  await writeFileAtomic(join(staging, PY_SOLUTION_FILE), files.get(PY_SOLUTION_FILE)!);
  const candidates = row.input_output.map((io, k) => ({
    io,
    file: pyTestFile(k + 1),
    text: pythonTest(row, io.input, sig),
  }));
  for (const c of candidates) await writeFileAtomic(join(staging, c.file), c.text);
  const results = await runPythonBatch(
    staging,
    candidates.map((c) => c.file),
    opts,
  );
  let n = 0;
  let printing = 0;
  const failures: string[] = [];
  candidates.forEach((c, k) => {
    const r = results[k]!;
    if (!r.ok) {
      failures.push(`dataset test ${k + 1}: ${r.err}`);
      return;
    }
    n++;
    const answer = r.out.trim();
    if (r.noise.trim() !== "") {
      printing++;
      const first = r.noise.trim().split("\n")[0]!.slice(0, 60);
      warnings.push(
        `test ${n}: the reference solution writes to stdout ('${first}'); the answer holds the returned value only`,
      );
    }
    files.set(pyTestFile(n), c.text);
    files.set(answerFile(n), `${answer}\n`);
    const cmp = compareOutputs(c.io.output, answer);
    if (!cmp.equal)
      warnings.push(`test ${n}: computed ${answer} but the dataset says ${c.io.output.trim()} (${cmp.reason})`);
  });
  warnings.push(...failures.map((f) => `skipped ${f}`));
  const status =
    n === 0
      ? `python_failed: ${failures[0]}`
      : failures.length > 0
        ? `partial: ${failures.length} of ${candidates.length} tests failed in Python`
        : printing > 0
          ? `reference_prints: ${printing} of ${n} tests wrote to stdout besides the answer`
          : "ok";
  return { files, status, warnings };
}

/** An entry as import writes it: without a difficulty when the source's is not a known spelling (reported). */
interface ImportedEntry {
  id: number;
  slug: string;
  title: string;
  difficulty?: Difficulty;
  tags?: string[];
  entry_point: string;
  source: string;
  question_id: number;
  import_status: string;
  import_warnings?: string[];
  qds_import?: ImportRecord;
}

function entryFor(row: LeetCodeRow, source: string, status: string, warnings: string[]): ImportedEntry {
  const entry: ImportedEntry = {
    id: row.meta.question_id,
    slug: row.task_id,
    title: titleOf(row),
    entry_point: row.entry_point,
    source,
    question_id: row.meta.question_id,
    import_status: status,
  };
  const difficulty = normaliseDifficulty(rawDifficulty(row));
  if (difficulty !== undefined) entry.difficulty = difficulty;
  const tags = tagsOf(row);
  if (tags !== undefined) entry.tags = tags;
  if (warnings.length > 0) entry.import_warnings = warnings;
  return entry;
}

/** What a person should look at in this row, beside the Python results: difficulty spelling. */
function difficultyIssues(row: LeetCodeRow): { warnings: string[]; issue?: string } {
  const raw = rawDifficulty(row);
  const d = normaliseDifficulty(raw);
  if (d === undefined)
    return {
      warnings: [`difficulty '${raw}' is not Easy, Medium or Hard: left unset`],
      issue: `difficulty '${raw}' is not Easy, Medium or Hard; entry.json has none (set it by hand)`,
    };
  return { warnings: d === raw ? [] : [`difficulty '${raw}' read as ${d}`] };
}

const entryText = (entry: ImportedEntry): string => `${JSON.stringify(entry, null, 2)}\n`;

/** JSON with object keys sorted at every level, so a hash does not depend on key order. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** The entry's own hash leaves out the import record that stores it. */
function entryHash(entry: { qds_import?: unknown }): string {
  const { qds_import: _ignored, ...rest } = entry;
  return sha256(canonicalJson(rest));
}

/** How an existing folder relates to what import last wrote there. */
async function existingState(dir: string, sourceSha: string): Promise<"unchanged" | "edited" | "stale" | "foreign"> {
  // Only the import record matters here: an entry import wrote may lack fields the schema requires.
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(await readFile(join(dir, ENTRY_FILE), "utf8")) as Record<string, unknown>;
  } catch {
    return "foreign";
  }
  const record = importRecord.safeParse(entry["qds_import"]).data;
  if (record === undefined) return "foreign";
  if (record.files[ENTRY_FILE] !== entryHash(entry)) return "edited";
  for (const [name, hash] of Object.entries(record.files)) {
    if (name === ENTRY_FILE) continue;
    const p = join(dir, name);
    if (!existsSync(p) || sha256(await readFile(p)) !== hash) return "edited";
  }
  return record.source_sha256 === sourceSha ? "unchanged" : "stale";
}

async function importRow(row: LeetCodeRow, source: string, opts: ImportOptions): Promise<RowResult> {
  const folder = folderName(row);
  const dir = join(opts.out, folder);
  const sourceSha = sha256(`${GENERATOR_VERSION}\n${JSON.stringify(row)}`);
  const exists = existsSync(dir);
  if (exists) {
    const state = await existingState(dir, sourceSha);
    if (state === "unchanged" && !opts.force)
      return { folder, outcome: "unchanged", status: "", tests: 0, warnings: [] };
    if (state === "edited" && !opts.force)
      return { folder, outcome: "kept_edited", status: "", tests: 0, warnings: [] };
    if (state === "foreign" && !opts.force)
      return { folder, outcome: "kept_foreign", status: "", tests: 0, warnings: [] };
  }
  const scratch = join(opts.out, ".qds", "tmp", `${folder}.${process.pid}.${Date.now()}`);
  try {
    const staging = join(scratch, "run");
    const built = await buildProblem(row, staging, opts);
    const { files, status } = built;
    const checked = difficultyIssues(row);
    const warnings = [...checked.warnings, ...built.warnings];
    const entry = entryFor(row, source, status, warnings);
    const hashes: Record<string, string> = { [ENTRY_FILE]: entryHash(entry) };
    for (const [name, text] of files) hashes[name] = sha256(text);
    entry.qds_import = { source_sha256: sourceSha, files: hashes };
    files.set(ENTRY_FILE, entryText(entry));
    const tests = [...files.keys()].filter((f) => f.endsWith("_correct_ans.txt")).length;
    if (!exists) {
      const ready = join(scratch, "ready");
      for (const [name, text] of files) await writeFileAtomic(join(ready, name), text);
      await mkdir(opts.out, { recursive: true });
      await rename(ready, dir);
    } else {
      // Rewrite in place, leaving files the user added (sol.q, q tests) alone; entry.json last.
      const old = await readFile(join(dir, ENTRY_FILE), "utf8")
        .then((t) => importRecord.safeParse(JSON.parse(t).qds_import).data?.files ?? {})
        .catch(() => ({}));
      for (const name of Object.keys(old)) if (!files.has(name)) await rm(join(dir, name), { force: true });
      for (const [name, text] of files) if (name !== ENTRY_FILE) await writeFileAtomic(join(dir, name), text);
      await writeFileAtomic(join(dir, ENTRY_FILE), files.get(ENTRY_FILE)!);
    }
    return {
      folder,
      outcome: "written",
      status,
      tests,
      warnings,
      ...(checked.issue === undefined ? {} : { issue: checked.issue }),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function importLeetCode(file: string, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const { rows, lines, bad } = readRows(file);
  const lineOf = new Map(rows.map((r, k) => [r, lines[k]!]));
  const difficulties = opts.difficulties?.map((d) => normaliseDifficulty(d) ?? d);
  let chosen = rows.filter(
    (r) =>
      (difficulties === undefined ||
        difficulties.includes(normaliseDifficulty(rawDifficulty(r)) ?? rawDifficulty(r))) &&
      (opts.ids === undefined ||
        opts.ids.includes(r.task_id) ||
        opts.ids.includes(String(r.meta.question_id)) ||
        opts.ids.includes(folderName(r))),
  );
  if (opts.limit !== undefined) chosen = chosen.slice(0, opts.limit);
  const source = basename(file).replace(/\.jsonl(\.gz)?$/, "");
  let done = 0;
  const results = await pool(chosen, opts.jobs, async (row) => {
    const r = await importRow(row, source, opts);
    opts.onRow?.(r, ++done, chosen.length);
    return r;
  });
  await rm(join(opts.out, ".qds", "tmp"), { recursive: true, force: true });
  const rowIssues = results.flatMap((r, k) =>
    r.issue === undefined ? [] : [`${file}:${lineOf.get(chosen[k]!)}: ${chosen[k]!.task_id}: ${r.issue}`],
  );
  return { rows: rows.length, badRows: bad, rowIssues, results, elapsedMs: Date.now() - started };
}
