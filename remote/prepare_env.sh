#!/usr/bin/env bash
# Builds the venv the remote scripts run in, once: its folder is named by a
# hash of the python version and the requirement files given, so a host
# reuses it until the pins change. Safe to run twice at once (flock) and
# after a crash (the venv counts only once `.ready` exists, written last).
#
#   prepare_env.sh VENVS_DIR REQUIREMENTS.txt...
#
# Prints one JSON line {"python", "hash", "cached", "seconds"}. Exit codes:
# 3 no python3, 4 pip failed, 5 disk full; the cause is on stderr.
#
# pip: a machine whose pip config lists local indexes only as
# extra-index-url would still try the public index first (minutes of
# retries without network), so the configured extra indexes become the
# primary ones for this install, and failed connections are not retried.
set -euo pipefail
venvs=$1
shift
py=${QDS_PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "qds-error no-python: no '$py' on the login PATH ($PATH)" >&2
  exit 3
fi
start=$(date +%s%N)
pyver=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
hash=$({ echo "python $pyver"; cat "$@"; } | sha256sum | cut -c1-16)
dir=$venvs/$hash
mkdir -p "$venvs"
exec 9>"$venvs/$hash.lock"
flock 9
cached=true
if [ ! -f "$dir/.ready" ]; then
  cached=false
  rm -rf "$dir"
  reqs=()
  for f in "$@"; do reqs+=(-r "$f"); done
  log=$venvs/$hash.pip.log
  extra=$("$py" -m pip config get global.extra-index-url 2>/dev/null || true)
  if [ -n "$extra" ]; then
    read -r first rest <<<"$extra"
    export PIP_INDEX_URL=$first
    if [ -n "$rest" ]; then export PIP_EXTRA_INDEX_URL=$rest; fi
  fi
  export PIP_RETRIES=0 PIP_DISABLE_PIP_VERSION_CHECK=1
  if ! { "$py" -m venv "$dir" && "$dir/bin/python" -m pip install -q "${reqs[@]}"; } >"$log" 2>&1; then
    if grep -q "No space left on device" "$log"; then
      echo "qds-error disk-full: no space left while building the venv in $dir ($(df -Pk "$venvs" | awk 'NR==2{print $4}') KiB free)" >&2
      rm -rf "$dir"
      exit 5
    fi
    echo "qds-error env: pip could not build the venv in $dir; last lines of $log:" >&2
    tail -n 15 "$log" >&2
    exit 4
  fi
  touch "$dir/.ready"
fi
end=$(date +%s%N)
printf '{"python": "%s", "hash": "%s", "cached": %s, "seconds": %s}\n' \
  "$dir/bin/python" "$hash" "$cached" "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", (b-a)/1e9}')"
