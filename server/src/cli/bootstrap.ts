/**
 * `qds bootstrap start|status|attach|stop|report|check-host`: the headless
 * bootstrap loop (server/src/bootstrap). The seed's flags keep their names
 * (`--base-model`, `--max-iterations`, `--train-steps`, `--learning-rate`,
 * `--target-problems`, `--resume-iteration`, `--debug`).
 *
 * The controller is a process of its own: `start` runs it in the foreground
 * (Ctrl-C detaches; remote jobs keep running) or, with `--detach`, as a
 * background process whose output goes to the run folder; `attach` follows
 * a run's log and progress and starts a controller when none is alive (after
 * a crash, a reboot, a closed editor). Errors are one line naming the cause.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkConfig, type RunConfigInput, readConfig, readConfigJson } from "../bootstrap/config";
import { createRun, formatIterations, formatProgress, reopenRun, requestStop, viewRun } from "../bootstrap/control";
import { runFiles } from "../bootstrap/layout";
import { runBootstrap } from "../bootstrap/loop";
import { buildReport } from "../bootstrap/report";
import { RunStatus, Store, TERMINAL_RUN } from "../bootstrap/state";
import { openTransport } from "../bootstrap/transport";
import { startDaemon } from "../proc/process";
import { act, Command } from "./args";

const USAGE = `usage:
  qds bootstrap start --dataset DIR --host HOST --base-model MODEL [knobs] [--runs DIR | --run-dir DIR] [--detach]
  qds bootstrap start --run-dir DIR [--resume-iteration N] [--detach]     resume an existing run
  qds bootstrap status RUN_DIR [--json]
  qds bootstrap attach RUN_DIR            follow a run (starts its controller if none is alive)
  qds bootstrap stop RUN_DIR              cancel the remote job and stop the run
  qds bootstrap report RUN_DIR [--json]
  qds bootstrap check-host HOST [--backend ssh|slurm] [--ssh-config FILE] [--remote-root DIR] [--prepare]
knobs: --backend ssh|slurm --ssh-config FILE --remote-root DIR --slurm-conf FILE --max-iterations N (30) --train-steps N (1000)
  --learning-rate X (2e-5) --target-problems N (100) --method lora|full --samples N (4) --eval-samples N (4)
  --k 1,4 --temperature T --max-new-tokens N --save-steps N --eval-ratio R --seed N --allow-cpu --debug
  --config FILE (a JSON run configuration; flags override it)
`;

const OPTIONS = {
  dataset: { type: "string" },
  host: { type: "string" },
  backend: { type: "string" },
  "ssh-config": { type: "string" },
  "remote-root": { type: "string" },
  "slurm-conf": { type: "string" },
  "base-model": { type: "string" },
  "max-iterations": { type: "string" },
  "train-steps": { type: "string" },
  "learning-rate": { type: "string" },
  "target-problems": { type: "string" },
  "resume-iteration": { type: "string" },
  method: { type: "string" },
  samples: { type: "string" },
  "eval-samples": { type: "string" },
  k: { type: "string" },
  temperature: { type: "string" },
  "max-new-tokens": { type: "string" },
  "save-steps": { type: "string" },
  "eval-ratio": { type: "string" },
  seed: { type: "string" },
  "poll-s": { type: "string" },
  "allow-cpu": { type: "boolean" },
  debug: { type: "boolean" },
  config: { type: "string" },
  runs: { type: "string" },
  "run-dir": { type: "string" },
  detach: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  prepare: { type: "boolean", default: false },
} as const;

class UsageError extends Error {}

function num(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag} expects a number, got '${text}'`);
  return n;
}

/** The prompts/ folder with the sft-*.md templates, found by walking up from this bundle. */
export function findPromptsDir(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prompts", "sft-prompt.md"))) return join(dir, "prompts");
    if (dirname(dir) === dir) throw new Error("cannot find the prompts/ folder with sft-*.md templates");
  }
}

type Values = ReturnType<typeof parse>["values"];
const parse = (args: string[]) => parseArgs({ args, allowPositionals: true, options: OPTIONS });

function configFromFlags(v: Values): RunConfigInput {
  const file = v.config === undefined ? undefined : readConfigJson(v.config);
  if (file !== undefined && (typeof file.value !== "object" || file.value === null || Array.isArray(file.value)))
    throw new Error(`${v.config}: expected a JSON object`);
  const base = { ...(file?.value as Record<string, unknown> | undefined) };
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) base[key] = value;
  };
  set("dataset", v.dataset);
  set("host", v.host);
  set("backend", v.backend);
  set("sshConfigFile", v["ssh-config"] === undefined ? undefined : resolve(v["ssh-config"]));
  set("remoteRoot", v["remote-root"]);
  set("slurmConf", v["slurm-conf"]);
  set("baseModel", v["base-model"]);
  set("maxIterations", num(v["max-iterations"], "max-iterations"));
  set("trainSteps", num(v["train-steps"], "train-steps"));
  set("learningRate", num(v["learning-rate"], "learning-rate"));
  set("targetProblems", num(v["target-problems"], "target-problems"));
  set("method", v.method);
  set("samples", num(v.samples, "samples"));
  set("evalSamples", num(v["eval-samples"], "eval-samples"));
  set(
    "k",
    v.k?.split(",").map((x) => num(x, "k")),
  );
  set("temperature", num(v.temperature, "temperature"));
  set("maxNewTokens", num(v["max-new-tokens"], "max-new-tokens"));
  set("saveSteps", num(v["save-steps"], "save-steps"));
  set("evalRatio", num(v["eval-ratio"], "eval-ratio"));
  set("seed", num(v.seed, "seed"));
  set("pollS", num(v["poll-s"], "poll-s"));
  set("allowCpu", v["allow-cpu"]);
  set("debug", v.debug);
  for (const required of ["dataset", "host", "baseModel"] as const)
    if (base[required] === undefined)
      throw new UsageError(`missing --${required === "baseModel" ? "base-model" : required}`);
  return base as RunConfigInput;
}

