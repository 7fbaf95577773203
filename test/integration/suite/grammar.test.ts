/**
 * The q language and its TextMate grammar reach the host. The web workbench
 * offers extensions no way to read tokens, so this checks what the host
 * loads: the language id and the grammar file the contribution points to.
 * Token-level checks live in the grammar test layer (test/grammar).
 */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import { extension } from "./util";

describe("grammar", () => {
  it("registers the q language", async () => {
    assert.ok((await vscode.languages.getLanguages()).includes("q"), "q is not among the host's languages");
  });

  it("contributes a source.q grammar file the host can read", async () => {
    const ext = extension();
    const grammars = ext.packageJSON.contributes.grammars as { language: string; scopeName: string; path: string }[];
    const q = grammars.find((g) => g.language === "q");
    assert.ok(q, "no grammar contributed for language q");
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, q.path));
    const grammar = JSON.parse(new TextDecoder().decode(bytes)) as { scopeName: string; patterns: unknown[] };
    assert.equal(grammar.scopeName, q.scopeName);
    assert.equal(grammar.scopeName, "source.q");
    assert.ok(grammar.patterns.length > 0, "the grammar has no patterns");
  });
});
