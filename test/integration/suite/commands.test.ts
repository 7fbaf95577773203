/** Contributed commands are registered at run time and qds.restartServer brings up a new, working server. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { EngineInfoResult, ServerReadyParams } from "../../../server/src/protocol";
import { extension, within } from "./util";

describe("commands", () => {
  it("registers every command package.json contributes", async () => {
    const ext = extension();
    await within(ext.activate(), "activation");
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length > 0, "package.json contributes no commands");
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
      "contributed commands missing at run time",
    );
  });

  it("qds.restartServer starts a new server that becomes ready and answers requests", async () => {
    const api = await within(extension().activate(), "activation");
    const before = api.whenReady();
    await within(before, "the first server to be ready");
    const ready = await within(
      vscode.commands.executeCommand<ServerReadyParams>("qds.restartServer"),
      "qds.restartServer to finish",
    );
    // A new start has a new readiness promise; the old one would mean nothing restarted.
    assert.notEqual(api.whenReady(), before, "the server did not restart");
    assert.equal(await within(api.whenReady(), "readiness after restart"), ready);
    const info = await within(
      vscode.commands.executeCommand<EngineInfoResult>("qds.showEngineInfo"),
      "qds/engineInfo after restart",
    );
    assert.equal(ready.engine, `${info.engine} ${info.version}`);
  });
});
