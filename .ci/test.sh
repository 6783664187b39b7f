#!/usr/bin/env bash
# The whole test suite, with the real services it needs. This is what
# `pnpm test` runs, on a developer's machine and in CI alike:
#   - PostgreSQL from Debian on 127.0.0.1 with a throwaway database (.ci/postgres.sh),
#   - rtpengine and sipp from Debian for the media tests (.ci/telephony.sh),
#   - Chromium from Debian for the browser tests of the contact-center example (.ci/chromium.sh),
# then it builds every package and runs every vitest project.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .ci/telephony.sh ]; then bash .ci/telephony.sh; fi
if [ -f .ci/chromium.sh ]; then bash .ci/chromium.sh; fi
if [ -z "${SWITCHBOARD_PG_URL:-}" ] && [ -f .ci/postgres.sh ]; then
  # shellcheck source=/dev/null
  source .ci/postgres.sh
fi

pnpm run build
vitest run "$@"
