"""Device choice shared by the jobs: a GPU when torch sees one; the CPU only
when the run allows it, with one torch thread (on small shared machines more
threads were ten times slower for the same result; QDS_TORCH_THREADS
overrides)."""

import os

from .jobfiles import JobFailure


def select_device(allow_cpu):
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if not allow_cpu:
        raise JobFailure(
            "no-gpu",
            "no GPU visible to torch on this host (torch.cuda.is_available() is false);"
            " allow CPU in the run's settings to train on the CPU anyway",
        )
    torch.set_num_threads(int(os.environ.get("QDS_TORCH_THREADS", "1")))
    return "cpu"
