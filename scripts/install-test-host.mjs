// Installs the real VS Code host the integration tests run in: code-server
// (VS Code's server plus its web workbench, from npm) and Debian's headless
// Chromium to drive the workbench, because the usual VS Code download for
// tests needs servers that only the npm registry and Debian mirrors replace
// here. Idempotent: a stamp file written last marks a complete install, so
// an interrupted run starts over and a finished one costs nothing.
//
// Works on a fresh machine from this script alone:
// - apt: chromium, ripgrep (its rg is seeded into @vscode/ripgrep's download
//   cache, which otherwise fetches from GitHub) and libkrb5-dev (headers for
//   code-server's kerberos native module).
// - npm 11 has an install-script policy (allowScripts) that can skip
//   dependency install scripts, or fail the install under
//   strict-allow-scripts. code-server's postinstall runs further
//   `npm install`s of its own (lib/vscode) whose native modules need their
//   scripts too, so the approval goes through the environment, which those
//   nested npm processes inherit. After the install, the built native
//   modules are checked, so skipped scripts cannot pass unnoticed.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOST_DIR = join(ROOT, ".vscode-test", "code-server");
const STAMP = join(HOST_DIR, "installed.json");
const CODE_SERVER_VERSION = "4.100.3";
// The @vscode/ripgrep version code-server 4.100.3 pins, and the asset its
// postinstall looks for in `<tmpdir>/vscode-ripgrep-cache-<version>/`.
const RIPGREP_PACKAGE_VERSION = "1.15.11";
const RIPGREP_ASSET = "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz";

/** Debian package → a file it installs or a command it provides (present means installed). */
const APT_PACKAGES = [
  ["chromium", "/usr/bin/chromium"],
  ["ripgrep", "/usr/bin/rg"],
  ["libkrb5-dev", "/usr/include/gssapi/gssapi.h"],
  // node-gyp builds code-server's native modules with these.
  ["g++", "g++"],
  ["make", "make"],
  ["python3", "python3"],
];

function isPresent(fileOrCommand) {
  if (fileOrCommand.includes("/")) return existsSync(fileOrCommand);
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, fileOrCommand)));
}

const VSCODE = join(HOST_DIR, "node_modules", "code-server", "lib", "vscode");
/** Files that exist only when code-server's install scripts and native builds really ran. */
const REQUIRED_FILES = [
  join(HOST_DIR, "node_modules", "code-server", "out", "node", "entry.js"),
  join(VSCODE, "node_modules", "@vscode", "ripgrep", "bin", "rg"),
  join(VSCODE, "node_modules", "node-pty", "build", "Release", "pty.node"),
  join(VSCODE, "node_modules", "@vscode", "spdlog", "build", "Release", "spdlog.node"),
  join(VSCODE, "node_modules", "kerberos", "build", "Release", "kerberos.node"),
  join(VSCODE, "node_modules", "native-watchdog", "build", "Release", "watchdog.node"),
];

function log(message) {
  console.log(`install-test-host: ${message}`);
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
}

function installAptPackages() {
  const missing = APT_PACKAGES.filter(([, probe]) => !isPresent(probe)).map(([name]) => name);
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(" ")}`);
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const [cmd, ...pre] = [...sudo, "apt-get"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run(cmd, [...pre, "update", "-qq"], { env });
  run(cmd, [...pre, "install", "-y", "-qq", "--no-install-recommends", ...missing], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** A temp dir holding @vscode/ripgrep's cache with Debian's rg packed as the asset it would download. */
function seedRipgrepCache() {
  const dir = mkdtempSync(join(tmpdir(), "qds-rg-"));
  const cache = join(dir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const staging = join(dir, "staging");
  mkdirSync(cache);
  mkdirSync(staging);
  copyFileSync("/usr/bin/rg", join(staging, "rg"));
  run("tar", ["-czf", join(cache, RIPGREP_ASSET), "-C", staging, "rg"]);
  return dir;
}

async function isInstalled() {
  if (!existsSync(STAMP) || !APT_PACKAGES.every(([, probe]) => isPresent(probe))) return false;
  const stamp = JSON.parse(await readFile(STAMP, "utf8"));
  return stamp.version === CODE_SERVER_VERSION && REQUIRED_FILES.every((f) => existsSync(f));
}

async function main() {
  if (await isInstalled()) return;
  const started = Date.now();
  installAptPackages();

  rmSync(HOST_DIR, { recursive: true, force: true });
  mkdirSync(HOST_DIR, { recursive: true });
  const cacheDir = seedRipgrepCache();
  const env = {
    ...process.env,
    TMPDIR: cacheDir,
    // The install script refuses to run as root without this.
    npm_config_unsafe_perm: "true",
    // node-pty's install runs `npx node-gyp`, which aborts without it.
    npm_config_yes: "true",
    // npm 11 skips dependency install scripts by default; see the header.
    npm_config_dangerously_allow_all_scripts: "true",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_update_notifier: "false",
  };
  // Build native modules against the local Node headers: nodejs.org (where
  // node-gyp would fetch them) is not reachable.
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) env.npm_config_nodedir = "/usr";
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${HOST_DIR} (about a minute)`);
  try {
    writeFileSync(join(HOST_DIR, "package.json"), `${JSON.stringify({ private: true }, null, 2)}\n`);
    run("npm", ["install", "--no-save", "--loglevel=error", `code-server@${CODE_SERVER_VERSION}`], {
      cwd: HOST_DIR,
      env,
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }

  const missing = REQUIRED_FILES.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `code-server install is incomplete (install scripts did not run?); missing:\n  ${missing.join("\n  ")}`,
    );
  }
  const tmp = `${STAMP}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: CODE_SERVER_VERSION }, null, 2)}\n`);
  renameSync(tmp, STAMP);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
