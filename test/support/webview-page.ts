/**
 * Loads a webview page (webview/src/<name>/main.ts) in real headless Chromium
 * the way a VS Code panel serves it: the same HTML and Content Security
 * Policy (client/src/webviews/page.ts), the bundle from its own origin, the
 * editor's --vscode-* theme variables and body class. Only the extension
 * host is stood in for: `acquireVsCodeApi` records what the page posts and
 * keeps its state, and the test posts the host's messages with
 * window.postMessage, as VS Code does. Any CSP violation is recorded, so a
 * test can assert there were none.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { pageHtml } from "../../client/src/webviews/page";
import type { SteeringView } from "../../server/src/protocol";

const ROOT = resolve(__dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";
const ORIGIN = "https://qds-webview.test";

/** A few of the variables VS Code sets on a webview's <html>, per theme kind (values of the default themes). */
const THEMES = {
  dark: {
    bodyClass: "vscode-dark",
    vars: {
      "editor-background": "#1e1e1e",
      "editor-foreground": "#d4d4d4",
      foreground: "#cccccc",
      descriptionForeground: "#ccccccb3",
      disabledForeground: "#cccccc80",
      "panel-border": "#80808059",
      "list-hoverBackground": "#2a2d2e",
      "list-activeSelectionBackground": "#04395e",
      "list-activeSelectionForeground": "#ffffff",
      focusBorder: "#007fd4",
      "input-background": "#3c3c3c",
      "editorHoverWidget-background": "#252526",
      "editorHoverWidget-border": "#454545",
      "textLink-foreground": "#3794ff",
      errorForeground: "#f48771",
      "charts-blue": "#3794ff",
      "charts-green": "#89d185",
      "charts-orange": "#d18616",
      "charts-red": "#f14c4c",
      "charts-yellow": "#cca700",
      "charts-purple": "#b180d7",
      "charts-foreground": "#cccccc",
      "charts-lines": "#cccccc80",
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      "button-background": "#0e639c",
      "button-foreground": "#ffffff",
      "sideBar-background": "#252526",
      "badge-background": "#4d4d4d",
      "badge-foreground": "#ffffff",
      "button-secondaryBackground": "#3a3d41",
      "button-secondaryForeground": "#ffffff",
      "panelTitle-activeForeground": "#e7e7e7",
      "panelTitle-inactiveForeground": "#e7e7e799",
      "panelTitle-activeBorder": "#e7e7e7",
      "dropdown-background": "#3c3c3c",
      "dropdown-foreground": "#f0f0f0",
      "dropdown-border": "#3c3c3c",
      "input-foreground": "#cccccc",
    },
  },
  light: {
    bodyClass: "vscode-light",
    vars: {
      "editor-background": "#ffffff",
      "editor-foreground": "#000000",
      foreground: "#616161",
      descriptionForeground: "#717171",
      disabledForeground: "#61616180",
      "panel-border": "#80808059",
      "list-hoverBackground": "#e8e8e8",
      "list-activeSelectionBackground": "#0060c0",
      "list-activeSelectionForeground": "#ffffff",
      focusBorder: "#0090f1",
      "input-background": "#ffffff",
      "editorHoverWidget-background": "#f3f3f3",
      "editorHoverWidget-border": "#c8c8c8",
      "textLink-foreground": "#006ab1",
      errorForeground: "#a1260d",
      "charts-blue": "#1a85ff",
      "charts-green": "#388a34",
      "charts-orange": "#d18616",
      "charts-red": "#e51400",
      "charts-yellow": "#bf8803",
      "charts-purple": "#652d90",
      "charts-foreground": "#616161",
      "charts-lines": "#61616180",
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      "button-background": "#007acc",
      "button-foreground": "#ffffff",
      "sideBar-background": "#f3f3f3",
      "badge-background": "#c4c4c4",
      "badge-foreground": "#333333",
      "button-secondaryBackground": "#5f6a79",
      "button-secondaryForeground": "#ffffff",
      "panelTitle-activeForeground": "#424242",
      "panelTitle-inactiveForeground": "#424242bf",
      "panelTitle-activeBorder": "#424242",
      "dropdown-background": "#ffffff",
      "dropdown-foreground": "#616161",
      "dropdown-border": "#cecece",
      "input-foreground": "#616161",
      "input-border": "#cecece",
    },
  },
  highContrast: {
    bodyClass: "vscode-high-contrast",
    vars: {
      "editor-background": "#000000",
      "editor-foreground": "#ffffff",
      foreground: "#ffffff",
      descriptionForeground: "#ffffffb3",
      disabledForeground: "#a5a5a5",
      "panel-border": "#6fc3df",
      contrastBorder: "#6fc3df",
      contrastActiveBorder: "#f38518",
      "list-hoverBackground": "#000000",
      "list-activeSelectionBackground": "#000000",
      "list-activeSelectionForeground": "#ffffff",
      focusBorder: "#f38518",
      "input-background": "#000000",
      "input-foreground": "#ffffff",
      "input-border": "#6fc3df",
      "editorHoverWidget-background": "#0c141f",
      "editorHoverWidget-border": "#6fc3df",
      "textLink-foreground": "#21a6ff",
      errorForeground: "#f48771",
      "charts-blue": "#3794ff",
      "charts-green": "#89d185",
      "charts-orange": "#d18616",
      "charts-red": "#f14c4c",
      "charts-yellow": "#cca700",
      "charts-purple": "#b180d7",
      "charts-foreground": "#ffffff",
      "charts-lines": "#ffffff80",
      "font-family": "system-ui, sans-serif",
      "font-size": "13px",
      "editor-font-family": "monospace",
      "editor-font-size": "13px",
      "button-background": "#000000",
      "button-foreground": "#ffffff",
      "button-border": "#6fc3df",
      "button-secondaryBackground": "#000000",
      "button-secondaryForeground": "#ffffff",
      "panelTitle-activeForeground": "#ffffff",
      "panelTitle-inactiveForeground": "#ffffff",
      "panelTitle-activeBorder": "#6fc3df",
      "dropdown-background": "#000000",
      "dropdown-foreground": "#ffffff",
      "dropdown-border": "#6fc3df",
      "sideBar-background": "#000000",
      "badge-background": "#000000",
      "badge-foreground": "#ffffff",
    },
  },
} as const;
export type ThemeKind = keyof typeof THEMES;

