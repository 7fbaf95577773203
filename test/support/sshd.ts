/**
 * A real OpenSSH server on loopback for the remote-transport tests: Debian's
 * /usr/sbin/sshd started as a child of the test with its own config, a free
 * port, host and client keys made here, and a client config file that the
 * transport passes to ssh with -F (the user's ~/.ssh/config is untouched).
 *
 * `withoutPython` simulates a host without python3: a ForceCommand wrapper
 * runs every command with `env -i` and a PATH holding only a folder of links
 * to every system tool except python* (and no ~/.bashrc, which here would
 * add pyenv).
 *
 * Fails with a message naming the missing package when openssh-server is not
 * installed (scripts/remote-env.sh installs it); never skips.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";

export interface Sshd {
  /** Host alias defined in configFile. */
  host: string;
  /** A second alias pointing at a port nothing listens on. */
  unreachableHost: string;
  configFile: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: "127.0.0.1" }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port} within ${timeoutMs} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A folder of links to every tool in the system bin folders except python*. */
export function pathWithoutPython(dir: string): string {
  const bin = join(dir, "nopython-bin");
  mkdirSync(bin, { recursive: true });
  for (const src of ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (!existsSync(src)) continue;
    for (const name of readdirSync(src)) {
      if (/^python/.test(name) || existsSync(join(bin, name))) continue;
      symlinkSync(join(src, name), join(bin, name));
    }
  }
  return bin;
}

export async function startSshd(opts: { alias?: string; withoutPython?: boolean } = {}): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} not found: install Debian's openssh-server (bash scripts/remote-env.sh does)`);
  }
  const alias = opts.alias ?? "qds-test-host";
  const dir = mkdtempSync(join(tmpdir(), "qds-sshd-"));
  chmodSync(dir, 0o700);
  mkdirSync("/run/sshd", { recursive: true }); // privilege separation dir; containers may lack it
  const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, file)]);
  keygen("host_ed25519");
  keygen("id_ed25519");
  execFileSync("cp", [join(dir, "id_ed25519.pub"), join(dir, "authorized_keys")]);
  const port = await freePort();
  const closedPort = await freePort();
  const lines = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${join(dir, "host_ed25519")}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    `PidFile ${join(dir, "sshd.pid")}`,
    "UsePAM no",
    // Every folder under /tmp is group/other-writable somewhere up the chain.
    "StrictModes no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "MaxSessions 50",
    "MaxStartups 50",
    "LogLevel ERROR",
    // The most permissive server: whatever a client's SendEnv forwards arrives, so a test
    // can see which variables the transport let reach ssh at all.
    "AcceptEnv *",
  ];
  if (opts.withoutPython) {
    const wrapper = join(dir, "login.sh");
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec env -i HOME="$HOME" USER="$USER" LOGNAME="$LOGNAME" PATH=${pathWithoutPython(dir)} /bin/bash -c "$SSH_ORIGINAL_COMMAND"\n`,
      { mode: 0o755 },
    );
    lines.push(`ForceCommand ${wrapper}`);
  }
  writeFileSync(join(dir, "sshd_config"), `${lines.join("\n")}\n`);
  const configFile = join(dir, "ssh_config");
  const hostBlock = (name: string, p: number) =>
    [
      `Host ${name}`,
      "  HostName 127.0.0.1",
      `  Port ${p}`,
      "  User root",
      `  IdentityFile ${join(dir, "id_ed25519")}`,
      "  IdentitiesOnly yes",
      "  StrictHostKeyChecking accept-new",
      `  UserKnownHostsFile ${join(dir, "known_hosts")}`,
      "  LogLevel ERROR",
    ].join("\n");
  const unreachableHost = `${alias}-unreachable`;
  writeFileSync(configFile, `${hostBlock(alias, port)}\n${hostBlock(unreachableHost, closedPort)}\n`);

  let stderr = "";
  const child = spawn(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await waitForPort(port, child, () => stderr);
  return {
    host: alias,
    unreachableHost,
    configFile,
    port,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
