// Writes one host (a HostSpec) as a fake root: /proc in kernel format, then the host's files.
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeJournal } from '../journal-fixture.js';
import {
  AUDIT_TIME_S,
  BOOT_TIME_S,
  commOf,
  procNetFibTrie,
  procNetIfInet6,
  procNetTcp,
  procNetTcp6,
  procPidStat,
  procStat,
  procStatus,
  type Socket,
} from './proc.js';
import { HAND_WRITTEN } from './paths.js';
import type { HostSpec } from './spec.js';

export function writeFile(root: string, relative: string, content: string | Buffer): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

export function writeSymlink(root: string, relative: string, target: string): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  symlinkSync(target, full);
}

/**
 * Writes `host` into `<hostsDir>/<host.name>/`. Everything there but the hand-written files
 * (README.md, expected.json, audit-config.yaml) is replaced, so a path the generator no longer
 * writes does not linger.
 */
export function buildHost(host: HostSpec, hostsDir: string): void {
  const root = path.join(hostsDir, host.name);
  mkdirSync(root, { recursive: true });
  for (const top of readdirSync(root))
    if (!HAND_WRITTEN.includes(top)) rmSync(path.join(root, top), { recursive: true, force: true });

  let inode = 31000;
  const sockets: Socket[] = [];
  if (!host.offline) {
    for (const p of host.processes) {
      const dir = `proc/${p.pid}`;
      writeFile(root, `${dir}/cmdline`, `${p.argv.join('\0')}\0`);
      writeFile(root, `${dir}/comm`, `${commOf(p)}\n`);
      writeFile(root, `${dir}/status`, procStatus(p));
      writeFile(root, `${dir}/stat`, procPidStat(p));
      writeSymlink(root, `${dir}/cwd`, p.cwd ?? '/');
      // In a fake tree `root` is an ordinary link to the real `/`: collect must never follow it.
      writeSymlink(root, `${dir}/root`, '/');
      writeSymlink(root, `${dir}/exe`, p.exe ?? p.argv[0]!);
      if (p.environ) writeFile(root, `${dir}/environ`, `${p.environ.join('\0')}\0`);
      writeSymlink(root, `${dir}/fd/0`, '/dev/null');
      writeSymlink(root, `${dir}/fd/1`, `pipe:[${inode++}]`);
      writeSymlink(root, `${dir}/fd/2`, `pipe:[${inode++}]`);
      let fd = 3;
      for (const l of p.listens ?? []) {
        const socketInode = inode++;
        sockets.push({
          v6: l.address.includes(':'),
          address: l.address,
          port: l.port,
          inode: socketInode,
          uid: p.uid ?? 0,
        });
        writeSymlink(root, `${dir}/fd/${fd++}`, `socket:[${socketInode}]`);
      }
      // An established connection: a socket inode that is not in the LISTEN tables.
      writeSymlink(root, `${dir}/fd/${fd++}`, `socket:[${inode++}]`);
      writeSymlink(root, `${dir}/fd/${fd}`, `anon_inode:[eventpoll]`);
    }
    const net = {
      tcp: procNetTcp(sockets.filter((s) => !s.v6)),
      tcp6: procNetTcp6(sockets.filter((s) => s.v6)),
      fib_trie: procNetFibTrie(host),
      if_inet6: procNetIfInet6(host),
    };
    // /proc/net is the reader's network namespace, /proc/1/net the host's; in a host-network
    // audit both show the same sockets.
    for (const [name, content] of Object.entries(net)) {
      writeFile(root, `proc/net/${name}`, content);
      writeFile(root, `proc/1/net/${name}`, content);
    }
    writeFile(root, 'proc/stat', procStat());
    writeFile(root, 'proc/uptime', `${AUDIT_TIME_S - BOOT_TIME_S}.42 1581234.10\n`);
    writeFile(root, 'proc/sys/kernel/hostname', `${host.hostname}\n`);
  }
  writeFile(root, 'etc/hostname', `${host.hostname}\n`);
  for (const [p, spec] of Object.entries(host.files)) {
    const relative = p.replace(/^\//, '');
    if (typeof spec === 'string') writeFile(root, relative, spec);
    else if ('executable' in spec) {
      writeFile(root, relative, spec.executable);
      chmodSync(path.join(root, relative), 0o755);
    } else if ('journal' in spec) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeJournal(path.join(root, relative), spec.journal);
    } else writeSymlink(root, relative, spec.symlink);
  }
}
