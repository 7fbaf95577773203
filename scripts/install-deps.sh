#!/usr/bin/env bash
# Idempotent set-up shared by every README command: Debian packages the
# product needs at run time (python3 runs the reference solutions) and the
# npm packages from package-lock.json. Safe to call again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# The webview tests (unit layer) and the integration host drive Debian's headless Chromium.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Install only when node_modules is missing or older than the lock file.
# HACK: `npm install`, not `npm ci`: npm 11 writes lock files without the
# other platforms' optional packages (e.g. @biomejs/cli-darwin-x64) and then
# its own `npm ci` rejects them as out of sync. `npm install` still installs
# the locked versions and leaves package-lock.json unchanged.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm install (locked versions)"
  npm install --no-audit --no-fund --loglevel=error
fi
