/**
 * What every webview panel shares: the options (scripts on, resources only
 * from dist/webview, nothing kept alive while hidden: pages restore from
 * their saved state) and the page HTML with a fresh nonce per panel.
 */
import * as vscode from "vscode";
import { makeNonce, pageHtml } from "./page";

function bundleRoot(extension: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(extension.extensionUri, "dist", "webview");
}

function panelOptions(extension: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [bundleRoot(extension)], enableFindWidget: true };
}

/** Sets the panel's options and HTML for the page bundle `name` (steering, overview). */
export function loadPage(
  panel: vscode.WebviewPanel,
  extension: vscode.ExtensionContext,
  name: string,
  title: string,
): void {
  const webview = panel.webview;
  webview.options = panelOptions(extension);
  const root = bundleRoot(extension);
  webview.html = pageHtml({
    title,
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${name}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${name}.css`)).toString(),
  });
}
