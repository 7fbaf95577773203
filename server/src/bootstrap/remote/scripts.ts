/**
 * Bash scripts run on the host, one per transport operation. Each is sent on
 * stdin to `bash -s -- ARGS…` (so the user's login shell may be anything and
 * no script text needs quoting) and takes its inputs as positional
 * arguments, never interpolated. A script reports a cause the user can act
 * on as a stderr line `qds-error <code>: <message>` (code as RemoteErrorCode)
 * and exits non-zero; ssh.ts turns that into a RemoteError.
 *
 * Liveness is "pid alive and its start time (field 22 of /proc/PID/stat)
 * unchanged and not a zombie": a reused pid or a finished job that has not
 * been reaped yet is not taken for a live job.
 */

/** Shared helpers, prepended to the scripts that need them. */
const PRELUDE = `
set -u
# alive PID START: the process exists, is no zombie, and started at START.
alive() {
  local st
  st=$(cut -d' ' -f3,22 "/proc/$1/stat" 2>/dev/null) || return 1
  set -- "$2" $st
  [ "$3" = "$1" ] && [ "$2" != Z ]
}
free_kib() { df -Pk . | awk 'NR==2 {print $4}'; }
mount_of() { df -P . | awk 'NR==2 {print $6}'; }
`;

/** ARGS: root. Prints the absolute root, creating it. */
export const ROOT = `
set -u
mkdir -p -- "$1" && cd -- "$1" && pwd
`;

/**
 * ARGS: root, package dir (relative to root), disk path. Runs check_host
 * with the host's own python3.
 */
export const CHECK_HOST = `
set -u
cd -- "$1" || exit 10
if ! command -v python3 >/dev/null 2>&1; then
  echo "qds-error no-python: python3 is not on the login PATH of $(whoami)@$(hostname) (PATH=$PATH)" >&2
  exit 3
fi
PYTHONPATH="$PWD/$2" exec python3 -m qds_remote.check_host "$3"
`;

/** ARGS: root, package dir, torch variant ("cpu" | "cuda"). Builds or reuses the venv. */
export const PREPARE = `
set -u
cd -- "$1" || exit 10
exec bash "$2/prepare_env.sh" "$PWD/venvs" "$2/requirements.txt" "$2/requirements-torch-$3.txt"
`;

/**
 * ARGS: root, job dir, venv python, package dir, min free KiB, job.json as base64.
 * Starts the job detached (setsid nohup: its own session and process group,
 * no terminal, stdin from /dev/null) unless a live one is there already.
 * Prints "RUNNING|STARTED PID START".
 */
export const LAUNCH = `${PRELUDE}
cd -- "$1" || exit 10
root=$PWD
mkdir -p -- "$2" 2>/dev/null || { echo "qds-error disk-full: cannot create $root/$2 ($(free_kib) KiB free on $(mount_of))" >&2; exit 5; }
cd -- "$2" || exit 10
if [ -f pid ] && [ ! -f exit_code ]; then
  read -r p s < pid
  if alive "$p" "$s"; then echo "RUNNING $p $s"; exit 0; fi
fi
free=$(free_kib)
if [ "$free" -lt "$5" ]; then
  echo "qds-error disk-full: only $free KiB free on $(mount_of) (the job folder $root/$2 needs at least $5 KiB)" >&2
  exit 5
fi
if ! { printf '%s' "$6" | base64 -d > job.json.tmp && mv job.json.tmp job.json; } 2>/dev/null; then
  rm -f job.json.tmp
  echo "qds-error disk-full: cannot write $root/$2/job.json ($(free_kib) KiB free on $(mount_of))" >&2
  exit 5
fi
rm -f exit_code exit_code.tmp cancel preempt
export QDS_REMOTE_ROOT="$root" PYTHONPATH="$root/$4"
# The job writes exit_code last; "$0" is the venv python (no quoting games).
setsid nohup bash -c '"$0" -m qds_remote.run . ; echo $? > exit_code.tmp && mv exit_code.tmp exit_code' "$3" </dev/null >>job.log 2>&1 &
p=$!
s=$(cut -d' ' -f22 "/proc/$p/stat")
echo "$p $s" > pid.tmp && mv pid.tmp pid
echo "STARTED $p $s"
`;

