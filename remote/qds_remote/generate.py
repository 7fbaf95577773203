"""Samples n completions per prompt and writes output/completions.jsonl,
one {task_id, sample, completion, model, finish_reason} line per sample.

Engine: vLLM when importable (offline batch, the LoRA adapter applied with a
LoRARequest), else plain transformers (+ PEFT for the adapter). Resumable: a
relaunch keeps the lines of tasks already complete in completions.partial.jsonl
and redoes only the rest; the final file appears by rename, whole or not at all.
Sampling is seeded per task (seed + crc32(task_id)), so a resumed run gives the
same samples for a task as an uninterrupted one with the transformers engine.
"""

import json
import os
import zlib

from .device import select_device
from .jobfiles import OUTPUT, Cancelled, Eta, JobFailure, resolve


def _read_prompts(path):
    prompts = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                prompts.append((str(record["task_id"]), record["prompt"]))
            except (ValueError, KeyError) as e:
                raise JobFailure("bad-args", f"{path}:{number}: expected {{task_id, prompt}} JSON ({e})") from e
    return prompts


def _done_tasks(partial, n):
    """Lines of tasks that have all n samples in the partial file; the rest are dropped."""
    by_task = {}
    if os.path.exists(partial):
        with open(partial, encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line cut by a kill
                by_task.setdefault(record["task_id"], []).append(line if line.endswith("\n") else line + "\n")
    return {task: lines for task, lines in by_task.items() if len(lines) == n}


def _vllm_available():
    try:
        import vllm  # noqa: F401

        return True
    except ImportError:
        return False


def generate(job, args, root):
    for name in ("base_model", "prompts_file", "n", "temperature", "max_new_tokens"):
        if args.get(name) is None:
            raise JobFailure("bad-args", f"generate job is missing {name}")
    prompts_file = resolve(root, args["prompts_file"])
    if not os.path.isfile(prompts_file):
        raise JobFailure("bad-args", f"prompts_file not found on the host: {prompts_file}")
    prompts = _read_prompts(prompts_file)
    n = int(args["n"])
    engine = args.get("engine", "auto")
    if engine == "auto":
        engine = "vllm" if _vllm_available() else "transformers"
    if engine == "vllm" and not _vllm_available():
        raise JobFailure("bad-args", "engine 'vllm' asked for, but vllm is not importable on this host")
    device = select_device(bool(args.get("allow_cpu")))
    base = resolve(root, args["base_model"])
    adapter = resolve(root, args.get("adapter"))
    model_name = args["base_model"] + (f"+{args['adapter']}" if adapter else "")
    job.update(device=device, engine=engine)

    os.makedirs(job.path(OUTPUT), exist_ok=True)
    final = job.path(OUTPUT, "completions.jsonl")
    partial = job.path(OUTPUT, "completions.partial.jsonl")
    done = _done_tasks(partial, n)
    with open(partial, "w", encoding="utf-8") as f:
        for lines in done.values():
            f.writelines(lines)
    todo = [(task, prompt) for task, prompt in prompts if task not in done]
    job.event("load", done=len(prompts) - len(todo), total=len(prompts), message=f"{engine} on {device}: {base}")

    sample = _vllm_sampler if engine == "vllm" else _transformers_sampler
    eta = Eta(0)
    finished = len(prompts) - len(todo)
    with open(partial, "a", encoding="utf-8") as out:
        for batch in sample(base, adapter, todo, args, device):
            for task_id, samples in batch:
                for i, (text, reason) in enumerate(samples):
                    record = {"task_id": task_id, "sample": i, "completion": text, "model": model_name}
                    record["finish_reason"] = reason
                    out.write(json.dumps(record) + "\n")
                finished += 1
            out.flush()
            job.event(
                "generate",
                done=finished,
                total=len(prompts),
                eta_s=eta(finished - (len(prompts) - len(todo)), len(todo)),
            )
            if job.cancelled():
                raise Cancelled()
    job.event("save", done=finished, total=len(prompts))
    os.replace(partial, final)
    job.update(outputs=[f"{OUTPUT}/completions.jsonl"])


def _task_seed(args, task_id):
    return (int(args.get("seed", 0)) + zlib.crc32(task_id.encode("utf-8"))) % (2**31)


def _transformers_sampler(base, adapter, todo, args, device):
    """Yields one batch per task: [(task_id, [(text, finish_reason)] * n)]."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForCausalLM.from_pretrained(base)
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter)
    model.to(device).eval()
    n = int(args["n"])
    temperature = float(args["temperature"])
    eos = tokenizer.eos_token_id
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
    for task_id, prompt in todo:
        torch.manual_seed(_task_seed(args, task_id))
        inputs = tokenizer(prompt, return_tensors="pt").to(device)
        sampling = {"do_sample": True, "temperature": temperature, "top_p": 1.0, "top_k": 0} if temperature > 0 else {
            "do_sample": False
        }
        with torch.no_grad():
            out = model.generate(
                **inputs,
                max_new_tokens=int(args["max_new_tokens"]),
                num_return_sequences=n,
                eos_token_id=eos,
                pad_token_id=pad,
                **sampling,
            )
        start = inputs["input_ids"].shape[1]
        samples = []
        for row in out:
            tokens = row[start:].tolist()
            reason = "stop" if eos in tokens else "length"
            if eos in tokens:
                tokens = tokens[: tokens.index(eos)]
            samples.append((tokenizer.decode(tokens, skip_special_tokens=True), reason))
        yield [(task_id, samples)]


def _vllm_sampler(base, adapter, todo, args, _device):
    """One offline vLLM batch over every remaining prompt (vLLM schedules them itself)."""
    from vllm import LLM, SamplingParams

    llm = LLM(model=base, enable_lora=bool(adapter), seed=int(args.get("seed", 0)))
    lora = None
    if adapter:
        from vllm.lora.request import LoRARequest

        lora = LoRARequest("qds-adapter", 1, adapter)
    params = [
        SamplingParams(
            n=int(args["n"]),
            temperature=float(args["temperature"]),
            max_tokens=int(args["max_new_tokens"]),
            seed=_task_seed(args, task_id),
        )
        for task_id, _ in todo
    ]
    outputs = llm.generate([prompt for _, prompt in todo], params, lora_request=lora)
    batch = []
    for (task_id, _), result in zip(todo, outputs):
        samples = [(o.text, "stop" if o.finish_reason == "stop" else "length") for o in result.outputs]
        batch.append((task_id, samples))
    yield batch
