"""Supervised fine-tuning with TRL's SFTTrainer, LoRA (PEFT) or full.

Resumable: checkpoints go to JOB_DIR/checkpoints every save_steps steps, and
a relaunch resumes from the newest with
trainer.train(resume_from_checkpoint=get_last_checkpoint(...)) (TRL's own
`trl sft --config` never resumes). Only the final adapter (LoRA) or the final
weights (full) land in JOB_DIR/output, which is all that is downloaded; the
output folder is built under a temporary name and renamed when complete.
"""

import os
import shutil

from .device import select_device
from .jobfiles import CHECKPOINTS, OUTPUT, Cancelled, Eta, JobFailure, Preempted, resolve


def _require(args, *names):
    missing = [n for n in names if args.get(n) is None]
    if missing:
        raise JobFailure("bad-args", f"train job is missing {', '.join(missing)}")


def train(job, args, root, preempt_requested):
    _require(args, "base_model", "train_file", "method", "learning_rate", "max_steps", "save_steps")
    if args["method"] not in ("lora", "full"):
        raise JobFailure("bad-args", f"method must be 'lora' or 'full', not {args['method']!r}")
    train_file = resolve(root, args["train_file"])
    if not os.path.isfile(train_file):
        raise JobFailure("bad-args", f"train_file not found on the host: {train_file}")
    device = select_device(bool(args.get("allow_cpu")))
    job.update(device=device)

    job.event("load", message=f"loading {args['base_model']} on {device}")
    import datasets
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from transformers.trainer_utils import get_last_checkpoint
    from trl import SFTConfig, SFTTrainer

    base = resolve(root, args["base_model"])
    tokenizer = AutoTokenizer.from_pretrained(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    data = datasets.load_dataset("json", data_files=train_file, split="train")
    model = AutoModelForCausalLM.from_pretrained(base)
    peft_config = None
    if args["method"] == "lora":
        from peft import LoraConfig, PeftModel

        if args.get("init_adapter"):
            model = PeftModel.from_pretrained(model, resolve(root, args["init_adapter"]), is_trainable=True)
        else:
            peft_config = LoraConfig(
                r=int(args.get("lora_r", 16)),
                lora_alpha=int(args.get("lora_alpha", 32)),
                target_modules="all-linear",
                task_type="CAUSAL_LM",
            )

    checkpoints = job.path(CHECKPOINTS)
    max_steps = int(args["max_steps"])
    config = SFTConfig(
        output_dir=checkpoints,
        max_steps=max_steps,
        learning_rate=float(args["learning_rate"]),
        per_device_train_batch_size=int(args.get("per_device_batch_size", 8)),
        save_steps=int(args["save_steps"]),
        save_total_limit=2,
        logging_steps=1,
        seed=int(args.get("seed", 42)),
        data_seed=int(args.get("seed", 42)),
        max_length=int(args.get("max_seq_length", 1024)),
        use_cpu=device == "cpu",
        dataloader_num_workers=0,
        report_to=[],
        disable_tqdm=True,
    )

    class Progress(TrainerCallback):
        """Events per logged step and checkpoint; honours cancel and preemption (the cancel and preempt files)."""

        def __init__(self):
            self.eta = None
            self.stop = None

        def on_train_begin(self, _args, state, _control, **_kw):
            self.eta = Eta(state.global_step)

        def on_log(self, _args, state, _control, logs=None, **_kw):
            if logs and "loss" in logs:
                job.event(
                    "train",
                    step=state.global_step,
                    total_steps=max_steps,
                    loss=round(float(logs["loss"]), 6),
                    learning_rate=logs.get("learning_rate"),
                    eta_s=self.eta(state.global_step, max_steps),
                )

        def on_step_end(self, _args, _state, control, **_kw):
            if job.cancelled():
                self.stop = "cancel"
                control.should_training_stop = True
            elif preempt_requested():
                self.stop = "preempt"
                control.should_save = True
                control.should_training_stop = True

        def on_save(self, _args, state, _control, **_kw):
            name = f"checkpoint-{state.global_step}"
            job.update(last_checkpoint=f"{CHECKPOINTS}/{name}")
            job.event("checkpoint", step=state.global_step, total_steps=max_steps, checkpoint=f"{CHECKPOINTS}/{name}")

    progress = Progress()
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=data,
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[progress],
    )
    last = get_last_checkpoint(checkpoints) if os.path.isdir(checkpoints) else None
    if last:
        rel = os.path.relpath(last, job.dir)
        job.update(resumed_from=rel)
        job.event("load", checkpoint=rel, message=f"resuming from {rel}")
    trainer.train(resume_from_checkpoint=last)
    if progress.stop == "cancel":
        raise Cancelled()
    if progress.stop == "preempt":
        raise Preempted()

    job.event("save", step=max_steps, total_steps=max_steps)
    name = "adapter" if args["method"] == "lora" else "model"
    final = job.path(OUTPUT, name)
    partial = final + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    trainer.save_model(partial)
    tokenizer.save_pretrained(partial)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    job.update(outputs=[f"{OUTPUT}/{name}"])