/**
 * ARGS: root, job dir. Prints KEY VALUE lines: EXIT (maybe empty), ALIVE 0|1,
 * CANCEL 0|1, DISK free KiB, STATUS json, then LOG and the log's tail.
 */
export const POLL = `${PRELUDE}
cd -- "$1/$2" 2>/dev/null || { echo "MISSING"; exit 0; }
ec=$(cat exit_code 2>/dev/null)
live=0
if [ -z "$ec" ] && [ -f pid ]; then
  read -r p s < pid
  alive "$p" "$s" && live=1
  # It may have finished between the two looks.
  [ "$live" = 0 ] && ec=$(cat exit_code 2>/dev/null)
fi
echo "EXIT $ec"
echo "ALIVE $live"
echo "CANCEL $([ -f cancel ] && echo 1 || echo 0)"
echo "DISK $(free_kib) $(mount_of)"
# 2>/dev/null first: a redirection error (no status.json yet, job still queued) is reported on the
# stderr in effect at that moment, and failed the whole poll when it came second.
echo "STATUS $(tr -d '\\n' 2>/dev/null < status.json || true)"
echo "LOG"
# A job still queued (Slurm) has no job.log yet: that is no failure of the poll.
tail -c 1500 job.log 2>/dev/null || true
`;

/** ARGS: root, job dir, offset, max bytes. Raw bytes of events.jsonl from offset. */
export const EVENTS = `
set -u
cd -- "$1/$2" 2>/dev/null || exit 0
[ -f events.jsonl ] || exit 0
tail -c +$(($3 + 1)) events.jsonl | head -c "$4"
`;

/**
 * ARGS: root, job dir, grace seconds. Touches cancel, gives the job the grace
 * period to stop on its own, then TERM and KILL to its process group. Prints
 * "LEFT N": processes of the group still present afterwards.
 */
export const CANCEL = `${PRELUDE}
cd -- "$1/$2" 2>/dev/null || { echo "LEFT 0"; exit 0; }
touch cancel
[ -f pid ] || { echo "LEFT 0"; exit 0; }
read -r p s < pid
group_left() { pgrep -g "$p" 2>/dev/null | wc -l; }
i=0
while alive "$p" "$s" && [ "$i" -lt $(($3 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
if [ "$(group_left)" -gt 0 ]; then
  kill -TERM -- "-$p" 2>/dev/null
  i=0
  while [ "$(group_left)" -gt 0 ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL -- "-$p" 2>/dev/null
  sleep 0.2
fi
echo "LEFT $(group_left)"
`;

/** Slurm job states in which the job will still run (or runs). */
const SLURM_ACTIVE =
  "PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SUSPENDED|SIGNALING|STAGE_OUT";

/** Sets SLURM_CONF when "$1" is not empty, and `slurm_state ID` (empty once Slurm forgot the job). */
const SLURM_PRELUDE = `${PRELUDE}
if [ -n "$1" ]; then export SLURM_CONF="$1"; fi
shift
slurm_state() {
  squeue -h -t all -j "$1" -o %T 2>/dev/null | head -n 1
}
`;

/**
 * ARGS: slurm.conf (or ""), root, job dir, venv python, package dir, min free KiB,
 * job.json as base64, signal seconds, sbatch options…
 * Submits the job with sbatch unless the folder's Slurm job is still active.
 * A preemption notice or time limit (USR1 to the batch shell) becomes the
 * job folder's `preempt` file, which the trainer polls at every step like
 * `cancel`: it checkpoints and exits 75, and the script requeues the job
 * and leaves no exit_code. A file rather than a signal forwarded to Python,
 * because a notice can come while Python is still starting (before any
 * handler of its own), where USR1 would kill it; the trap is the script's
 * first command, so only the few milliseconds before bash reads it remain
 * exposed (bash's own default for USR1 is to exit). Prints
 * "RUNNING|STARTED SLURM_ID".
 */
