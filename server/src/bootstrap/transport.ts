/**
 * The transport of a run, from its config: ssh to a GPU box, or Slurm through
 * a login host (both in remote/). The only place the orchestrator names a
 * concrete backend.
 */
import type { RunConfig } from "./config";
import { SshTransport } from "./remote/ssh";
import { RemoteError, type Transport } from "./remote/types";

export type TransportTarget = Pick<RunConfig, "host" | "backend"> &
  Partial<Pick<RunConfig, "sshConfigFile" | "remoteRoot">>;

export function openTransport(t: TransportTarget): Transport {
  const opts = {
    ...(t.sshConfigFile === undefined ? {} : { sshConfigFile: t.sshConfigFile }),
    ...(t.remoteRoot === undefined ? {} : { root: t.remoteRoot }),
  };
  if (t.backend === "ssh") return new SshTransport(t.host, opts);
  throw new RemoteError("slurm", t.host, "the Slurm backend is not available in this build");
}
