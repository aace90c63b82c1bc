#!/usr/bin/env bash
# Prepare the browser tests: Debian's chromium and the pinned axe-core from package-lock.json.
# Idempotent: does nothing that is already done. Never runs `playwright install` (it would try
# to download a browser build; we drive the distribution's chromium instead).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-setup: installing chromium with apt-get"
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser-setup: chromium is missing and apt-get needs root; run as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "browser-setup: installing npm with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

wanted="$(node -p "require('./package-lock.json').packages['node_modules/axe-core'].version")"
have=""
if [ -f node_modules/axe-core/package.json ]; then
    have="$(node -p "require('./node_modules/axe-core/package.json').version")"
fi
if [ "$have" != "$wanted" ]; then
    echo "browser-setup: npm ci (axe-core $wanted)"
    npm ci --no-audit --no-fund --loglevel=error
fi

echo "browser-setup: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), axe-core $wanted"
