"""Runs the job described by JOB_DIR/job.json and records it in the job
folder (jobfiles.py). Usage: python -m qds_remote.run JOB_DIR

The exit status tells the wrapper what happened: 0 done, 1 failed, 2 bad
arguments, 75 preempted (checkpoint written; Slurm requeues), 130 cancelled.
Paths in the arguments are relative to the remote root (QDS_REMOTE_ROOT,
else the current folder) unless absolute.
"""

import errno
import json
import os
import sys
import traceback

from .jobfiles import (
    EXIT_BAD_ARGS,
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PREEMPTED,
    SPEC,
    Cancelled,
    Job,
    JobFailure,
    Preempted,
)


def main(argv):
    if len(argv) != 1:
        print("usage: python -m qds_remote.run JOB_DIR", file=sys.stderr)
        return EXIT_BAD_ARGS
    job_dir = os.path.abspath(argv[0])
    root = os.environ.get("QDS_REMOTE_ROOT", os.getcwd())
    try:
        with open(os.path.join(job_dir, SPEC), encoding="utf-8") as f:
            spec = json.load(f)
        kind, args = spec["kind"], spec["args"]
    except (OSError, ValueError, KeyError) as e:
        print(f"qds-error bad-args: cannot read {os.path.join(job_dir, SPEC)}: {e}", file=sys.stderr)
        return EXIT_BAD_ARGS
    job = Job(job_dir, kind)
    try:
        job.event("start", message=f"{kind} job, attempt {job.attempt}, pid {os.getpid()}")
        if kind == "train":
            from .train import train

            train(job, args, root, job.preempt_requested)
        elif kind == "generate":
            from .generate import generate

            generate(job, args, root)
        else:
            raise JobFailure("bad-args", f"unknown job kind {kind!r}")
    except Cancelled:
        job.finish("cancelled", "cancelled", message="stopped: cancel file found")
        return EXIT_CANCELLED
    except Preempted:
        job.update(state="running")
        job.event("checkpoint", message="preempted: checkpoint written, waiting to be requeued")
        return EXIT_PREEMPTED
    except JobFailure as e:
        job.finish("failed", "failed", error={"code": e.code, "message": str(e)})
        print(f"qds-error {e.code}: {e}", file=sys.stderr)
        return EXIT_BAD_ARGS if e.code == "bad-args" else EXIT_FAILED
    except OSError as e:
        code = "disk-full" if e.errno == errno.ENOSPC else "exception"
        traceback.print_exc()
        try:
            job.finish("failed", "failed", error={"code": code, "message": f"{e} ({e.filename or job_dir})"})
        except OSError:
            pass  # the disk is full: the transport reports it from df
        return EXIT_FAILED
    except Exception as e:  # the job's last word: record it, then fail
        traceback.print_exc()
        job.finish("failed", "failed", error={"code": "exception", "message": f"{type(e).__name__}: {e}"})
        return EXIT_FAILED
    job.finish("succeeded", "done")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
