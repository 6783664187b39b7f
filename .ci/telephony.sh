#!/usr/bin/env bash
# Installs what the telephony tests need: rtpengine (Debian rtpengine-daemon, run by the tests themselves in
# userspace mode on 127.0.0.1) and sipp (Debian sip-tester, for the drachtio-server end-to-end suite).
# Idempotent and non-interactive; starts nothing that outlives it.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v rtpengine >/dev/null 2>&1 || need+=(rtpengine-daemon)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)

if [ "${#need[@]}" -eq 0 ]; then
  echo "telephony: rtpengine and sipp already installed"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  # Only refresh the package lists when a package is not known yet.
  if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  echo "telephony: installing ${need[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  # The Debian package enables a system service that wants the kernel module: the tests run their own
  # daemon, so stop the packaged one if the installer started it (never fail on this).
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet rtpengine-daemon 2>/dev/null; then
    $SUDO systemctl stop rtpengine-daemon || true
  fi
fi

rtpengine --version 2>&1 | head -1
sipp -v 2>&1 | grep -m1 SIPp || true
if [ -n "${DRACHTIO_BIN:-}" ]; then
  echo "telephony: DRACHTIO_BIN=${DRACHTIO_BIN}: the real SIP end-to-end suite will run"
else
  echo "telephony: DRACHTIO_BIN is not set: the real SIP end-to-end suite will be SKIPPED (reported loudly)"
fi
