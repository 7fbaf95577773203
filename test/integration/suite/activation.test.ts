/** Opening a .q file makes it a `q` document and activates the extension (activationEvents onLanguage:q). */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import { extension, fixture, until } from "./util";

describe("activation", () => {
  it("opening a .q file gives languageId q and activates the extension", async () => {
    // The fixture workspace holds nothing else that could activate it (no entry.json).
    assert.equal(extension().isActive, false, "the extension was active before any .q file was opened");
    const doc = await vscode.workspace.openTextDocument(fixture("hello.q"));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, "q");
    await until(() => extension().isActive, "the extension to activate after opening hello.q");
  });
});
