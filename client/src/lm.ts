/**
 * The client half of the `vscode-lm` provider: the language server asks for a
 * completion (`qds/lmComplete`) and this answers it through VS Code's Language
 * Model API. The API has no system role, so the system prompt goes first as a
 * user message.
 */
import * as vscode from "vscode";
import { ErrorCodes, type LanguageClient, ResponseError } from "vscode-languageclient/node";
import * as protocol from "../../server/src/protocol";

/** Clients that already answer lmComplete: a restart brings a new client, which needs the handler again. */
const served = new WeakSet<LanguageClient>();

export function serveLanguageModel(client: LanguageClient): void {
  if (served.has(client)) return;
  served.add(client);
  // A ResponseError travels as it is; any other error would reach the server wrapped in "Request … failed".
  client.onRequest(protocol.lmComplete, (p, token) =>
    complete(p, token).catch((e: unknown) => {
      throw new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
    }),
  );
}

async function pickModel(wanted: string): Promise<vscode.LanguageModelChat> {
  const byId = await vscode.lm.selectChatModels({ id: wanted });
  const byFamily = byId.length > 0 ? byId : await vscode.lm.selectChatModels({ family: wanted });
  const any = byFamily.length > 0 ? byFamily : await vscode.lm.selectChatModels();
  const model = any[0];
  if (model === undefined)
    throw new Error(
      "no VS Code language model is available (qds.llm.provider is vscode-lm): install and sign in to an extension that provides chat models, or choose another provider",
    );
  return model;
}

async function complete(
  p: protocol.LmCompleteParams,
  token: vscode.CancellationToken,
): Promise<protocol.LmCompleteResult> {
  const model = await pickModel(p.model);
  const messages = [
    ...(p.system === undefined ? [] : [vscode.LanguageModelChatMessage.User(p.system)]),
    ...p.messages.map((m) =>
      m.role === "user"
        ? vscode.LanguageModelChatMessage.User(m.content)
        : vscode.LanguageModelChatMessage.Assistant(m.content),
    ),
  ];
  const response = await model.sendRequest(messages, { justification: "Convert Python solutions to q" }, token);
  let text = "";
  for await (const part of response.text) text += part;
  return { text, model: model.id };
}
