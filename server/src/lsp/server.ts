/**
 * Language server entry point (run by the client over IPC, or `--stdio`;
 * bundled to dist/server.js). It only wires LSP messages to the feature
 * modules next to it; no q or dataset logic lives here.
 *
 * Adding a feature area: give it a `register…(connection, documents)` module in
 * this folder and one line in the "feature areas" block below.
 */
import {
  createConnection,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describeStart, onProcessStart } from "../proc/process";
import * as protocol from "../protocol";
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";
import { registerDataset } from "./dataset";
import { registerEval } from "./eval";
import { LANGUAGE_CAPABILITIES, Language } from "./language";
import { registerLlm } from "./llm";
import { readTrust } from "./settings";

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const language = new Language(connection, documents);

connection.onInitialize((params): InitializeResult => {
  language.initialize(params);
  readTrust(params);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      ...LANGUAGE_CAPABILITIES,
    },
    serverInfo: { name: "q-dataset-studio", version: ENGINE_VERSION },
  };
});

connection.onRequest(protocol.engineInfo, () => ({ engine: ENGINE_NAME, version: ENGINE_VERSION }));

// Every program the server starts (an external q, Python tests, …) goes into the editor's log, credentials masked.
onProcessStart((s) => connection.console.info(describeStart(s)));

// ---- feature areas (one line each) ----
language.register();
registerDataset(connection);
registerLlm(connection);
registerEval(connection);

connection.onInitialized(async () => {
  await language.start();
  void connection.sendNotification(protocol.serverReady, { engine: `${ENGINE_NAME} ${ENGINE_VERSION}` });
});
connection.onShutdown(() => language.dispose());

documents.listen(connection);
connection.listen();
