/** `qds validate` checks on real folders: each rule, with the file and line it reports. */
import { strict as assert } from "node:assert";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { formatFinding, validateDataset } from "../../../server/src/dataset/validate";
import { problem, tempDir, writeProblem } from "./helpers";

describe("validate", () => {
  let root: string;
  beforeEach(() => {
    root = tempDir("validate");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const findings = (): string[] => validateDataset(root).findings.map(formatFinding);

  it("accepts a well-formed problem", () => {
    writeProblem(root, "ok", problem());
    assert.deepEqual(findings(), []);
  });

  it("maps a schema error to the line of the offending key", () => {
    const entry =
      '{\n  "id": 1,\n  "slug": "p",\n  "title": "P",\n  "difficulty": "Impossible",\n  "tags": ["a", 3],\n  "extra": {"kept": true}\n}\n';
    writeProblem(root, "p", problem({ "entry.json": entry }));
    const out = findings();
    assert.equal(out.length, 2, out.join("\n"));
    assert.match(out[0]!, new RegExp(`^${join(root, "p", "entry.json")}:5: error: difficulty: `));
    assert.match(out[1]!, /entry\.json:6: error: tags\.1: /);
  });

  it("names every missing required field of an entry like {\"id\":\"x\"}, one finding each", () => {
    writeProblem(root, "p", problem({ "entry.json": '{"id":"x"}\n' }));
    assert.deepEqual(
      findings().map((f) => f.slice(join(root, "p").length + 1)),
      [
        "entry.json:1: error: slug: missing required field (a URL-style name such as two-sum)",
        "entry.json:1: error: title: missing required field (the problem's title)",
        "entry.json:1: error: difficulty: missing required field (one of Easy, Medium, Hard)",
      ],
    );
  });

  it("reports JSON syntax errors with their line", () => {
    writeProblem(root, "p", problem({ "entry.json": '{\n  "id": 1,\n  "slug": \n}\n' }));
    assert.match(findings()[0]!, /entry\.json:4: error: invalid JSON/);
  });

  it("reports missing and empty files", () => {
    writeProblem(root, "p", problem({ "sol.py": undefined, "problem_description.txt": "  \n" }));
    const out = findings();
    assert.ok(
      out.some((f) => /p\/sol\.py:1: error: missing file/.test(f)),
      out.join("\n"),
    );
    assert.ok(
      out.some((f) => /problem_description\.txt:1: error: file is empty/.test(f)),
      out.join("\n"),
    );
  });

  it("reports a gap in test numbering", () => {
    writeProblem(
      root,
      "p",
      problem({
        "test_case_4.py": "print(1)\n",
        "test_case_4_correct_ans.txt": "1\n",
        "q_test_case_4.q": "show solve[1;0]\n",
      }),
    );
    const out = findings();
    assert.ok(
      out.some((f) => /test_case_3\.py:1: error: test case 3 is missing/.test(f)),
      out.join("\n"),
    );
    assert.equal(out.length, 1, out.join("\n"));
  });

  it("reports non-UTF-8 bytes with their line", () => {
    writeProblem(root, "p", problem({ "problem_description.txt": Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0xff, 0x0a]) }));
    assert.match(findings().join("\n"), /problem_description\.txt:3: error: not valid UTF-8 \(byte 4\)/);
  });

  it("reports q tests that do not call solve exactly once, at the second call", () => {
    writeProblem(root, "p", problem({ "q_test_case_2.q": "x:solve[1;2]\n/ comment\nshow solve[x;1]\n" }));
    writeProblem(root, "q", problem({ "q_test_case_1.q": "show 3\n" }));
    const out = findings();
    assert.ok(
      out.some((f) => /p\/q_test_case_2\.q:3: error: invalid solve call count: .* found 2/.test(f)),
      out.join("\n"),
    );
    assert.ok(
      out.some((f) => /q\/q_test_case_1\.q:1: error: invalid solve call count: .* found 0/.test(f)),
      out.join("\n"),
    );
  });

  it("warns (not errors) when there is no q solution yet, and requires q tests once there is", () => {
    writeProblem(
      root,
      "noq",
      problem({ "sol.q": undefined, "q_test_case_1.q": undefined, "q_test_case_2.q": undefined }),
    );
    writeProblem(root, "half", problem({ "q_test_case_2.q": undefined }));
    const { findings: fs } = validateDataset(root);
    const noq = fs.filter((f) => f.path.includes("noq"));
    assert.deepEqual(
      noq.map((f) => f.severity),
      ["warning"],
    );
    assert.ok(fs.some((f) => f.path.endsWith(join("half", "q_test_case_2.q")) && f.severity === "error"));
  });

  it("keeps checking after a broken problem", () => {
    writeProblem(root, "a-broken", { "entry.json": "{" });
    writeProblem(root, "b-bad", problem({ "q_test_case_1.q": "1" }));
    const out = findings();
    assert.ok(out.some((f) => f.includes("a-broken")));
    assert.ok(out.some((f) => f.includes("b-bad/q_test_case_1.q")));
  });
});
