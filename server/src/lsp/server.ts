/**
 * Language server entry point (run by the client over IPC, bundled to
 * dist/server.js). It only wires LSP messages to the headless modules under
 * server/src; no q or dataset logic lives here.
 */
import {
  createConnection,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as protocol from "../protocol";
import { ENGINE_NAME, ENGINE_VERSION } from "../q/version";

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
    },
    serverInfo: { name: "q-dataset-studio", version: ENGINE_VERSION },
  }),
);

connection.onRequest(protocol.engineInfo, () => ({ engine: ENGINE_NAME, version: ENGINE_VERSION }));

connection.onInitialized(() => {
  void connection.sendNotification(protocol.serverReady, { engine: `${ENGINE_NAME} ${ENGINE_VERSION}` });
});

documents.listen(connection);
connection.listen();
