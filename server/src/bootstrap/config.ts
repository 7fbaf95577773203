/**
 * A bootstrap run's configuration: `config.json` in the run folder, written
 * once by `qds bootstrap start` (or the editor's Start command) and read by
 * every later controller. The knobs and their defaults are the seed's
 * (`bootstrap_loop.py`: base model, 30 iterations, 1000 steps, 2e-5), plus
 * the host, the backend and what the loop needs to be reproducible (split
 * ratio and seed).
 *
 * A bad file is one error naming the file and the field; numbers are checked
 * here so a run never starts with a value the remote trainer would refuse an
 * hour later.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
// A namespace import lets the bundler keep only the parts of zod in use (~0.6 MB less to compile at every start).
import * as z from "zod";
import { lineOfOffset } from "../dataset/fsx";

export const CONFIG_FILE = "config.json";

const slurmOptions = z.strictObject({
  partition: z.string().min(1).optional(),
  gres: z.string().min(1).optional(),
  time: z.string().min(1).optional(),
  cpusPerTask: z.number().int().positive().optional(),
  signalBeforeEndS: z.number().int().positive().optional(),
});

export const runConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Dataset folder (absolute once written): problems with q tests; those with a valid sol.q start the solved set. */
  dataset: z.string().min(1),
  /** Host alias from ~/.ssh/config (ssh) or the Slurm login host. */
  host: z.string().min(1),
  backend: z.enum(["ssh", "slurm"]).default("ssh"),
  sshConfigFile: z.string().min(1).optional(),
  /** Remote root (default ~/.qds-remote on the host). */
  remoteRoot: z.string().min(1).optional(),
  slurm: slurmOptions.optional(),
  /** SLURM_CONF on the login host, where its Slurm commands need one. */
  slurmConf: z.string().min(1).optional(),
  baseModel: z.string().min(1),
  maxIterations: z.number().int().min(1).max(1000).default(30),
  trainSteps: z.number().int().min(1).default(1000),
  learningRate: z.number().positive().max(1).default(2e-5),
  /** Stop once this many problems are solved (training split, seed problems included). */
  targetProblems: z.number().int().min(1).default(100),
  method: z.enum(["lora", "full"]).default("lora"),
  /** Samples per unsolved problem in the solve phase. */
  samples: z.number().int().min(1).max(100).default(4),
  /** Samples per held-out problem in the evaluate phase; pass@k for each k in `k` (k ≤ evalSamples). */
  evalSamples: z.number().int().min(1).max(100).default(4),
  k: z.array(z.number().int().min(1)).min(1).default([1]),
  temperature: z.number().min(0).max(5).default(0.8),
  maxNewTokens: z.number().int().min(1).default(512),
  saveSteps: z.number().int().min(1).default(100),
  /** Fraction of problems held out for evaluation, fixed for the whole run. */
  evalRatio: z.number().gt(0).lt(1).default(0.2),
  seed: z.number().int().default(42),
  /** Run remote jobs on CPU when the host has no GPU (tests, tiny models). */
  allowCpu: z.boolean().default(false),
  /** The seed's debug mode: one problem, one iteration. */
  debug: z.boolean().default(false),
  /** Seconds between polls of a running remote job. */
  pollS: z.number().positive().default(2),
});

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** Validates and normalises (dataset made absolute, k within evalSamples, debug applied). */
export function checkConfig(
  input: unknown,
  where: string,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
): RunConfig {
  const r = runConfigSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    const line = lineOf?.(issue.path);
    throw new Error(`${where}${line === undefined ? "" : `:${line}`}: ${field}: ${issue.message}`);
  }
  const c = { ...r.data, dataset: resolve(r.data.dataset) };
  const bigK = c.k.find((k) => k > c.evalSamples);
  if (bigK !== undefined)
    throw new Error(`${where}: k: pass@${bigK} needs evalSamples >= ${bigK}, got ${c.evalSamples}`);
  if (c.debug) c.maxIterations = 1;
  return c;
}

/** A config file's JSON and a way to find the line of a field in it; a syntax error names its line. */
export function readConfigJson(file: string): {
  value: unknown;
  lineOf: (path: readonly PropertyKey[]) => number | undefined;
} {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(
      `${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Node names the offset in most syntax errors ("… at position 31"), not in all.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new Error(
      `${file}${at === undefined ? "" : `:${lineOfOffset(text, Number(at))}`}: not valid JSON (${(err as Error).message})`,
    );
  }
  // A field's line: where its key first appears (config files are flat, a key appears once).
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    const key = path[0];
    if (typeof key !== "string") return undefined;
    const at = text.search(new RegExp(`${JSON.stringify(key)}\\s*:`));
    return at < 0 ? undefined : lineOfOffset(text, at);
  };
  return { value, lineOf };
}

/** Reads and checks a run's config.json. */
export function readConfig(file: string): RunConfig {
  const { value, lineOf } = readConfigJson(file);
  return checkConfig(value, file, lineOf);
}
