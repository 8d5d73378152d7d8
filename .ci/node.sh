# Sourced by .ci/run and scripts/audit-once.sh: puts a supported Node.js LTS on the PATH.
# The machine's own node may be older (Debian 12 ships 18, this CI image 20, both end of life);
# then the official build from the npm registry package node-linux-<arch> is unpacked once into
# a cache (/var/cache/scs-node-audit as root, else ~/.cache/scs-node-audit) and put first on
# PATH. npm itself runs on whichever node is first on PATH.
NODE_LTS_VERSION=24.22.3   # newest patch of the 24 LTS line; package.json engines asks for >= 24.11
NODE_LTS_MAJOR=${NODE_LTS_VERSION%%.*}

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$NODE_LTS_MAJOR" ]; then
  case $(uname -m) in
    x86_64) node_arch=x64 ;;
    aarch64) node_arch=arm64 ;;
    *) echo "node.sh: no Node.js $NODE_LTS_MAJOR build for $(uname -m); install Node.js >= $NODE_LTS_MAJOR yourself" >&2; return 1 ;;
  esac
  # As root, /var/cache: root's home is 0700, and tests run the same node as other users
  # (e.g. `nobody`) to prove what an unprivileged auditor can and cannot read.
  if [ "$(id -u)" -eq 0 ]; then node_cache=/var/cache/scs-node-audit; else node_cache=${XDG_CACHE_HOME:-$HOME/.cache}/scs-node-audit; fi
  node_dir=$node_cache/node-$NODE_LTS_VERSION-$node_arch
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "node.sh: the machine's node is $(node --version 2>/dev/null || echo missing); fetching Node.js $NODE_LTS_VERSION (npm package node-linux-$node_arch)" >&2
    node_tmp=$(mktemp -d)
    (cd "$node_tmp" && npm pack --silent "node-linux-$node_arch@$NODE_LTS_VERSION" >/dev/null) &&
      tar -xzf "$node_tmp"/node-linux-*.tgz -C "$node_tmp" package/bin/node package/LICENSE &&
      chmod -R a+rX "$node_tmp/package" && mkdir -p -m 0755 "$node_cache" &&
      rm -rf "$node_dir" && mv "$node_tmp/package" "$node_dir"
    node_status=$?
    rm -rf "$node_tmp"
    [ "$node_status" -eq 0 ] || { echo "node.sh: could not fetch Node.js $NODE_LTS_VERSION" >&2; return 1; }
  fi
  export PATH="$node_dir/bin:$PATH"
fi
unset node_major node_arch node_cache node_dir node_tmp node_status