const bundled = new Map<string, Promise<Map<string, Buffer>>>();

/** Bundles the page like scripts/build.mjs (browser, iife), once per test process; returns its files by name. */
export function bundlePage(name: string): Promise<Map<string, Buffer>> {
  let files = bundled.get(name);
  if (files === undefined) bundled.set(name, (files = bundleOnce(name)));
  return files;
}

async function bundleOnce(name: string): Promise<Map<string, Buffer>> {
  const out = mkdtempSync(join(tmpdir(), "qds-webview-"));
  try {
    await build({
      entryPoints: [join(ROOT, "webview", "src", name, "main.ts")],
      outfile: join(out, `${name}.js`),
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      minify: true,
      logLevel: "error",
    });
    return new Map([
      [`${name}.js`, readFileSync(join(out, `${name}.js`))],
      [`${name}.css`, readFileSync(join(out, `${name}.css`))],
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Debian's Chromium (scripts/install-deps.sh installs it); missing, the tests fail saying so rather than skip. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/install-deps.sh (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
}

export interface WebviewPage {
  page: Page;
  /** Messages the page posted to the host so far. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  /** Waits for the page to post a message of this type; returns it. */
  waitFor(type: string, timeoutMs?: number): Promise<{ type: string; [k: string]: unknown }>;
  /** Sends a host → page message (evaluated in the page, so `build` may construct typed arrays there). */
  send(message: unknown): Promise<void>;
  cspViolations(): Promise<string[]>;
  /** Uncaught errors and console errors of the page so far. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  name: string,
  files: Map<string, Buffer>,
  opts: { theme?: ThemeKind; width?: number; height?: number; state?: unknown } = {},
): Promise<WebviewPage> {
  const theme = THEMES[opts.theme ?? "dark"];
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 860 } });
  const nonce = "testnonce0123456789";
  const html = pageHtml({
    title: name,
    cspSource: ORIGIN,
    nonce,
    scriptUri: `${ORIGIN}/${name}.js`,
    styleUri: `${ORIGIN}/${name}.css`,
  });
  // Everything is served from memory; any other request fails, as offline.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === "/index.html") return route.fulfill({ body: html, contentType: "text/html" });
    const file = files.get(url.pathname.slice(1));
    if (file === undefined) return route.fulfill({ status: 404, body: "" });
    return route.fulfill({ body: file, contentType: url.pathname.endsWith(".css") ? "text/css" : "text/javascript" });
  });
  // A string, not a function: tsx's transform would leave helper calls in a function's source.
  await page.addInitScript(`(() => {
    const vars = ${JSON.stringify(theme.vars)};
    const posted = [];
    const violations = [];
    let saved = ${JSON.stringify(opts.state ?? null)} ?? undefined;
    window.__posted = posted;
    window.__csp = violations;
    document.addEventListener("securitypolicyviolation", (e) =>
      violations.push(e.violatedDirective + ": " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber + " " + e.sample));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => posted.push(m),
      getState: () => saved,
      setState: (s) => { saved = s; },
    });
    // VS Code sets the theme variables on <html> and the theme kind as a body class, before the page's scripts run.
    const observer = new MutationObserver(() => {
      if (!document.body) return;
      observer.disconnect();
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty("--vscode-" + k, v);
      document.body.classList.add(${JSON.stringify(theme.bodyClass)});
    });
    observer.observe(document, { childList: true, subtree: true });
  })();`);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`${ORIGIN}/index.html`);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
  return {
    page,
    posted,
    waitFor: async (type, timeoutMs = 15_000) => {
      const handle = await page.waitForFunction(
        (t) => (window as unknown as { __posted: { type: string }[] }).__posted.find((m) => m.type === t),
        type,
        { timeout: timeoutMs },
      );
      return (await handle.jsonValue()) as { type: string };
    },
    send: (message) => page.evaluate((m) => window.postMessage(m, "*"), message),
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    errors,
  };
}

/** A view as it crosses postMessage in these tests: typed arrays as plain arrays (the page converts them back). */
export function plainView(v: SteeringView): unknown {
  const s = v.sections;
  return { ...v, sections: { ...s, x: [...s.x], y: [...s.y], cluster: [...s.cluster], row: [...s.row] } };
}
