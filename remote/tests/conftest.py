"""Fixtures for the remote package's tests: the real ML stack (torch, transformers,
TRL, PEFT) from the venv that scripts/remote-env.sh builds, and a tiny Qwen3 model
trained from nothing here. A missing package fails every test that needs it with
a message saying how to build the venv; nothing is skipped silently."""

import importlib
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_PARENT = os.path.dirname(HERE)
sys.path.insert(0, PACKAGE_PARENT)

NEEDED = ("torch", "transformers", "trl", "peft", "datasets", "tokenizers")


@pytest.fixture(scope="session")
def ml_stack():
    missing = []
    for name in NEEDED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        pytest.fail(
            f"{sys.executable} lacks {', '.join(missing)}: run the tests with the venv's python"
            " (bash scripts/remote-env.sh builds it and prints its path)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def pairs():
    from qds_remote.testing import memorisable_pairs

    return memorisable_pairs(20)


@pytest.fixture(scope="session")
def root(tmp_path_factory, ml_stack, pairs):
    """A remote root holding the tiny model, the SFT data and the prompts."""
    from qds_remote.testing import build_tiny_model

    root = tmp_path_factory.mktemp("remote-root")
    build_tiny_model(str(root / "tiny"), [p["prompt"] + p["completion"] for p in pairs])
    write_jsonl(root / "train.jsonl", [{"prompt": p["prompt"], "completion": p["completion"]} for p in pairs])
    write_jsonl(root / "prompts.jsonl", [{"task_id": p["task_id"], "prompt": p["prompt"]} for p in pairs])
    return root


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def job_env(root):
    env = dict(os.environ)
    env.update(
        PYTHONPATH=PACKAGE_PARENT,
        QDS_REMOTE_ROOT=str(root),
        HF_DATASETS_DISABLE_PROGRESS_BARS="1",
        HF_HUB_OFFLINE="1",
    )
    return env


def make_job(root, name, kind, args):
    job = root / "jobs" / name
    job.mkdir(parents=True, exist_ok=True)
    (job / "job.json").write_text(json.dumps({"kind": kind, "args": args}))
    return job


def run_job(root, job):
    """Runs `python -m qds_remote.run JOB` as the transports do; returns the exit status."""
    with open(job / "job.log", "ab") as log:
        return subprocess.run(
            [sys.executable, "-m", "qds_remote.run", str(job)], env=job_env(root), stdout=log, stderr=log
        ).returncode


def start_job(root, job):
    log = open(job / "job.log", "ab")  # noqa: SIM115 (closed by the caller through the process)
    return subprocess.Popen(
        [sys.executable, "-m", "qds_remote.run", str(job)], env=job_env(root), stdout=log, stderr=log
    )


def exact_match(root, name, pairs, model, adapter=None):
    """Greedy completions of every prompt through a generate job; the share equal to the answer."""
    args = {"base_model": model, "prompts_file": "prompts.jsonl", "n": 1, "temperature": 0, "max_new_tokens": 12}
    args["allow_cpu"] = True
    if adapter:
        args["adapter"] = adapter
    job = make_job(root, name, "generate", args)
    assert run_job(root, job) == 0, (job / "job.log").read_text()[-2000:]
    got = {c["task_id"]: c["completion"] for c in read_jsonl(job / "output" / "completions.jsonl")}
    return sum(got[p["task_id"]].strip() == p["completion"].strip() for p in pairs) / len(pairs)
