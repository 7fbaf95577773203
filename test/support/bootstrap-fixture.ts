/**
 * Everything a real bootstrap run on loopback needs, for the end-to-end test,
 * the VS Code integration test and the benchmark: a real sshd
 * (test/support/sshd.ts), the cached remote venv (prepare()), the tiny
 * dataset (bootstrap-dataset.ts), a tiny Qwen3 model whose tokenizer is
 * trained on that dataset's prompts and seed solutions, uploaded to the test
 * remote root, and a run configuration pointing at all of it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { RunConfigInput } from "../../server/src/bootstrap/config";
import { SshTransport } from "../../server/src/bootstrap/remote/ssh";
import { loadProblem } from "../../server/src/dataset/load";
import { loadTemplate, problemVars, render } from "../../server/src/dataset/sft";
import { writeTinyBootstrapDataset } from "./bootstrap-dataset";
import { runPrefix, TEST_ROOT } from "./remote-fixture";
import { type Sshd, startSshd } from "./sshd";

const REPO = resolve(__dirname, "../..");

export interface TinyBootstrap {
  sshd: Sshd;
  /** Config of a two-iteration run (override fields per test). */
  config: RunConfigInput;
  python: string;
  cleanup(): Promise<void>;
}

/** `root`: a scratch folder (the dataset and model are built in it); `variants` problems per family. */
export async function tinyBootstrap(root: string, repo = REPO, variants?: number): Promise<TinyBootstrap> {
  const sshd = await startSshd();
  const t = new SshTransport(sshd.host, { root: TEST_ROOT, sshConfigFile: sshd.configFile, minFreeKiB: 1024 });
  const env = await t.prepare();
  const dataset = join(root, "dataset");
  const names = writeTinyBootstrapDataset(dataset, variants);
  const prompt = loadTemplate(join(repo, "prompts"), "sft-prompt.md");
  const completion = loadTemplate(join(repo, "prompts"), "sft-completion.md");
  const corpus = names.map((n) => {
    const vars = problemVars(loadProblem(dataset, n, new Map()));
    return JSON.stringify({
      prompt: render(prompt, vars),
      completion: vars.q === "" ? "" : `\n${render(completion, vars)}`,
    });
  });
  writeFileSync(join(root, "corpus.jsonl"), `${corpus.join("\n")}\n`);
  execFileSync(env.python, ["-m", "qds_remote.testing", "build", join(root, "tiny"), join(root, "corpus.jsonl")], {
    env: { PATH: process.env["PATH"] ?? "", HOME: homedir(), PYTHONPATH: join(repo, "remote") },
  });
  const prefix = runPrefix();
  await t.upload(join(root, "tiny"), `models/${prefix}/tiny`);
  await t.close();
  const config: RunConfigInput = {
    dataset,
    host: sshd.host,
    backend: "ssh",
    sshConfigFile: sshd.configFile,
    remoteRoot: TEST_ROOT,
    baseModel: `models/${prefix}/tiny`,
    maxIterations: 2,
    targetProblems: 1000,
    trainSteps: 80,
    saveSteps: 20,
    // The tiny model learns nothing at the seed's 2e-5 (docs/remote-host-testing.md).
    learningRate: 3e-3,
    method: "full",
    samples: 2,
    evalSamples: 2,
    k: [1],
    temperature: 0.7,
    maxNewTokens: 24,
    evalRatio: 0.2,
    allowCpu: true,
    pollS: 0.5,
  };
  return {
    sshd,
    config,
    python: env.python,
    async cleanup() {
      await sshd.stop();
      rmSync(join(TEST_ROOT, "models", prefix), { recursive: true, force: true });
    },
  };
}

/** Removes a run's remote job folders from the test remote root. */
export function removeRemoteRun(runId: string): void {
  const jobs = join(TEST_ROOT, "jobs");
  for (const dir of readdirSync(jobs, { withFileTypes: true }))
    if (dir.name === runId) rmSync(join(jobs, dir.name), { recursive: true, force: true });
}
