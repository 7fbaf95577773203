/**
 * `qds import leetcode` on small hand-written LeetCodeDataset rows, with real
 * python3: computed answers, statuses, warnings, filters, gzip input, and
 * idempotent re-import that never overwrites user edits without force.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type ImportOptions, importLeetCode, type LeetCodeRow } from "../../../server/src/dataset/leetcode";
import { validateDataset } from "../../../server/src/dataset/validate";
import { tempDir } from "./helpers";

const PRELUDE = "from typing import *\n";
const LIST_HELPERS = `
class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

def list_node(values):
    head = None
    for v in reversed(values):
        head = ListNode(v, head)
    return head
`;

function row(
  id: number,
  slug: string,
  difficulty: string,
  body: string,
  io: [string, string][],
  method = "f",
): LeetCodeRow {
  return {
    task_id: slug,
    prompt: PRELUDE,
    completion: `class Solution:\n    def ${method}(self, **kw):\n${body}\n`,
    entry_point: `Solution().${method}`,
    input_output: io.map(([input, output]) => ({ input, output })),
    meta: { question_id: id, difficulty, question_title: `Statement of ${slug}.` },
  };
}

const ROWS: LeetCodeRow[] = [
  row(1, "add", "Easy", "        return kw['a'] + kw['b']", [
    ["a = 1, b = 2", "3"],
    ["a = [1], b = [2]", "[1,2]"],
  ]),
  row(2, "order", "Medium", "        return sorted(kw['xs'], reverse=True)", [["xs = [1,2]", "[1,2]"]]),
  row(3, "half-broken", "Hard", "        return 10 // kw['d']", [
    ["d = 2", "5"],
    ["d = 0", "0"],
  ]),
  row(4, "spin", "Hard", "        while True: pass", [["x = 1", "1"]]),
  row(5, "flags", "Easy", "        return not kw['b']", [["b = true", "false"]]),
  {
    ...row(6, "reverse-list", "Easy", "", [["head = [1,2,3]", "[3,2,1]"]]),
    prompt: `${PRELUDE}${LIST_HELPERS}`,
    completion:
      "class Solution:\n    def f(\n        self, head: Optional[ListNode]\n    ) -> Optional[ListNode]:\n" +
      "        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev\n",
  },
  {
    ...row(7, "odd-list", "Easy", "", [["head = [1]", "[1]"]]),
    completion: "class Solution:\n    f = lambda self, head: head  # ListNode, but no def to read\n",
  },
];

describe("import leetcode", function () {
  this.timeout(60_000);
  let root: string;
  let file: string;
  let out: string;
  const opts = (extra: Partial<ImportOptions> = {}): ImportOptions => ({
    out,
    force: false,
    jobs: 2,
    timeoutMs: 1500,
    memoryMb: 512,
    ...extra,
  });
  before(() => {
    root = tempDir("import");
    file = join(root, "rows.jsonl");
    writeFileSync(file, `${ROWS.map((r) => JSON.stringify(r)).join("\n")}\n{"task_id": broken\n`);
    out = join(root, "out");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("writes problem folders with answers computed by python3", async () => {
    const s = await importLeetCode(file, opts());
    assert.equal(s.rows, 7);
    assert.deepEqual(s.badRows.length, 1);
    assert.match(s.badRows[0]!, /rows\.jsonl:8: /);
    const status = Object.fromEntries(s.results.map((r) => [r.folder, r.status]));
    assert.deepEqual(status, {
      add_1: "ok",
      order_2: "ok",
      "half-broken_3": "partial: 1 of 2 tests failed in Python",
      spin_4: "python_failed: dataset test 1: timeout after 1.5 s",
      flags_5: "ok",
      "reverse-list_6": "ok",
      "odd-list_7": "needs_linked_list",
    });
    const add = join(out, "add_1");
    assert.equal(
      readFileSync(join(add, "test_case_1.py"), "utf8"),
      "from sol import *\n\nprint(repr(Solution().f(a = 1, b = 2)))\n",
    );
    assert.equal(readFileSync(join(add, "test_case_2_correct_ans.txt"), "utf8"), "[1, 2]\n");
    assert.equal(readFileSync(join(add, "problem_description.txt"), "utf8"), "Statement of add.\n");
    assert.equal(readFileSync(join(out, "flags_5", "test_case_1_correct_ans.txt"), "utf8"), "False\n");
    // Linked lists go in and come out in list form.
    const rev = readFileSync(join(out, "reverse-list_6", "test_case_1.py"), "utf8");
    assert.match(rev, /^head = list_node\(\[1,2,3\]\)\nprint\(repr\(as_list\(Solution\(\)\.f\(head = head\)\)\)\)$/m);
    assert.equal(readFileSync(join(out, "reverse-list_6", "test_case_1_correct_ans.txt"), "utf8"), "[3, 2, 1]\n");
    const entry = JSON.parse(readFileSync(join(add, "entry.json"), "utf8"));
    assert.equal(entry.difficulty, "Easy");
    assert.equal(entry.slug, "add");
    assert.equal(entry.entry_point, "Solution().f");
    // Computed answers disagreeing with the dataset's text become warnings.
    const order = JSON.parse(readFileSync(join(out, "order_2", "entry.json"), "utf8"));
    assert.match(order.import_warnings[0], /test 1: computed \[2, 1\] but the dataset says \[1,2\]/);
    // The failed test is dropped, the rest kept under contiguous numbers.
    const half = readdirSync(join(out, "half-broken_3")).sort();
    assert.ok(half.includes("test_case_1.py") && !half.includes("test_case_2.py"), half.join(","));
    // Everything written is well-formed apart from the missing q solutions.
    const errors = validateDataset(out).findings.filter((f) => f.severity === "error");
    assert.deepEqual(
      errors.map((f) => f.path.replace(out, "")),
      ["/odd-list_7", "/spin_4"],
    );
    assert.equal(existsSync(join(out, ".qds", "tmp")), false);
  });

  it("re-import skips untouched folders and keeps edited ones unless forced", async () => {
    const again = await importLeetCode(file, opts());
    assert.deepEqual(new Set(again.results.map((r) => r.outcome)), new Set(["unchanged"]));
    const add = join(out, "add_1");
    writeFileSync(join(add, "sol.q"), "solve:{x+y}\n"); // a file import never wrote: not an edit
    writeFileSync(join(out, "order_2", "test_case_1_correct_ans.txt"), "[1, 2]\n");
    const third = await importLeetCode(file, opts());
    const outcome = Object.fromEntries(third.results.map((r) => [r.folder, r.outcome]));
    assert.equal(outcome["add_1"], "unchanged");
    assert.equal(outcome["order_2"], "kept_edited");
    assert.equal(readFileSync(join(out, "order_2", "test_case_1_correct_ans.txt"), "utf8"), "[1, 2]\n");
    const forced = await importLeetCode(file, opts({ force: true, ids: ["order", "1"] }));
    assert.deepEqual(forced.results.map((r) => [r.folder, r.outcome]).sort(), [
      ["add_1", "written"],
      ["order_2", "written"],
    ]);
    assert.equal(readFileSync(join(out, "order_2", "test_case_1_correct_ans.txt"), "utf8"), "[2, 1]\n");
    assert.equal(readFileSync(join(add, "sol.q"), "utf8"), "solve:{x+y}\n", "user's own file kept");
  });

  it("reads gzip and filters by difficulty and limit", async () => {
    const gz = join(root, "rows.jsonl.gz");
    writeFileSync(gz, gzipSync(ROWS.map((r) => JSON.stringify(r)).join("\n")));
    const target = join(root, "filtered");
    const s = await importLeetCode(gz, { ...opts(), out: target, difficulties: ["easy", "Medium"], limit: 2 });
    assert.deepEqual(
      s.results.map((r) => r.folder),
      ["add_1", "order_2"],
    );
    assert.deepEqual(
      readdirSync(target).sort(),
      [".qds", "add_1", "order_2"].filter((n) => existsSync(join(target, n))),
    );
  });
});

describe("import leetcode: what the source says, checked", function () {
  this.timeout(60_000);
  let root: string;
  const opts = (out: string): ImportOptions => ({ out, force: false, jobs: 2, timeoutMs: 5000, memoryMb: 512 });
  before(() => {
    root = tempDir("import-quality");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const entry = (out: string, folder: string) => JSON.parse(readFileSync(join(out, folder, "entry.json"), "utf8"));

  it("reads known misspellings of a difficulty and reports an unknown one with its file and line", async () => {
    const rows = [
      row(11, "typo", "Meidum", "        return 1", [["x = 1", "1"]]),
      row(12, "shout", " EASY ", "        return 1", [["x = 1", "1"]]),
      row(13, "odd", "Impossible", "        return 1", [["x = 1", "1"]]),
    ];
    const file = join(root, "difficulties.jsonl");
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const out = join(root, "d");
    const s = await importLeetCode(file, opts(out));
    assert.equal(entry(out, "typo_11").difficulty, "Medium");
    assert.ok(entry(out, "typo_11").import_warnings.includes("difficulty 'Meidum' read as Medium"));
    assert.equal(entry(out, "shout_12").difficulty, "Easy");
    assert.equal(entry(out, "odd_13").difficulty, undefined);
    assert.deepEqual(s.rowIssues, [
      `${file}:3: odd: difficulty 'Impossible' is not Easy, Medium or Hard; entry.json has none (set it by hand)`,
    ]);
    // The validator then names the missing field in that one problem only.
    const findings = validateDataset(out).findings.filter((f) => f.severity === "error");
    assert.deepEqual(
      findings.map((f) => `${f.path.slice(out.length + 1)}: ${f.message}`),
      ["odd_13/entry.json: difficulty: missing required field (one of Easy, Medium, Hard)"],
    );
    // --difficulty Medium selects the misspelt row too.
    const only = await importLeetCode(file, { ...opts(join(root, "d2")), difficulties: ["medium"] });
    assert.deepEqual(
      only.results.map((r) => r.folder),
      ["typo_11"],
    );
  });

  it("keeps only the returned value when the reference prints, and flags it", async () => {
    const r = row(21, "chatty", "Easy", "        print('debug:', kw['a'])\n        return kw['a'] * 2", [
      ["a = 4", "8"],
      ["a = 5", "10"],
    ]);
    const file = join(root, "chatty.jsonl");
    writeFileSync(file, `${JSON.stringify(r)}\n`);
    const out = join(root, "c");
    const s = await importLeetCode(file, opts(out));
    assert.equal(readFileSync(join(out, "chatty_21", "test_case_1_correct_ans.txt"), "utf8"), "8\n");
    assert.equal(readFileSync(join(out, "chatty_21", "test_case_2_correct_ans.txt"), "utf8"), "10\n");
    assert.equal(s.results[0]!.status, "reference_prints: 2 of 2 tests wrote to stdout besides the answer");
    assert.ok(
      entry(out, "chatty_21").import_warnings.includes(
        "test 1: the reference solution writes to stdout ('debug: 4'); the answer holds the returned value only",
      ),
    );
  });

  it("takes the source's real title and tags; a v0.2 statement in question_title is no title", async () => {
    const titled = {
      ...row(31, "two-sum-ii-input-array-is-sorted", "Medium", "        return 1", [["x = 1", "1"]]),
      title: "Two Sum II - Input Array Is Sorted",
      tags: ["Array", "Two Pointers", 7],
    };
    const v02 = {
      ...row(32, "best-time-to-buy-and-sell-stock", "Easy", "        return 1", [["x = 1", "1"]]),
      meta: { question_id: 32, difficulty: "Easy", question_title: "Say the max profit." },
    };
    const file = join(root, "titles.jsonl");
    writeFileSync(file, `${JSON.stringify(titled)}\n${JSON.stringify(v02)}\n`);
    const out = join(root, "t");
    await importLeetCode(file, opts(out));
    const a = entry(out, "two-sum-ii-input-array-is-sorted_31");
    assert.equal(a.title, "Two Sum II - Input Array Is Sorted");
    assert.deepEqual(a.tags, ["Array", "Two Pointers"]);
    const b = entry(out, "best-time-to-buy-and-sell-stock_32");
    assert.equal(b.title, "Best Time To Buy And Sell Stock");
    assert.equal(b.tags, undefined);
    assert.equal(
      readFileSync(join(out, "best-time-to-buy-and-sell-stock_32", "problem_description.txt"), "utf8"),
      "Say the max profit.\n",
    );
  });
});
