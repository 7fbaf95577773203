/**
 * Every custom request and notification exchanged between the extension
 * client, the language server and the webview, in one place (the analogue of
 * rust-analyzer's lsp_ext.ts). Method names are namespaced `qds/…`.
 *
 * This module must stay free of `vscode` and of any runtime dependency other
 * than the protocol type constructors, so the webview bundle can import the
 * message types too.
 */
import { NotificationType, RequestType, RequestType0 } from "vscode-languageserver-protocol";

/** Sent once by the server after `initialized`, when every handler is registered. */
export interface ServerReadyParams {
  /** Engine name and version, e.g. "qds-embedded 0.1.0". */
  engine: string;
}
export const serverReady = new NotificationType<ServerReadyParams>("qds/serverReady");

/** Evaluate q source text in a fresh sandboxed engine session and return the console display. */
export interface EvaluateParams {
  text: string;
}
export interface EvaluateResult {
  /** What the q console would show: result display plus anything written to stdout. */
  output: string;
  /** q error name (without the leading quote) when evaluation signalled. */
  error?: string;
}
export const evaluate = new RequestType<EvaluateParams, EvaluateResult, void>("qds/evaluate");

/** Engine identification, used by the status bar and `qds.showEngineInfo`. */
export interface EngineInfoResult {
  engine: string;
  version: string;
}
export const engineInfo = new RequestType0<EngineInfoResult, void>("qds/engineInfo");
