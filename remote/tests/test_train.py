"""Training jobs on the tiny model: it learns, resumes exactly, and LoRA
adapters survive save and reload. Real TRL/PEFT on the CPU, through the same
`python -m qds_remote.run JOB` entry the transports launch."""

import json
import os
import signal
import time

from conftest import exact_match, make_job, read_jsonl, run_job, start_job

FULL = {"method": "full", "learning_rate": 3e-3, "per_device_batch_size": 20, "allow_cpu": True, "seed": 7}


def train_args(**over):
    args = {"base_model": "tiny", "train_file": "train.jsonl", "max_steps": 80, "save_steps": 40, **FULL}
    args.update(over)
    return args


def test_full_finetune_learns_the_pairs(root, pairs):
    before = exact_match(root, "eval-base", pairs, "tiny")
    job = make_job(root, "full", "train", train_args())
    assert run_job(root, job) == 0, (job / "job.log").read_text()[-3000:]
    after = exact_match(root, "eval-full", pairs, "jobs/full/output/model")
    # A random 100k-parameter model never produces the answers; the trained one must.
    assert before <= 0.1, before
    assert after >= 0.9, after
    events = read_jsonl(job / "events.jsonl")
    losses = [e["loss"] for e in events if e["phase"] == "train"]
    assert len(losses) == 80 and losses[-1] < losses[0] / 4, losses[::10]
    assert [e["seq"] for e in events] == list(range(len(events)))
    status = json.loads((job / "status.json").read_text())
    assert status["state"] == "succeeded" and status["outputs"] == ["output/model"]
    # Only the final weights are in output/; checkpoints stay in checkpoints/.
    assert sorted(os.listdir(job / "output")) == ["model"]
    assert "model.safetensors" in os.listdir(job / "output" / "model")


def test_lora_adapter_learns_saves_and_reloads(root, pairs):
    args = train_args(method="lora", learning_rate=9e-3, max_steps=100, save_steps=50, lora_r=16, lora_alpha=32)
    job = make_job(root, "lora", "train", args)
    assert run_job(root, job) == 0, (job / "job.log").read_text()[-3000:]
    adapter = job / "output" / "adapter"
    files = set(os.listdir(adapter))
    assert {"adapter_config.json", "adapter_model.safetensors"} <= files, files
    assert "model.safetensors" not in files  # the adapter only, not the base weights
    # Reloaded onto the base model by a separate generate job (PEFT), it answers.
    assert exact_match(root, "eval-lora", pairs, "tiny", adapter="jobs/lora/output/adapter") >= 0.8


def test_resume_after_kill_is_bit_identical(root):
    from safetensors.numpy import load_file

    args = train_args(max_steps=30, save_steps=10)
    straight = make_job(root, "straight", "train", args)
    assert run_job(root, straight) == 0

    killed = make_job(root, "killed", "train", args)
    proc = start_job(root, killed)
    deadline = time.monotonic() + 300
    while not (killed / "checkpoints" / "checkpoint-20" / "trainer_state.json").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "training ended before checkpoint-20"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "output").exists()
    assert run_job(root, killed) == 0, (killed / "job.log").read_text()[-3000:]

    events = read_jsonl(killed / "events.jsonl")
    resumed = [e for e in events if e.get("checkpoint") and e["phase"] == "load"]
    assert resumed and resumed[0]["attempt"] == 2 and resumed[0]["checkpoint"].startswith("checkpoints/checkpoint-")
    assert [e["seq"] for e in events] == list(range(len(events)))  # seq continues across attempts
    a = load_file(str(straight / "output" / "model" / "model.safetensors"))
    b = load_file(str(killed / "output" / "model" / "model.safetensors"))
    assert a.keys() == b.keys()
    for key in a:
        assert (a[key] == b[key]).all(), key


def test_cancel_file_stops_training(root):
    job = make_job(root, "cancelled", "train", train_args(max_steps=100000, save_steps=1000))
    proc = start_job(root, job)
    deadline = time.monotonic() + 300
    while not any(e["phase"] == "train" for e in read_jsonl(job / "events.jsonl")) if (
        job / "events.jsonl"
    ).exists() else True:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    (job / "cancel").touch()
    assert proc.wait(timeout=120) == 130
    status = json.loads((job / "status.json").read_text())
    assert status["state"] == "cancelled"
    assert read_jsonl(job / "events.jsonl")[-1]["phase"] == "cancelled"
    assert not (job / "output").exists()


def test_preempt_file_present_before_start_checkpoints_and_exits_75(root):
    # Slurm's notice can come while Python is still importing: the batch shell has already
    # turned it into the preempt file, which the trainer must honour at its first step.
    job = make_job(root, "preempted", "train", train_args(max_steps=100000, save_steps=1000))
    (job / "preempt").touch()
    assert run_job(root, job) == 75, (job / "job.log").read_text()[-3000:]
    events = read_jsonl(job / "events.jsonl")
    assert [e["step"] for e in events if e["phase"] == "train"] == [1]
    saved = [e for e in events if e["phase"] == "checkpoint"]
    assert saved[0]["checkpoint"] == "checkpoints/checkpoint-1" and "preempted" in saved[-1]["message"]
    assert (job / "checkpoints" / "checkpoint-1" / "trainer_state.json").exists()
    assert not (job / "exit_code").exists() and not (job / "output").exists()