/** Runs the controller here, printing its log lines; Ctrl-C detaches (the remote job keeps running). */
async function runHere(dir: string): Promise<number> {
  const cfg = readConfig(runFiles(dir).config);
  const transport = openTransport(cfg);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    const status = await runBootstrap(dir, {
      transport,
      promptsDir: findPromptsDir(),
      signal: abort.signal,
      onLine: (line) => process.stdout.write(`${line}\n`),
    });
    return exitCode(status);
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
    await transport.close();
  }
}

const exitCode = (s: RunStatus): number => (s === RunStatus.Failed ? 1 : 0);

/** Starts a controller as a background process that outlives this one (and the editor); it needs no API keys. */
export function spawnController(dir: string): number {
  // Inside the editor, execPath is Electron: this variable makes it run the CLI as plain Node.
  const electron = process.env["ELECTRON_RUN_AS_NODE"];
  return startDaemon(process.execPath, [process.argv[1]!, "bootstrap", "run", dir], {
    logFile: join(dir, "controller.out"),
    ...(electron === undefined ? {} : { env: { ELECTRON_RUN_AS_NODE: electron } }),
  });
}

async function start(v: Values): Promise<number> {
  let dir: string;
  if (v["run-dir"] !== undefined && existsSync(join(v["run-dir"], "state.json"))) {
    dir = resolve(v["run-dir"]);
    reopenRun(dir, num(v["resume-iteration"], "resume-iteration"));
    process.stdout.write(`resuming ${dir}\n`);
  } else {
    if (v["resume-iteration"] !== undefined)
      throw new UsageError("--resume-iteration needs --run-dir of an existing run");
    const input = configFromFlags(v);
    // Precondition errors fail before a run folder exists: a bad config, an unreachable host.
    const config = checkConfig(
      input,
      v.config ?? "run configuration",
      v.config === undefined ? undefined : readConfigJson(v.config).lineOf,
    );
    const transport = openTransport(config);
    try {
      const host = await transport.checkHost();
      const gpus =
        host.gpus.length === 0 ? `no GPU (${host.gpu_error ?? "none found"})` : host.gpus.map((g) => g.name).join(", ");
      process.stdout.write(`${config.host}: python ${host.python.version}, ${gpus}\n`);
    } finally {
      await transport.close();
    }
    dir = createRun(v["run-dir"] ?? v.runs ?? "bootstrap_runs", config, { exactDir: v["run-dir"] !== undefined }).dir;
    process.stdout.write(`run ${dir}\n`);
  }
  if (v.detach) {
    const pid = spawnController(dir);
    process.stdout.write(`controller ${pid} started; follow it with: qds bootstrap attach ${dir}\n`);
    return 0;
  }
  return runHere(dir);
}

