/**
 * The HTML shell of every webview page, with its Content Security Policy.
 * Kept free of the `vscode` module so the Chromium tests load exactly the
 * page the panels serve.
 *
 * The policy: nothing by default; scripts only with this page's nonce (no
 * 'unsafe-eval', no 'unsafe-inline'); styles, fonts and images only from the
 * bundle folder the panel allows (`cspSource`); no connections at all, so
 * the page works offline and cannot leak data. Components style themselves
 * through constructable stylesheets and code sets positions through the
 * CSSOM, neither of which needs 'unsafe-inline'.
 *
 * One narrow allowance, not a relaxation to 'unsafe-inline': style elements
 * carrying this page's nonce. FAST (under @vscode/webview-ui-toolkit) probes
 * :focus-visible support by inserting an empty <style>, and gives it the
 * nonce it finds in <meta property="csp-nonce">; without the nonce the probe
 * is a CSP violation and the controls fall back to :focus rings. Markup
 * injected into the page cannot know the nonce, so it still cannot style.
 */
import { randomBytes } from "node:crypto";

interface PageParts {
  title: string;
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString("base64url");
}

function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
  ].join("; ");
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function pageHtml(p: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta property="csp-nonce" content="${escapeHtml(p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(p.styleUri)}">
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>
</body>
</html>
`;
}
