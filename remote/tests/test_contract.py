"""The job-folder contract and the host report, without training."""

import json
import os
import subprocess
import sys

from conftest import PACKAGE_PARENT, make_job, read_jsonl, run_job

from qds_remote.jobfiles import Job


def test_events_continue_seq_and_attempt_across_relaunches_and_cut_lines(tmp_path):
    job = Job(str(tmp_path), "train")
    job.event("start")
    job.event("train", step=1, total_steps=2, loss=1.5)
    with open(tmp_path / "events.jsonl", "ab") as f:
        f.write(b'{"seq": 2, "time": "cut by a kil')  # a writer killed mid-line
    again = Job(str(tmp_path), "train")
    again.event("start")
    lines = (tmp_path / "events.jsonl").read_text().split("\n")
    assert lines[-1] == ""
    parsed = []
    for line in lines[:-1]:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            pass
    assert [(e["seq"], e["attempt"], e["phase"]) for e in parsed] == [(0, 1, "start"), (1, 1, "train"), (2, 2, "start")]
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["attempt"] == 2 and status["pid"] == os.getpid() and status["phase"] == "start"
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]  # atomic rewrite left no temp file


def check_host(path_env):
    out = subprocess.run(
        [sys.executable, "-m", "qds_remote.check_host", "."],
        env={"PATH": path_env, "PYTHONPATH": PACKAGE_PARENT},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_check_host_without_nvidia_smi_names_the_reason():
    report = check_host("/usr/bin:/bin")
    assert report["gpus"] == []
    assert report["gpu_error"] == "nvidia-smi not found on PATH"
    assert report["disk"]["free_bytes"] > 0
    assert report["python"]["version"].startswith("3.")


def test_check_host_parses_nvidia_smi(tmp_path):
    # A stand-in nvidia-smi: no GPU exists on this machine. It prints what the
    # real one prints for this query (CSV, no header, no units).
    fake = tmp_path / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho '0, NVIDIA H100 80GB HBM3, 81559, 550.54.15'\necho '1, NVIDIA H100 80GB HBM3, 81559, 550.54.15'\n")
    fake.chmod(0o755)
    report = check_host(f"{tmp_path}:/usr/bin:/bin")
    assert report["gpu_error"] is None
    assert report["gpus"][1] == {"index": 1, "name": "NVIDIA H100 80GB HBM3", "memory_mib": 81559, "driver": "550.54.15"}


def test_no_gpu_fails_clearly_unless_cpu_is_allowed(root):
    import torch

    assert not torch.cuda.is_available(), "this test describes a GPU-less host"
    args = {"base_model": "tiny", "train_file": "train.jsonl", "method": "full", "learning_rate": 1e-3}
    job = make_job(root, "nogpu", "train", {**args, "max_steps": 1, "save_steps": 1})
    assert run_job(root, job) == 1
    last = read_jsonl(job / "events.jsonl")[-1]
    assert last["phase"] == "failed" and last["error"]["code"] == "no-gpu"
    assert json.loads((job / "status.json").read_text())["state"] == "failed"


def test_bad_arguments_exit_2_naming_what_is_missing(root):
    job = make_job(root, "bad", "train", {"base_model": "tiny"})
    assert run_job(root, job) == 2
    assert "missing train_file" in read_jsonl(job / "events.jsonl")[-1]["error"]["message"]
