/**
 * The transport of a run, from its config: ssh to a GPU box, or Slurm through
 * a login host (both in remote/). The only place the orchestrator names a
 * concrete backend.
 */
import type { RunConfig } from "./config";
import { SlurmTransport } from "./remote/slurm";
import { SshTransport } from "./remote/ssh";
import type { SlurmJobOptions, Transport } from "./remote/types";

export type TransportTarget = Pick<RunConfig, "host" | "backend"> &
  Partial<Pick<RunConfig, "sshConfigFile" | "remoteRoot" | "slurmConf">> & { slurm?: RunConfig["slurm"] };

export function openTransport(t: TransportTarget): Transport {
  const opts = {
    ...(t.sshConfigFile === undefined ? {} : { sshConfigFile: t.sshConfigFile }),
    ...(t.remoteRoot === undefined ? {} : { root: t.remoteRoot }),
  };
  if (t.backend === "ssh") return new SshTransport(t.host, opts);
  return new SlurmTransport(t.host, {
    ...opts,
    ...(t.slurm === undefined ? {} : { slurm: t.slurm as SlurmJobOptions }),
    ...(t.slurmConf === undefined ? {} : { slurmConf: t.slurmConf }),
  });
}
