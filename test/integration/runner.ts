/**
 * Integration runner (bundled to dist/test/runner.js): runs the mocha suite
 * in dist/test/suite/index.js inside a real VS Code extension host without
 * downloading VS Code. code-server (installed by scripts/install-test-host.mjs)
 * provides VS Code's server and web workbench; headless Debian Chromium,
 * driven by playwright-core, opens the workbench with the extension under
 * development and the test module as URL payload, the way @vscode/test-web
 * does.
 *
 * Sequence: temp dirs → code-server in its own process group → wait for
 * "HTTP server listening" → Chromium with the automation hooks
 * (codeAutomationLog prints the suite's output, codeAutomationExit ends the
 * run) → read the result file the suite wrote → kill everything. The whole run
 * has a deadline; a timeout, a crash or a missing result is a failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { format } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { checkSuiteBuilt, copyWorkspace, finish, makeRunDir, RESULT_ENV, ROOT, SUITE } from "./harness";

const CODE_SERVER = join(ROOT, ".vscode-test", "code-server", "node_modules", "code-server", "out", "node", "entry.js");
const CHROMIUM = "/usr/bin/chromium";
/** Deadline for the whole run; QDS_INTEGRATION_TIMEOUT_S overrides it (seconds). */
const RUN_TIMEOUT_MS = Number(process.env["QDS_INTEGRATION_TIMEOUT_S"] ?? 240) * 1000;
const SERVER_START_TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Rejects after `ms` with a message naming what was being waited for. */
function deadline(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

interface CodeServer {
  process: ChildProcess;
  /** Everything it printed, for the failure report. */
  output: string[];
  exited: Promise<number | null>;
}

function startCodeServer(runDir: string, port: number, resultFile: string): CodeServer {
  const home = join(runDir, "home");
  const config = join(runDir, "config.yaml");
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env: NodeJS.ProcessEnv = {};
  // Variables of an enclosing VS Code terminal would point the host at that editor.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("VSCODE_")) env[k] = v;
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    [RESULT_ENV]: resultFile,
  });
  const args = [
    CODE_SERVER,
    "--config",
    config,
    "--auth",
    "none",
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--user-data-dir",
    join(runDir, "user-data"),
    "--extensions-dir",
    join(runDir, "extensions"),
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--ignore-last-opened",
  ];
  // detached: its own process group, so one kill reaches the extension host and language server too.
  const child = spawn(process.execPath, args, { cwd: runDir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, output, exited };
}

function waitForListening(server: CodeServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (server.output.join("").includes("HTTP server listening")) resolve();
    };
    server.process.stdout?.on("data", check);
    server.process.stderr?.on("data", check);
    void server.exited.then((code) => reject(new Error(`code-server exited with status ${code} before listening`)));
  });
}

