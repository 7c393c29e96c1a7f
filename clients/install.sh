#!/usr/bin/env bash
# clients/install.sh: make the browser harness in clients/test runnable. Idempotent; `./cascade test`
# calls it before the integration suite.
#
#   - Debian's Chromium at /usr/bin/chromium (installed with apt when missing; needs root).
#   - clients/test/node_modules from package-lock.json (`npm ci`, only when missing or stale).
#
# It never downloads a browser: the harness uses playwright-core, which ships no browser and
# has no install script, and we set PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 besides.
set -euo pipefail
cd "$(dirname "$0")"
CLIENTS=$(pwd)
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
NODE_MAJOR_MIN=20

log() { printf '\033[1;34m[clients]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[clients]\033[0m %s\n' "$*" >&2; exit 1; }

apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to install Debian packages: $* (or install them yourself)"
  export DEBIAN_FRONTEND=noninteractive
  # Try with the package lists we have; refresh them once if that fails (missing or stale lists).
  if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    log "apt-get update"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

# 1. Chromium ------------------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  [ "$CHROMIUM" = /usr/bin/chromium ] || die "CHROMIUM_PATH=$CHROMIUM is not an executable"
  log "installing Debian package: chromium"
  apt_install chromium
  [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM is missing"
fi

# 2. Node ----------------------------------------------------------------------------------
command -v node >/dev/null || die "node (>= $NODE_MAJOR_MIN) is not installed"
command -v npm >/dev/null || die "npm is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge "$NODE_MAJOR_MIN" ] || die "node $(node --version) is too old: playwright-core needs >= $NODE_MAJOR_MIN"

# 3. npm ci when node_modules is missing or does not match package-lock.json -----------------
cd "$CLIENTS/test"
stamp=node_modules/.cascade-lock.sha256
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d node_modules/playwright-core ]; then
  log "npm ci in clients/test"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

log "ready: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"), node $(node --version), playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version')"
