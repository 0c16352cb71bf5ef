#!/usr/bin/env bash
# Installs what tests/search.rs drives: Debian's Chromium and playwright-core
# (pinned in package-lock.json). Idempotent; run by the test itself.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  else
    echo "Chromium is missing: install Debian's chromium package" >&2
    exit 1
  fi
fi
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --ignore-scripts >/dev/null