async function stopCodeServer(server: CodeServer): Promise<void> {
  const pid = server.process.pid;
  if (pid === undefined || server.process.exitCode !== null || server.process.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  const grace = deadline(5_000, "code-server to stop");
  await Promise.race([server.exited, grace.promise]).catch(() => signal("SIGKILL"));
  grace.cancel();
  // Children that ignored SIGTERM (extension host, language server) share the group.
  signal("SIGKILL");
}

/** The workbench's configuration JSON, served in a meta tag's data-settings attribute (HTML-escaped). */
async function readWorkbenchConfig(base: string): Promise<{ remoteAuthority: string }> {
  const html = await (await fetch(base)).text();
  const match = /id="vscode-workbench-web-configuration"\s+data-settings="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error(`no workbench configuration in the page at ${base}`);
  const json = match[1].replace(/&(quot|amp|lt|gt|#39|apos);/g, (_, e: string) =>
    e === "quot" ? '"' : e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : "'",
  );
  return JSON.parse(json) as { remoteAuthority: string };
}

/**
 * The workbench ignores the test payload unless
 * developmentOptions.enableSmokeTestDriver is set, and code-server has no flag
 * for it. HACK: wrap getAttribute so the workbench reads its configuration
 * with the flag added (routing the page instead broke the WebSocket).
 */
function enableSmokeTestDriver(): void {
  const original = Element.prototype.getAttribute;
  Element.prototype.getAttribute = function (this: Element, name: string): string | null {
    const value = original.call(this, name);
    if (value !== null && name === "data-settings" && this.id === "vscode-workbench-web-configuration") {
      const config = JSON.parse(value);
      config.developmentOptions = { ...config.developmentOptions, enableSmokeTestDriver: true };
      return JSON.stringify(config);
    }
    return value;
  };
}

/**
 * QDS_SCREENSHOT=path: a PNG of the workbench, taken when a test logs
 * SCREENSHOT_REQUEST (the file appears atomically, so the test can wait for
 * it), or else at the end of the run, by which time the extension host has
 * shut down and its views are empty.
 */
const SCREENSHOT_REQUEST = "qds:screenshot";
let screenshotTaken = false;
async function screenshot(page: Page): Promise<void> {
  const shot = process.env["QDS_SCREENSHOT"];
  if (!shot) return;
  try {
    await page.screenshot({ path: `${shot}.tmp.png` });
    renameSync(`${shot}.tmp.png`, shot);
    screenshotTaken = true;
  } catch (e) {
    console.log(`screenshot failed: ${e}`);
  }
}

/** Opens the workbench in test mode; resolves with the exit code the suite reports through codeAutomationExit. */
async function runInWorkbench(page: Page, base: string, workspace: string): Promise<number> {
  const { remoteAuthority } = await readWorkbenchConfig(base);
  let reportExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    reportExit = resolve;
  });
  // Receives the workbench's console, extension host included; mocha's report
  // arrives as printf-style arguments at level "info", stack traces included.
  // Stack frames of the workbench's own errors are dropped, which keeps its
  // known noise (failed open-vsx.org lookups) to one line each.
  await page.exposeFunction("codeAutomationLog", async (type: string, args: unknown[]) => {
    // A test that wants the workbench pictured while its extension still runs logs SCREENSHOT_REQUEST.
    if (format(...args) === SCREENSHOT_REQUEST) {
      await screenshot(page);
      return;
    }
    const lines = format(...args).split("\n");
    console.log((type === "error" ? lines.filter((line) => !/^\s+at /.test(line)) : lines).join("\n"));
  });
  await page.exposeFunction("codeAutomationExit", (code: number) => reportExit(code));
  await page.addInitScript(enableSmokeTestDriver);
  const remote = (path: string) => `vscode-remote://${remoteAuthority}${path}`;
  const payload = [
    ["extensionDevelopmentPath", remote(ROOT)],
    ["extensionTestsPath", remote(SUITE)],
    ["skipWelcome", "true"],
    ["skipReleaseNotes", "true"],
  ];
  const url = `${base}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url);
  return exited;
}

async function main(): Promise<number> {
  checkSuiteBuilt();
  for (const file of [CODE_SERVER, CHROMIUM]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/install-test-host.mjs\``);
  }
  const runDir = makeRunDir();
  const resultFile = join(runDir, "result.json");
  const workspace = copyWorkspace(runDir);
  const port = await freePort();
  const server = startCodeServer(runDir, port, resultFile);
  let browser: Browser | undefined;
  let problem: string | undefined;
  const overall = deadline(RUN_TIMEOUT_MS, "the integration suite to finish");
  const stop = () => void cleanup().then(() => process.exit(1));
  process.once("SIGINT", stop).once("SIGTERM", stop);

  async function cleanup(): Promise<void> {
    overall.cancel();
    await browser?.close().catch(() => {});
    await stopCodeServer(server);
    rmSync(runDir, { recursive: true, force: true });
  }

  let page: Page | undefined;
  const session = async (): Promise<void> => {
    const starting = deadline(SERVER_START_TIMEOUT_MS, "code-server to listen");
    await Promise.race([waitForListening(server), starting.promise]).finally(() => starting.cancel());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const code = await runInWorkbench(page, `http://127.0.0.1:${port}/`, workspace);
    if (code !== 0) problem = `the extension host reported exit status ${code}`;
  };
  try {
    await Promise.race([session(), overall.promise]);
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
    console.log(`code-server output (last lines):\n${server.output.join("").split("\n").slice(-40).join("\n")}`);
  }
  if (page && !screenshotTaken) await screenshot(page);
  const status = finish(resultFile, problem);
  await cleanup();
  return status;
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
