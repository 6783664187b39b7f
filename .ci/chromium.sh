#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium at /usr/bin/chromium, driven headless by
# playwright-core (no browser download: playwright-core uses the system binary). Idempotent and
# non-interactive; starts nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if [ -x /usr/bin/chromium ]; then
  echo "browser: chromium already installed"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! apt-cache show chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  echo "browser: installing chromium"
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
fi
/usr/bin/chromium --version 2>/dev/null | head -1 || true
