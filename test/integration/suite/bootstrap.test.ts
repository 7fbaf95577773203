/**
 * Bootstrap runs in the real VS Code host against a real loopback sshd and
 * the real remote venv (test/support/bootstrap-fixture.ts): the Start command
 * (its quick picks skipped by passing the fields) starts a run through a
 * `qds-bootstrap` task whose terminal shows the run's progress; the task is
 * listed by Run Task; Stop cancels the remote job and leaves no process of it
 * running on the host (which is this machine), and the extension's log shows
 * the program Stop started.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { removeRemoteRun, type TinyBootstrap, tinyBootstrap } from "../../support/bootstrap-fixture";
import { extension, until, within } from "./util";

describe("bootstrap runs (loopback sshd, real venv)", function () {
  this.timeout(300_000);
  let root: string;
  let fixture: TinyBootstrap;
  let runDir: string | undefined;

  before(async () => {
    await within(extension().activate(), "activation");
    root = mkdtempSync(join(tmpdir(), "qds-bvsc-"));
    fixture = await tinyBootstrap(root, extension().extensionPath);
    await vscode.workspace
      .getConfiguration("qds.bootstrap")
      .update("runsFolder", join(root, "runs"), vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration("qds.bootstrap")
      .update("runsFolder", undefined, vscode.ConfigurationTarget.Workspace);
    if (runDir !== undefined && existsSync(join(runDir, "state.json")))
      removeRemoteRun(JSON.parse(readFileSync(join(runDir, "state.json"), "utf8")).runId);
    await fixture?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("Start runs a qds-bootstrap task whose terminal shows progress; Run Task lists it; Stop cleans up", async () => {
    runDir = await within(
      vscode.commands.executeCommand<string | undefined>("qds.startBootstrapRun", {
        ...fixture.config,
        maxIterations: 1,
      }),
      "the run to be created",
      120_000,
    );
    assert.ok(runDir !== undefined && existsSync(join(runDir, "state.json")), `no run folder: ${runDir}`);
    const dir = runDir;
    const api = await extension().activate();
    const state = () => JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
    // The remote generation job of iteration 1 is launched and the terminal has shown its progress.
    await until(() => state().phases["1/solve"]?.job?.handle?.pid !== undefined, "the solve job to launch", 180_000);
    const pid = state().phases["1/solve"].job.handle.pid as number;
    const transcript = () => [...api.editor.bootstrap.transcripts.values()].flat().join("");
    await until(
      () => /iteration 1\/1 · solve/.test(transcript()) && /it1-solve: launched/.test(transcript()),
      "the terminal to show progress",
      60_000,
    );

    const tasks = await vscode.tasks.fetchTasks({ type: "qds-bootstrap" });
    assert.ok(
      tasks.some((t) => (t.definition as { run?: string }).run === dir),
      `Run Task lists the run: ${tasks.map((t) => t.name).join(", ")}`,
    );

    const code = await within(vscode.commands.executeCommand<number>("qds.stopBootstrapRun", dir), "Stop", 120_000);
    assert.equal(code, 0);
    // The extension's log names each program it started, with its arguments (the CLI that stopped the run).
    const log = join((await extension().activate()).logUri.fsPath, "Q Dataset Studio.log");
    await until(
      () => existsSync(log) && readFileSync(log, "utf8").includes(`cli.js bootstrap stop ${dir}`),
      `the process line in ${log}`,
    );
    assert.equal(state().status, "stopped");
    assert.equal(state().phases["1/solve"].status, "cancelled");
    // Nothing of the job is left running on the host (loopback: this machine).
    await until(
      () => {
        try {
          process.kill(-pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      "the job's process group to be gone",
      30_000,
    );
  });
});
