#!/usr/bin/env bash
# Idempotent set-up for the remote-host tests (bootstrap runs): Debian's
# openssh-server, rsync, slurm-wlm and munge (the tests start their own
# daemons on loopback; the system services are never used), and the venv the
# remote scripts run in, built by remote/prepare_env.sh into the test remote
# root ($QDS_REMOTE_TEST_ROOT, default ~/.cache/qds/remote-test) so the
# transports' prepare() finds it by hash. Quick when all is there already.
# Prints the venv's python on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${QDS_REMOTE_TEST_ROOT:-$HOME/.cache/qds/remote-test}

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v slurmctld >/dev/null 2>&1 || need+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  echo "remote-env: apt-get install ${need[*]}" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

start=$SECONDS
json=$(bash remote/prepare_env.sh "$root/venvs" remote/requirements.txt remote/requirements-torch-cpu.txt)
py=$(printf '%s' "$json" | sed -E 's/.*"python": "([^"]*)".*/\1/')
echo "remote-env: venv $py ($json; $((SECONDS - start)) s)" >&2
# pytest only for remote/tests; outside the hashed pins so the venv stays the one hosts get.
if ! "$py" -c "import pytest" 2>/dev/null; then
  extra=$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)
  if [ -n "$extra" ]; then
    read -r first rest <<<"$extra"
    export PIP_INDEX_URL=$first
    if [ -n "$rest" ]; then export PIP_EXTRA_INDEX_URL=$rest; fi
  fi
  PIP_RETRIES=0 "$py" -m pip install -q -r remote/requirements-test.txt >&2
fi
echo "$py"
