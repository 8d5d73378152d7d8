// Builds fake roots (a directory shaped like `/` with a `proc/` shaped like the kernel's) in a
// temp dir, for what git cannot hold: FIFOs, symlink loops, huge files, NUL-separated argv.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commOf, procPidStat, procStat, procStatus } from '../../scripts/fixture-hosts/proc.js';

export interface FakeProcess {
  argv: Array<string | Buffer>;
  /** Target of the `cwd` link, as the process sees it. */
  cwd?: string;
  exe?: string;
  environ?: Record<string, string>;
  uid?: number;
  /** Field 22 of `stat`, in clock ticks since boot. */
  startTicks?: number;
  comm?: string;
  /** Socket inodes the process holds, as `fd/<n>` → `socket:[inode]`. */
  sockets?: number[];
}

export interface FakeRoot {
  root: string;
  proc: string;
  /** Writes a file under the root (or under proc, for `proc/...` paths). */
  write(relative: string, content: string | Buffer): string;
  link(relative: string, target: string): void;
  mkdir(relative: string): string;
  addProcess(pid: number, spec: FakeProcess): void;
  remove(): void;
}

/** A procfs `stat` line (the fixture generator's, scripts/fixture-hosts/proc.ts) with start time `ticks` in field 22. */
export function statLine(pid: number, comm: string, ticks: number): string {
  return procPidStat({ pid, ppid: 1, argv: [comm], comm }, ticks);
}

export function makeFakeRoot(): FakeRoot {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-collect-'));
  const proc = path.join(root, 'proc');
  fs.mkdirSync(proc);
  const full = (relative: string) => path.join(root, relative);
  const write = (relative: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(full(relative)), { recursive: true });
    fs.writeFileSync(full(relative), content);
    return full(relative);
  };
  const link = (relative: string, target: string) => {
    fs.mkdirSync(path.dirname(full(relative)), { recursive: true });
    fs.symlinkSync(target, full(relative));
  };
  write('proc/stat', procStat(1780000000));
  return {
    root,
    proc,
    write,
    link,
    mkdir: (relative) => {
      fs.mkdirSync(full(relative), { recursive: true });
      return full(relative);
    },
    addProcess(pid, spec) {
      const dir = `proc/${pid}`;
      const argv = Buffer.concat(
        spec.argv.flatMap((a) => [typeof a === 'string' ? Buffer.from(a) : a, Buffer.from([0])]),
      );
      write(`${dir}/cmdline`, argv);
      // The kernel formats are the fixture generator's (scripts/fixture-hosts/proc.ts), written once.
      const kernel = {
        pid,
        ppid: 1,
        argv: [String(spec.argv[0] ?? '')],
        ...(spec.comm !== undefined && { comm: spec.comm }),
        uid: spec.uid ?? 0,
      };
      write(`${dir}/comm`, `${commOf(kernel)}\n`);
      write(`${dir}/status`, procStatus(kernel));
      write(`${dir}/stat`, procPidStat(kernel, spec.startTicks ?? 1500));
      if (spec.cwd !== undefined) link(`${dir}/cwd`, spec.cwd);
      if (spec.exe !== undefined) link(`${dir}/exe`, spec.exe);
      // As on a fake tree copied from a host: an ordinary link to `/`, which must never be followed.
      link(`${dir}/root`, '/');
      if (spec.environ !== undefined) {
        write(
          `${dir}/environ`,
          Object.entries(spec.environ)
            .map(([k, v]) => `${k}=${v}\0`)
            .join(''),
        );
      }
      fs.mkdirSync(full(`${dir}/fd`), { recursive: true });
      link(`${dir}/fd/0`, '/dev/null');
      (spec.sockets ?? []).forEach((inode, i) => link(`${dir}/fd/${i + 3}`, `socket:[${inode}]`));
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

// Lines in the kernel's format (copied from a Linux 6.x host's /proc/net/tcp and tcp6, with the
// addresses and inodes changed): LISTEN is state 0A, addresses are little-endian 32-bit words.
export const NET_TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
  '   0: 0100007F:094B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30001 1 0000000000000000 100 0 0 10 0                      ',
  '   1: 0500000A:094B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30002 1 0000000000000000 100 0 0 10 0                      ',
  '   2: 00000000:094C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30003 1 0000000000000000 100 0 0 10 0                      ',
  '   3: 0100007F:094B 0100007F:C350 01 00000000:00000000 02:000A7B1C 00000000     0        0 30004 2 0000000000000000 20 4 30 10 -1                    ',
  '',
].join('\n');

export const NET_TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:192B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30010 1 0000000000000000 100 0 0 10 0',
  '   1: 00000000000000000000000001000000:2808 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30011 1 0000000000000000 100 0 0 10 0',
  '   2: 0000000000000000FFFF00000500000A:280A 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30012 1 0000000000000000 100 0 0 10 0',
  '   3: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 30013 1 0000000000000000 100 0 0 10 0',
  '',
].join('\n');

/** The shape of a real /proc/net/fib_trie, with a node address 10.0.0.5. */
export const FIB_TRIE = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.0.0.0/24 2 0 2
        +-- 10.0.0.0/29 2 0 2
           |-- 10.0.0.0
              /24 link UNICAST
           |-- 10.0.0.5
              /32 host LOCAL
        |-- 10.0.0.255
           /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
Local:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.0.0.0/24 2 0 2
        +-- 10.0.0.0/29 2 0 2
           |-- 10.0.0.0
              /24 link UNICAST
           |-- 10.0.0.5
              /32 host LOCAL
        |-- 10.0.0.255
           /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
`;

export const IF_INET6 = `fd000000000000000000000000000002 04 40 00 82     eth0
fe8000000000000000fc00fffe000001 04 40 20 80     eth0
00000000000000000000000000000001 01 80 10 80       lo
`;