async function attach(dir: string, json: boolean): Promise<number> {
  let view = viewRun(dir);
  if (!TERMINAL_RUN.has(view.status) && !view.controllerAlive) {
    const pid = spawnController(dir);
    process.stdout.write(`no controller was running: started ${pid}\n`);
  }
  const log = runFiles(dir).log;
  let offset = 0;
  let lastStatus = "";
  for (;;) {
    if (existsSync(log) && statSync(log).size > offset) {
      const buf = readFileSync(log);
      const end = buf.lastIndexOf(10) + 1;
      if (end > offset) {
        process.stdout.write(buf.subarray(offset, end).toString("utf8"));
        offset = end;
      }
    }
    view = viewRun(dir);
    const line = formatProgress(view.progress);
    if (!json && line !== lastStatus && process.stdout.isTTY) process.stdout.write(`${line}\n`);
    lastStatus = line;
    if (TERMINAL_RUN.has(view.status)) break;
    if (!view.controllerAlive && Date.now() - Date.parse(view.progress?.updatedAt ?? "0") > 10_000) {
      const pid = spawnController(dir);
      process.stdout.write(`controller gone: started ${pid}\n`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const l of formatIterations(view)) process.stdout.write(`${l}\n`);
  process.stdout.write(`run ${view.status}${view.endReason ? `: ${view.endReason}` : ""}\n`);
  return exitCode(view.status);
}

async function stop(dir: string): Promise<number> {
  const { controllerAlive } = requestStop(dir);
  if (!controllerAlive) {
    // No controller to act on the signal: be the controller for the stop.
    const s = Store.open(dir).snapshot;
    if (TERMINAL_RUN.has(s.status)) {
      process.stdout.write(`run already ${s.status}\n`);
      return 0;
    }
    return runHere(dir);
  }
  for (let i = 0; i < 600; i++) {
    const view = viewRun(dir);
    if (TERMINAL_RUN.has(view.status)) {
      process.stdout.write(`run ${view.status}\n`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stderr.write("qds bootstrap stop: the controller did not stop within 150 s\n");
  return 1;
}

function status(dir: string, json: boolean): number {
  const view = viewRun(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return 0;
  }
  const shown =
    view.status === RunStatus.Running && !view.controllerAlive
      ? "running (no controller: attach resumes it)"
      : view.status;
  process.stdout.write(`${view.runId}  ${shown}  ${view.backend}:${view.host}  ${view.baseModel}\n`);
  process.stdout.write(`${formatProgress(view.progress)}\n`);
  for (const l of formatIterations(view)) process.stdout.write(`${l}\n`);
  if (view.error) process.stdout.write(`error: ${view.error}\n`);
  return 0;
}

function report(dir: string, json: boolean): number {
  const file = runFiles(dir).report;
  const rep = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : buildReport(dir, Store.open(dir).snapshot, readConfig(runFiles(dir).config));
  if (json) {
    process.stdout.write(`${JSON.stringify(rep, null, 2)}\n`);
    return 0;
  }
  for (const l of formatIterations(viewRun(dir))) process.stdout.write(`${l}\n`);
  process.stdout.write(
    `total: wall ${rep.totals.wall_s.toFixed(1)} s, remote compute ${rep.totals.compute_s.toFixed(1)} s, orchestration ${rep.totals.orchestration_s.toFixed(1)} s\n`,
  );
  return 0;
}

async function checkHost(v: Values, host: string): Promise<number> {
  const backend = v.backend ?? "ssh";
  if (backend !== "ssh" && backend !== "slurm")
    throw new UsageError(`--backend must be ssh or slurm, got '${backend}'`);
  const transport = openTransport({
    host,
    backend,
    ...(v["ssh-config"] === undefined ? {} : { sshConfigFile: resolve(v["ssh-config"]) }),
    ...(v["remote-root"] === undefined ? {} : { remoteRoot: v["remote-root"] }),
    ...(v["slurm-conf"] === undefined ? {} : { slurmConf: v["slurm-conf"] }),
  });
  try {
    const r = await transport.checkHost();
    if (v.json && !v.prepare) {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
    process.stdout.write(
      `host      ${r.hostname} (${r.cpus} CPUs)\npython    ${r.python.version} (${r.python.executable})\n`,
    );
    if (r.gpus.length === 0) process.stdout.write(`gpus      none (${r.gpu_error ?? "nvidia-smi found none"})\n`);
    for (const g of r.gpus)
      process.stdout.write(`gpu ${g.index}     ${g.name}, ${g.memory_mib} MiB, driver ${g.driver}\n`);
    process.stdout.write(`disk      ${gib(r.disk.free_bytes)} free of ${gib(r.disk.total_bytes)} at ${r.disk.path}\n`);
    for (const [name, version] of Object.entries(r.packages))
      process.stdout.write(
        `${name.padEnd(10)}${version ?? (name === "vllm" ? "absent (generation falls back to transformers)" : "absent")}\n`,
      );
    if (v.prepare) {
      const env = await transport.prepare();
      process.stdout.write(
        `venv      ${env.python} (${env.cached ? "cached" : `built in ${env.seconds.toFixed(0)} s`}, ${env.hash})\n`,
      );
    }
    return 0;
  } finally {
    await transport.close();
  }
}

export async function bootstrapCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    const { values: v, positionals } = parse(rest);
    const one = (): string => {
      if (positionals.length !== 1) throw new UsageError(`qds bootstrap ${sub} takes one run folder`);
      return resolve(positionals[0]!);
    };
    switch (sub) {
      case "start":
        return await start(v);
      case "run": // the background controller (spawnController)
        return await runHere(one());
      case "status":
        return status(one(), v.json);
      case "attach":
        return await attach(one(), v.json);
      case "stop":
        return await stop(one());
      case "report":
        return report(one(), v.json);
      case "check-host":
        if (positionals.length !== 1) throw new UsageError("qds bootstrap check-host takes one host");
        return await checkHost(v, positionals[0]!);
      default:
        process.stderr.write(USAGE);
        return 2;
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_"))) {
      process.stderr.write(`qds bootstrap: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`qds bootstrap: ${(err as Error).message}\n`);
    return 1;
  }
}

/** `qds bootstrap …` in the commander program: its own parser, flags passed through untouched. */
export function bootstrapProgram(): Command {
  return new Command("bootstrap")
    .summary("grow a dataset on a remote GPU host: start|status|attach|stop|report|check-host")
    .description(USAGE)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(act((args: string[]) => bootstrapCommand(args)));
}
