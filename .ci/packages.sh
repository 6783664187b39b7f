#!/usr/bin/env bash
# Checks every public package as npm would publish it: publint (package.json
# exports, files, types) and Are The Types Wrong (ESM-only profile: the types
# resolve for every export under node16/bundler resolution). Run after a build.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
export npm_config_loglevel=error # npm pack complains about pnpm's env settings
for dir in packages/*/; do
  pkg="$dir/package.json"
  [ -f "$pkg" ] || continue
  if node -e "process.exit(require('./$pkg').private ? 0 : 1)"; then continue; fi
  name=$(node -p "require('./$pkg').name")
  echo "== $name"
  npx publint "$dir" --strict --pack npm || status=1
  npx attw --pack "$dir" --profile esm-only --format ascii || status=1
done
exit $status
