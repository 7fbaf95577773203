/**
 * Webview entry (bundled to dist/webview.js, runs in the webview's browser
 * context). The steering/cluster view grows here; for now it reports that it
 * loaded so the host can tell the bundle works.
 */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscodeApi = acquireVsCodeApi();
vscodeApi.postMessage({ type: "qds/webviewLoaded" });
