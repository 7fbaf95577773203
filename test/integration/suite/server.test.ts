/** The language server starts, announces itself with qds/serverReady and answers qds/engineInfo. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { EngineInfoResult } from "../../../server/src/protocol";
import { extension, within } from "./util";

describe("language server", () => {
  it("sends qds/serverReady, then answers qds/engineInfo with the same engine", async () => {
    const api = await within(extension().activate(), "activation");
    const ready = await within(api.whenReady(), "the qds/serverReady notification");
    const info = await within(
      vscode.commands.executeCommand<EngineInfoResult>("qds.showEngineInfo"),
      "qds.showEngineInfo (qds/engineInfo request)",
    );
    assert.ok(info.engine.length > 0 && info.version.length > 0, `empty engine info: ${JSON.stringify(info)}`);
    assert.equal(ready.engine, `${info.engine} ${info.version}`);
  });
});
