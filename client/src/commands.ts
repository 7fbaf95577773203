/**
 * Every command is a factory `(ctx) => handler`, listed once in `commands`;
 * names match package.json contributes.commands (a unit test checks both
 * directions). The logic lives in the server; handlers convert and forward.
 */
import * as vscode from "vscode";
import * as protocol from "../../server/src/protocol";
import type { Ctx } from "./ctx";

export type Cmd = (...args: unknown[]) => unknown;

function showEngineInfo(ctx: Ctx): Cmd {
  return async () => {
    const info = await ctx.languageClient.sendRequest(protocol.engineInfo);
    void vscode.window.showInformationMessage(`q engine: ${info.engine} ${info.version}`);
    return info;
  };
}

function restartServer(ctx: Ctx): Cmd {
  return async () => {
    await ctx.stop();
    await ctx.start();
    return ctx.whenReady();
  };
}

export const commands: Record<string, (ctx: Ctx) => Cmd> = {
  "qds.showEngineInfo": showEngineInfo,
  "qds.restartServer": restartServer,
};

export function registerCommands(ctx: Ctx): void {
  for (const [name, factory] of Object.entries(commands)) {
    ctx.pushExtCleanup(vscode.commands.registerCommand(name, factory(ctx)));
  }
}