export const SBATCH = `${SLURM_PRELUDE}
cd -- "$1" || exit 10
root=$PWD
mkdir -p -- "$2" 2>/dev/null || { echo "qds-error disk-full: cannot create $root/$2 ($(free_kib) KiB free on $(mount_of))" >&2; exit 5; }
cd -- "$2" || exit 10
if [ -f slurm_job_id ] && [ ! -f exit_code ]; then
  id=$(cat slurm_job_id)
  case "$(slurm_state "$id")" in ${SLURM_ACTIVE}) echo "RUNNING $id"; exit 0 ;; esac
fi
free=$(free_kib)
if [ "$free" -lt "$5" ]; then
  echo "qds-error disk-full: only $free KiB free on $(mount_of) (the job folder $root/$2 needs at least $5 KiB)" >&2
  exit 5
fi
if ! { printf '%s' "$6" | base64 -d > job.json.tmp && mv job.json.tmp job.json; } 2>/dev/null; then
  echo "qds-error disk-full: cannot write $root/$2/job.json ($(free_kib) KiB free on $(mount_of))" >&2
  exit 5
fi
{
  echo '#!/bin/bash'
  echo "trap 'touch preempt' USR1"
  printf 'export QDS_REMOTE_ROOT=%q PYTHONPATH=%q\\n' "$root" "$root/$4"
  printf 'py=%q\\n' "$3"
  cat <<'BODY'
"$py" -m qds_remote.run . &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
while wait "$child"; [ $? -gt 128 ] && kill -0 "$child" 2>/dev/null; do :; done
wait "$child"
ec=$?
if [ "$ec" = 75 ]; then rm -f preempt; scontrol requeue "$SLURM_JOB_ID"; exit 0; fi
echo "$ec" > exit_code.tmp && mv exit_code.tmp exit_code
BODY
} > job.sbatch
rm -f exit_code exit_code.tmp cancel preempt
sig=$7
shift 7
id=$(sbatch --parsable --job-name="qds-$(basename "$PWD")" --output="$PWD/job.log" --open-mode=append \\
  --requeue --signal="B:USR1@$sig" --chdir="$PWD" "$@" job.sbatch 2>sbatch.err) || {
  echo "qds-error slurm: sbatch refused the job: $(tail -n 3 sbatch.err | tr '\\n' ' ')" >&2
  exit 6
}
id=\${id%%;*}
echo "$id" > slurm_job_id
echo "STARTED $id"
`;

/** ARGS: slurm.conf (or ""), Slurm job id. Prints the job's Slurm state (empty when unknown). */
export const SLURM_STATE = `${SLURM_PRELUDE}
echo "STATE $(slurm_state "$1")"
`;

/**
 * ARGS: slurm.conf (or ""), root, job dir, grace seconds. Touches cancel, waits
 * the grace period for the job to stop by itself, then scancel; prints
 * "STATE <final Slurm state>".
 */
export const SCANCEL = `${SLURM_PRELUDE}
cd -- "$1/$2" 2>/dev/null || { echo "STATE "; exit 0; }
touch cancel
id=$(cat slurm_job_id 2>/dev/null) || { echo "STATE "; exit 0; }
active() { case "$(slurm_state "$id")" in ${SLURM_ACTIVE}) return 0 ;; *) return 1 ;; esac; }
i=0
while active && [ ! -f exit_code ] && [ "$i" -lt $(($3 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
if active; then
  scancel "$id"
  i=0
  while active && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
fi
echo "STATE $(slurm_state "$id")"
`;
