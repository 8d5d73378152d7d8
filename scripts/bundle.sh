#!/usr/bin/env bash
# The run from source, bundled: dist/bundle/cli.js and the chunks it imports on demand, built by
# esbuild from the same src/ as dist/src/ (`npm run build` runs this after tsc). Resolving and
# loading ~80 ES modules is ~16 % of a `--once` from dist/src/; one small entry that turns on
# Node's compile cache and then imports a few chunks (the daemon's fastify and prom-client only
# when it serves) starts ~1.4x faster (README, Install; bench/start.ts). ESM with code splitting,
# so import.meta.url still finds the audit worker beside it (dist/bundle/audit-worker.js); the
# banner gives the CommonJS packages (yaml, fastify) the `require` an ES module lacks.
# The single executable is built separately (packaging/build.sh): a SEA needs one CommonJS file.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/bundle
npx esbuild src/cli.ts src/audit-worker.ts --bundle --splitting --format=esm --platform=node \
  --target=node24 --minify --legal-comments=none --outdir=dist/bundle --log-level=warning \
  "--banner:js=import { createRequire as __scsCreateRequire } from 'node:module'; const require = __scsCreateRequire(import.meta.url);"
