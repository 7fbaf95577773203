"""Generation through vLLM, with a stand-in `vllm` package.

vLLM needs a CUDA GPU and is not on this machine's package index, so the
real one cannot run here: this stand-in (written into a temporary folder put
first on PYTHONPATH) records how generate.py calls vLLM's offline API (LLM,
SamplingParams, LoRARequest) and answers with canned text. It checks that a
host with vLLM uses it by default, passes the LoRA adapter and per-task
seeds, and writes completions in the same contract as the transformers path.
"""

import json
import os
import subprocess
import sys

from conftest import PACKAGE_PARENT, make_job, read_jsonl

STAND_IN = '''
import json, os

def _log(kind, **fields):
    with open(os.environ["FAKE_VLLM_LOG"], "a") as f:
        f.write(json.dumps({"kind": kind, **fields}) + "\\n")

class SamplingParams:
    def __init__(self, n, temperature, max_tokens, seed):
        self.n, self.temperature, self.max_tokens, self.seed = n, temperature, max_tokens, seed

class _Out:
    def __init__(self, text, finish_reason):
        self.text, self.finish_reason = text, finish_reason

class _Result:
    def __init__(self, outputs):
        self.outputs = outputs

class LLM:
    def __init__(self, model, enable_lora=False, seed=0):
        _log("llm", model=model, enable_lora=enable_lora, seed=seed)

    def generate(self, prompts, params, lora_request=None):
        _log("generate", prompts=prompts, n=[p.n for p in params], seeds=[p.seed for p in params],
             max_tokens=[p.max_tokens for p in params],
             lora=None if lora_request is None else [lora_request.name, lora_request.id, lora_request.path])
        return [_Result([_Out(f"{prompt} -> {i}", "stop" if i == 0 else "length") for i in range(p.n)])
                for prompt, p in zip(prompts, params)]
'''

LORA = '''
class LoRARequest:
    def __init__(self, name, id, path):
        self.name, self.id, self.path = name, id, path
'''


def test_a_host_with_vllm_generates_through_it_with_the_adapter(tmp_path):
    fake = tmp_path / "site"
    (fake / "vllm" / "lora").mkdir(parents=True)
    (fake / "vllm" / "__init__.py").write_text(STAND_IN)
    (fake / "vllm" / "lora" / "__init__.py").write_text("")
    (fake / "vllm" / "lora" / "request.py").write_text(LORA)
    root = tmp_path / "root"
    (root / "models" / "adapter").mkdir(parents=True)
    prompts = root / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"task_id": t, "prompt": f"solve {t}"}) + "\n" for t in ("a", "b")))
    job = make_job(
        root,
        "gen",
        "generate",
        {
            "base_model": "base-model-id",
            "adapter": "models/adapter",
            "prompts_file": "prompts.jsonl",
            "n": 2,
            "temperature": 0.8,
            "max_new_tokens": 16,
            "seed": 7,
            "allow_cpu": True,
        },
    )
    log = tmp_path / "vllm-calls.jsonl"
    env = dict(os.environ, PYTHONPATH=f"{fake}:{PACKAGE_PARENT}", QDS_REMOTE_ROOT=str(root), FAKE_VLLM_LOG=str(log))
    r = subprocess.run([sys.executable, "-m", "qds_remote.run", str(job)], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

    calls = read_jsonl(log)
    assert [c["kind"] for c in calls] == ["llm", "generate"]
    assert calls[0] == {"kind": "llm", "model": "base-model-id", "enable_lora": True, "seed": 7}
    gen = calls[1]
    assert gen["prompts"] == ["solve a", "solve b"]
    assert gen["n"] == [2, 2] and gen["max_tokens"] == [16, 16]
    assert len(set(gen["seeds"])) == 2  # one seed per task, so a resumed run samples each task as before
    assert gen["lora"] == ["qds-adapter", 1, str(root / "models" / "adapter")]

    status = json.loads((job / "status.json").read_text())
    assert status["engine"] == "vllm"
    rows = read_jsonl(job / "output" / "completions.jsonl")
    assert [(x["task_id"], x["sample"], x["completion"], x["finish_reason"]) for x in rows] == [
        ("a", 0, "solve a -> 0", "stop"),
        ("a", 1, "solve a -> 1", "length"),
        ("b", 0, "solve b -> 0", "stop"),
        ("b", 1, "solve b -> 1", "length"),
    ]
    assert all(x["model"] == "base-model-id+models/adapter" for x in rows)
