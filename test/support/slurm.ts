/**
 * A private one-node Slurm cluster on loopback for the Slurm-transport tests:
 * its own munged (key, socket, pid, log and seed files in a temp folder),
 * slurmctld and slurmd (Debian slurm-wlm 22.05) on free ports, state and
 * spool folders in the same temp folder. The system services and
 * /etc/slurm are never touched: client commands find the cluster through
 * SLURM_CONF (the transport's `slurmConf` option sets it on the login host).
 *
 * munged demands that every folder above its socket be searchable by others,
 * so the temp folder is 0755. Fails with a message naming the missing
 * package when slurm-wlm or munge is not installed; never skips.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./sshd";

export interface Slurm {
  dir: string;
  /** slurm.conf path: SLURM_CONF for the client commands. */
  conf: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function which(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function startSlurm(): Promise<Slurm> {
  for (const [cmd, pkg] of [
    ["munged", "munge"],
    ["slurmctld", "slurm-wlm"],
    ["slurmd", "slurm-wlm"],
  ] as const) {
    if (!which(cmd)) throw new Error(`${cmd} not found: install Debian's ${pkg} (bash scripts/remote-env.sh does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), "qds-slurm-"));
  chmodSync(dir, 0o755);
  for (const sub of ["state", "spool", "log"]) mkdirSync(join(dir, sub));
  const key = join(dir, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const sock = join(dir, "munge.sock");
  const children: ChildProcess[] = [];
  const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
    const child = spawn(cmd, args, { stdio: "ignore", env });
    children.push(child);
    return child;
  };
  start("munged", [
    "-F",
    "-f",
    `--socket=${sock}`,
    `--key-file=${key}`,
    `--pid-file=${join(dir, "munged.pid")}`,
    `--log-file=${join(dir, "log", "munged.log")}`,
    `--seed-file=${join(dir, "munged.seed")}`,
  ]);
  for (let i = 0; !existsSync(sock); i++) {
    if (i > 100) throw new Error(`munged did not start: ${readLog(join(dir, "log", "munged.log"))}`);
    await sleep(50);
  }
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, "slurm.conf");
  writeFileSync(
    conf,
    [
      "ClusterName=qdstest",
      "SlurmctldHost=localhost",
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${sock}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      `StateSaveLocation=${join(dir, "state")}`,
      `SlurmdSpoolDir=${join(dir, "spool")}`,
      `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "MpiDefault=none",
      "ReturnToService=2",
      "JobCompType=jobcomp/filetxt",
      `JobCompLoc=${join(dir, "jobcomp.txt")}`,
      "MinJobAge=600",
      "NodeName=localhost CPUs=2 State=UNKNOWN",
      "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
      "",
    ].join("\n"),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  start("slurmctld", ["-D", "-f", conf], env);
  start("slurmd", ["-D", "-N", "localhost", "-f", conf], env);
  const deadline = Date.now() + 30_000;
  for (;;) {
    let state = "";
    try {
      state = execFileSync("sinfo", ["-h", "-N", "-o", "%T"], { env, encoding: "utf8", stdio: "pipe" }).trim();
    } catch {
      // slurmctld not answering yet
    }
    if (state === "idle") break;
    if (Date.now() > deadline) {
      throw new Error(
        `Slurm did not come up (node state ${JSON.stringify(state)}): ${readLog(join(dir, "log", "slurmctld.log"))} ${readLog(join(dir, "log", "slurmd.log"))}`,
      );
    }
    await sleep(200);
  }
  return {
    dir,
    conf,
    async stop() {
      for (const child of children.reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(5000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-5).join(" | ") : "(no log)";
}
