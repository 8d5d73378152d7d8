#!/usr/bin/env bash
# The bundled program, built by esbuild from the same src/ as dist/src/ (`npm run build` runs this
# after tsc); what `scripts/audit-once.sh`, the package's `bin` and the single executable run
# (packaging/build.sh takes these files):
#   dist/bundle/cli.js           the launcher (src/launch.ts)
#   dist/bundle/app.js           the program (src/cli.ts), with the packages every run needs
#   dist/bundle/daemon-packages.js  the packages only the daemon needs (src/daemon-packages.ts)
#   dist/bundle/*.cache          V8's code cache of each after a training audit, for this node with
#                                its default flags (src/code-cache.ts, scripts/train-code-cache.ts)
#   dist/bundle/audit-worker.js  the daemon's audit worker thread (src/audit-worker.ts)
# CommonJS, as a single executable needs, so the run from source is the same program; the
# package.json beside them says so to node. import.meta.url and .dirname become the file's own;
# import.meta.main is false, as no bundle is the entry module (src/cli.ts). Resolving and loading
# ~80 ES modules was ~16 % of a `--once` from dist/src/.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/bundle
mkdir -p dist/bundle
# Any other use of import.meta would be empty in CommonJS: an error, not esbuild's warning.
common=(--bundle --platform=node --target=node24 --format=cjs --minify --legal-comments=none --log-level=warning
  --log-override:empty-import-meta=error
  --define:import.meta.dirname=__dirname --define:import.meta.url=__importMetaUrl --define:import.meta.main=false
  '--banner:js=var __importMetaUrl=require("node:url").pathToFileURL(__filename).href;')
# The packages of src/code-cache.ts's DAEMON_PACKAGES stay out of app.js.
npx esbuild cli=src/launch.ts app=src/cli.ts "${common[@]}" --outdir=dist/bundle \
  --external:fastify --external:prom-client --external:bcryptjs
npx esbuild daemon-packages=src/daemon-packages.ts audit-worker=src/audit-worker.ts "${common[@]}" --outdir=dist/bundle
echo '{"type": "commonjs"}' > dist/bundle/package.json
# The trainer stays in dist/ for packaging/build.sh, which trains the single executable's caches.
npx esbuild scripts/train-code-cache.ts "${common[@]}" --outfile=dist/train-code-cache.cjs
node dist/train-code-cache.cjs dist/bundle dist/bundle test/fixtures/hosts/kubeadm-1.34-control-plane >/dev/null
