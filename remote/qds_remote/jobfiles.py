"""The job-folder contract; server/src/bootstrap/remote/types.ts is its
other half (JOB_FILES, JobEvent, JobStatus): keep the two in step.

A job writes only inside its folder: it appends JSON lines to events.jsonl
(one write call per line, never rewritten, so a client can follow the file by
byte offset), rewrites status.json atomically (temp file + rename) and polls
the cancel and preempt files. The shell wrapper writes exit_code after the process ends.
A relaunch continues the same events.jsonl: `seq` carries on and `attempt`
goes up, so (seq) stays unique and readers can drop repeats.
"""

import datetime
import json
import os
import time

EVENTS = "events.jsonl"
STATUS = "status.json"
CANCEL = "cancel"
PREEMPT = "preempt"  # touched by the Slurm batch shell on a preemption notice (USR1)
SPEC = "job.json"
OUTPUT = "output"
CHECKPOINTS = "checkpoints"

# Exit codes the wrapper scripts and the transports understand.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_ARGS = 2
EXIT_PREEMPTED = 75  # checkpoint written, requeue me (Slurm)
EXIT_CANCELLED = 130


class Cancelled(Exception):
    """Raised by a job that saw the cancel file."""


class Preempted(Exception):
    """Raised by a job that saved a checkpoint after a preemption notice (the preempt file)."""


def resolve(root, path):
    """A job argument's path: absolute, else under the remote root; a bare hub id stays as it is."""
    if path is None:
        return None
    if os.path.isabs(path):
        return path
    candidate = os.path.join(root, path)
    return candidate if os.path.exists(candidate) else path


# These live here, not in run.py: `python -m qds_remote.run` runs run.py as
# __main__, so a class defined there and imported by a job would be a second,
# different class that the except clauses in run.py never catch.
class JobFailure(Exception):
    """A failure with a cause the user can act on (code as in JobError)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_json_atomic(path, value):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _last_complete_event(path):
    """The last parseable complete line of events.jsonl, or None."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 65536))
            tail = f.read()
    except FileNotFoundError:
        return None
    lines = tail.split(b"\n")
    # The last element is what follows the final newline: a partial line or b"".
    for raw in reversed(lines[:-1]):
        try:
            return json.loads(raw)
        except ValueError:
            continue
    return None


class Job:
    """One job folder, seen from the process that runs the job."""

    def __init__(self, directory, kind):
        self.dir = os.path.abspath(directory)
        self.kind = kind
        events = self.path(EVENTS)
        last = _last_complete_event(events)
        self.seq = last["seq"] + 1 if last else 0
        self.attempt = last["attempt"] + 1 if last else 1
        # A process killed mid-write leaves a partial line: end it so the next
        # event starts on a line of its own (readers skip unparsable lines).
        if os.path.exists(events) and os.path.getsize(events) > 0:
            with open(events, "rb") as f:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    with open(events, "ab") as g:
                        g.write(b"\n")
        self.status = {
            "kind": kind,
            "state": "running",
            "attempt": self.attempt,
            "pid": os.getpid(),
            "started_at": now_iso(),
            "updated_at": now_iso(),
            "phase": "start",
        }

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def cancelled(self):
        return os.path.exists(self.path(CANCEL))

    def preempt_requested(self):
        return os.path.exists(self.path(PREEMPT))

    def event(self, phase, **fields):
        record = {"seq": self.seq, "time": now_iso(), "attempt": self.attempt, "phase": phase}
        record.update({k: v for k, v in fields.items() if v is not None})
        line = (json.dumps(record) + "\n").encode("utf-8")
        fd = os.open(self.path(EVENTS), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        self.seq += 1
        self.status["phase"] = phase
        for key in ("step", "total_steps", "loss", "eta_s"):
            if key in record:
                self.status[key] = record[key]
        if "error" in record:
            self.status["error"] = record["error"]
        self.write_status()

    def update(self, **fields):
        self.status.update(fields)
        self.write_status()

    def write_status(self):
        self.status["updated_at"] = now_iso()
        write_json_atomic(self.path(STATUS), self.status)

    def finish(self, state, phase, **fields):
        self.status["state"] = state
        self.event(phase, **fields)


class Eta:
    """Seconds left from the pace of this attempt (steps done since it began)."""

    def __init__(self, first_step):
        self.t0 = time.monotonic()
        self.first = first_step

    def __call__(self, step, total):
        done = step - self.first
        if done <= 0 or total is None:
            return None
        return round((time.monotonic() - self.t0) / done * (total - step), 1)
