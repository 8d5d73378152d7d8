#!/usr/bin/env bash
# Set-up command 1 of the README: audit this host once from a fresh clone.
# Brings a supported Node.js (see .ci/node.sh), installs the npm packages, builds, runs --once.
# Extra arguments go to scs-node-audit, e.g. `bash scripts/audit-once.sh --format json`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../.ci/node.sh
. .ci/node.sh
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error >&2
npm run --silent build >&2
exec node dist/bundle/cli.js --once "$@"
