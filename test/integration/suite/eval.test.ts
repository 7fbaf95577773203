/**
 * Model evaluation in the real editor: **Evaluate Model on Dataset…** runs in
 * the language server against the wire stub (openai-compatible, real OpenAI
 * SDK), the Evaluation Results view renders pass@1 and the failed problem,
 * and opening a failed sample shows its generated code beside the q test it
 * failed. The dataset is two crafted problems in the Q-HumanEval layout:
 * `add` answered correctly, `rev` wrongly, so pass@1 is exactly 50%.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { EvalSummary, SampleRecord } from "../../../server/src/eval/types";
import type { EvalDatasetResult } from "../../../server/src/protocol";
import { StubServer } from "../../stubs/llm-stub";
import { extension, within } from "./util";

const PROBLEMS = {
  add_1: { fn: "add", tests: [["0N!solve[1;2];", "3"]], answer: "add:{[x;y] x+y}" },
  rev_2: { fn: "rev", tests: [['0N!solve["abc"];', "'cba'"]], answer: "rev:{[x] x}" },
};

describe("model evaluation", function () {
  this.timeout(90_000);
  let stub: StubServer;
  let root: string;
  const llm = () => vscode.workspace.getConfiguration("qds.llm");

  before(async () => {
    await within(
      extension()
        .activate()
        .then((api) => api.whenReady()),
      "the language server",
    );
    stub = await StubServer.start("openai-chat");
    stub.respond = (r) => {
      const msgs = r.body["messages"] as { content: string }[];
      const fn = /Write the q function `(\w+)`/.exec(msgs[msgs.length - 1]?.content ?? "")?.[1];
      const p = Object.values(PROBLEMS).find((x) => x.fn === fn);
      return p === undefined ? { status: 400 } : { reply: `\`\`\`q\n${p.answer}\n\`\`\`` };
    };
    const target = vscode.ConfigurationTarget.Workspace;
    await llm().update("provider", "openai-compatible", target);
    await llm().update("baseUrl", stub.baseUrl, target);
    await llm().update("model", "stub-model", target);
    await llm().update("retries", 0, target);
    root = mkdtempSync(join(tmpdir(), "qds-eval-it-"));
    for (const [name, p] of Object.entries(PROBLEMS)) {
      const dir = join(root, "dataset", name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "entry.json"), JSON.stringify({ id: name, q_function: p.fn }));
      writeFileSync(join(dir, "problem_description.txt"), `// ${p.fn}\n${p.fn}:{[x]\n    }\n`);
      p.tests.forEach(([q, a], i) => {
        writeFileSync(join(dir, `q_test_case_${i + 1}.q`), `${q}\n`);
        writeFileSync(join(dir, `test_case_${i + 1}_correct_ans.txt`), `${a}\n`);
      });
    }
  });

  after(async () => {
    for (const k of ["provider", "baseUrl", "model", "retries"])
      await llm().update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("evaluates through the configured provider and shows pass@1 and the failure", async () => {
    const dataset = join(root, "dataset");
    const result = (await vscode.commands.executeCommand("qds.evaluateModel", dataset, {
      n: 1,
      k: [1],
    })) as EvalDatasetResult;
    assert.equal(result.passAtK["1"]?.value, 0.5);
    assert.equal(result.problems, 2);
    assert.equal(stub.requests.length, 2);
    const shown = (await vscode.commands.executeCommand("qds.openEvalResults", result.outDir)) as {
      summary: EvalSummary;
      items: string[];
    };
    assert.match(shown.items[0]!, /^pass@1 50\.0% \[/);
    assert.deepEqual(shown.items.slice(1), [
      "rev_2 — 0/1 passed",
      '  sample 0: wrong answer — expected "cba", got "abc"',
    ]);

    const record = JSON.parse(
      readFileSync(join(result.outDir, "samples.jsonl"), "utf8")
        .trim()
        .split("\n")
        .find((l) => l.includes('"rev_2"'))!,
    ) as SampleRecord;
    await vscode.commands.executeCommand("qds.openEvalSample", { kind: "sample", record });
    const visible = vscode.window.visibleTextEditors.map((e) => e.document);
    const code = visible.find((d) => d.languageId === "q" && d.isUntitled);
    assert.ok(code?.getText().includes("rev:{[x] x}"), visible.map((d) => d.uri.toString()).join(", "));
    assert.ok(visible.some((d) => d.uri.fsPath === join(dataset, "rev_2", "q_test_case_1.q")));
  });
});
