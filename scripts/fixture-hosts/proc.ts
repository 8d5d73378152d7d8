// /proc in the kernel's own formats (tcp, tcp6, fib_trie, if_inet6, stat, <pid>/status and
// <pid>/stat), each writer citing the kernel function that prints the file. Shared by the fixture
// generator and the fake roots of the collect tests (test/collect/fake-root.ts).
import path from 'node:path';
import type { HostSpec, ProcessSpec } from './spec.js';

/** Fixed clock of the golden test; boot time and process start times are placed before it. */
export const AUDIT_TIME_S = Date.parse('2026-11-29T10:00:00Z') / 1000;

export const BOOT_TIME_S = Date.parse('2026-11-20T06:00:00Z') / 1000;

export const CLOCK_TICKS = 100;

export function ipv4Hex(address: string): string {
  // /proc/net/tcp prints the __be32 as a host-order (little-endian) u32.
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
  return [d, c, b, a]
    .map((n) => n.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

export function expandIpv6(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

export function ipv6Bytes(address: string): number[] {
  return expandIpv6(address).flatMap((group) => [group >> 8, group & 0xff]);
}

export function ipv6Hex(address: string): string {
  // Four u32 words, each printed in host order, as tcp6_seq_show does.
  const bytes = ipv6Bytes(address);
  let out = '';
  for (let w = 0; w < 4; w++) {
    const word = bytes.slice(w * 4, w * 4 + 4).reverse();
    out += word
      .map((n) => n.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
  }
  return out;
}

export function portHex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

export interface Socket {
  v6: boolean;
  address: string;
  port: number;
  inode: number;
  uid: number;
}

/** net/ipv4/tcp_ipv4.c: header and lines padded to TMPSZ-1 = 149 characters. */
export function procNetTcp(sockets: Socket[]): string {
  const pad = (s: string) => s.padEnd(149, ' ');
  const header = pad(
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  );
  const lines = sockets.map((s, i) =>
    pad(
      `${String(i).padStart(4)}: ${ipv4Hex(s.address)}:${portHex(s.port)} 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(s.uid).padStart(5)} ${String(0).padStart(8)} ${s.inode} 1 0000000000000000 100 0 0 10 0`,
    ),
  );
  return [header, ...lines].map((l) => `${l}\n`).join('');
}

/** net/ipv6/tcp_ipv6.c: no padding. */
export function procNetTcp6(sockets: Socket[]): string {
  const header =
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const lines = sockets.map(
    (s, i) =>
      `${String(i).padStart(4)}: ${ipv6Hex(s.address)}:${portHex(s.port)} 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(s.uid).padStart(5)} ${String(0).padStart(8)} ${s.inode} 1 0000000000000000 100 0 0 10 0\n`,
  );
  return header + lines.join('');
}

export function networkOf(address: string, prefix: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 0xff).join('.');
}

export function broadcastOf(address: string, prefix: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const b = ((n & mask) | (~mask >>> 0)) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 0xff).join('.');
}

/**
 * /proc/net/fib_trie as `fib_trie_seq_show` prints it: a child is indented three columns past
 * its parent, `+--` is an inner node ("prefix/len bits full_children empty_children"), `|--` a
 * leaf whose aliases follow one level deeper; `/32 host LOCAL` marks the node's own addresses.
 * The Main and Local tables share one trie since Linux 4.0, so both list the same leaves. The
 * inner-node statistics are plausible, not computed.
 */
export function procNetFibTrie(host: HostSpec): string {
  const lines: string[] = [];
  const at = (indent: number, text: string) => lines.push(`${' '.repeat(indent)}${text}`);
  const leaf = (indent: number, address: string, aliases: string[]) => {
    at(indent, `|-- ${address}`);
    for (const a of aliases) at(indent + 3, a);
  };
  const table = (title: string) => {
    lines.push(`${title}:`);
    at(2, `+-- 0.0.0.0/0 3 0 ${3 + host.ipv4.length}`);
    leaf(5, '0.0.0.0', ['/0 universe UNICAST']);
    // Children are listed in address order, as the trie walk visits them.
    const blocks: { key: number; write: () => void }[] = [
      {
        key: 127,
        write: () => {
          at(5, '+-- 127.0.0.0/8 2 0 2');
          at(8, '+-- 127.0.0.0/31 1 0 0');
          leaf(11, '127.0.0.0', ['/32 link BROADCAST', '/8 host LOCAL']);
          leaf(11, '127.0.0.1', ['/32 host LOCAL']);
          leaf(8, '127.255.255.255', ['/32 link BROADCAST']);
        },
      },
      ...host.ipv4.map((a) => ({
        key: Number(a.address.split('.')[0]),
        write: () => {
          const net = networkOf(a.address, a.prefix);
          at(5, `+-- ${net}/${a.prefix} 2 0 2`);
          at(8, `+-- ${net}/${Math.min(a.prefix + 4, 31)} 2 0 2`);
          leaf(11, net, [`/${a.prefix} link UNICAST`]);
          leaf(11, a.address, ['/32 host LOCAL']);
          leaf(8, broadcastOf(a.address, a.prefix), ['/32 link BROADCAST']);
        },
      })),
    ];
    for (const block of blocks.sort((x, y) => x.key - y.key)) block.write();
  };
  table('Main');
  table('Local');
  return lines.map((l) => `${l}\n`).join('');
}

/** net/ipv6/addrconf.c if6_seq_show: "%pi6 %02x %02x %02x %02x %8s". */
export function procNetIfInet6(host: HostSpec): string {
  const devices = ['lo', ...new Set(host.ipv6.map((a) => a.device))];
  const row = (address: string, prefix: number, scope: string, device: string) =>
    `${ipv6Bytes(address)
      .map((b) => b.toString(16).padStart(2, '0'))
      .join(
        '',
      )} ${(devices.indexOf(device) + 1).toString(16).padStart(2, '0')} ${prefix.toString(16).padStart(2, '0')} ${scope} 80 ${device.padStart(8)}\n`;
  return [row('::1', 128, '10', 'lo'), ...host.ipv6.map((a) => row(a.address, a.prefix, a.scope, a.device))].join('');
}

/** The system-wide /proc/stat (`man 5 proc`): CPU counters, then `btime`, the boot time in seconds since the epoch. */
export function procStat(bootTimeS = BOOT_TIME_S): string {
  const cpu = 'cpu  1841920 1290 512334 71623110 20334 0 10291 0 0 0';
  return [
    cpu,
    'cpu0 921010 640 256101 35811420 10120 0 7123 0 0 0',
    'cpu1 920910 650 256233 35811690 10214 0 3168 0 0 0',
    'intr 429871234 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
    'ctxt 902345112',
    `btime ${bootTimeS}`,
    'processes 412233',
    'procs_running 2',
    'procs_blocked 0',
    'softirq 182734112 0 40123123 112 20111234 0 0 1234 60123123 0 62374285',
    '',
  ].join('\n');
}

export function commOf(p: ProcessSpec): string {
  // TASK_COMM_LEN is 16: the kernel keeps 15 characters.
  return (p.comm ?? path.posix.basename(p.argv[0]!)).slice(0, 15);
}

export function procStatus(p: ProcessSpec): string {
  const uid = p.uid ?? 0;
  return [
    `Name:\t${commOf(p)}`,
    'Umask:\t0022',
    'State:\tS (sleeping)',
    `Tgid:\t${p.pid}`,
    'Ngid:\t0',
    `Pid:\t${p.pid}`,
    `PPid:\t${p.ppid}`,
    'TracerPid:\t0',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    'FDSize:\t128',
    'Groups:\t ',
    `NSpid:\t${p.pid}`,
    `NSpgid:\t${p.pid}`,
    `NSsid:\t${p.pid}`,
    'VmRSS:\t  412336 kB',
    `Threads:\t${p.threads ?? 12}`,
    'Seccomp:\t2',
    'NoNewPrivs:\t0',
    '',
  ].join('\n');
}

/** fs/proc/array.c do_task_stat: 52 fields, field 22 is starttime in clock ticks after boot. */
export function procPidStat(p: ProcessSpec, starttime = (p.startedAfterBootS ?? 300) * CLOCK_TICKS): string {
  const fields = [
    `${p.pid}`,
    `(${commOf(p)})`,
    'S',
    `${p.ppid}`,
    `${p.pid}`,
    `${p.pid}`,
    '0',
    '-1',
    '4194560',
    '103412',
    '0',
    '21',
    '0',
    '882341',
    '201234',
    '0',
    '0',
    '20',
    '0',
    `${p.threads ?? 12}`,
    '0',
    `${starttime}`,
    '1592311808',
    '103084',
    '18446744073709551615',
    '1',
    '1',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '2143420159',
    '0',
    '0',
    '0',
    '17',
    '1',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
    '0',
  ];
  if (fields.length !== 52) throw new Error(`stat has ${fields.length} fields`);
  return `${fields.join(' ')}\n`;
}
