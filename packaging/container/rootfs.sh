#!/usr/bin/env bash
# Assembles the container image's root filesystem: the single executable and exactly the shared
# libraries `ldd` lists for it (with the dynamic loader), nothing else; the Containerfile copies
# this tree onto `scratch`. A distroless base turned out to lack one of them (libatomic.so.1 for
# the official Node.js 26 build: exit 127); reading the list from the executable itself cannot.
# Usage: packaging/container/rootfs.sh [EXECUTABLE [DIR]]   (defaults: out/scs-node-audit out/rootfs)
# packaging/build.sh runs it; test/packaging/deb.test.ts chroots into the result.
set -euo pipefail
cd "$(dirname "$0")/../.."

executable=${1:-out/scs-node-audit}
rootfs=${2:-out/rootfs}
[ -x "$executable" ] || { echo "rootfs.sh: $executable: no executable (run packaging/build.sh first)" >&2; exit 1; }

rm -rf "$rootfs"
install -D -m 0755 "$executable" "$rootfs/usr/bin/scs-node-audit"

# `ldd` prints "name => /path (addr)" per library and "/path (addr)" for the loader; the vDSO
# (linux-vdso.so.1) has no file. A library that is "not found" here would be missing in the image.
libraries=$(ldd "$executable")
if grep -q 'not found' <<<"$libraries"; then
  echo "rootfs.sh: $executable needs libraries this machine lacks:" >&2
  grep 'not found' <<<"$libraries" >&2
  exit 1
fi
while read -r library; do
  # Copied to the path the loader will look for, as a regular file (symlinks resolved: a link
  # target outside the tree would dangle).
  install -D -m 0644 "$(readlink -f "$library")" "$rootfs$library"
done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$libraries" | sort -u)
chmod 0755 "$rootfs"/lib64/ld-linux-*.so.* 2>/dev/null || true

# Mount points the pod spec uses; a runtime would create them, but an empty directory costs nothing
# and keeps the tree usable for a plain chroot. /tmp for Node's os.tmpdir().
mkdir -p "$rootfs/proc" "$rootfs/host" "$rootfs/etc/scs-node-audit" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
find "$rootfs" -type f -printf '%P\n' | sort >&2
