// Builds the fake-root fixtures under test/fixtures/hosts/<name>/ (DESIGN §2 "Fake roots",
// STYLE §3.5): a /proc in kernel format plus the files the processes reference at their real
// paths. Each fixture's README.md cites where every fact comes from; expected.json is written by
// the golden test (UPDATE=1) and reviewed by hand.
//
//   node --import tsx scripts/make-fixture-hosts.ts            rebuild every tree
//   node --import tsx scripts/make-fixture-hosts.ts --new-certs also regenerate the certificates
//
// Certificates are real X.509 made with openssl; their private keys live in a temporary
// directory that is deleted before the script ends, so no key ever reaches the repository.
// README.md, expected.json and audit-config.yaml of a fixture are never touched here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { k0sController, k0sControllerWorker, k3sAgent, k3sServer, k3sServerEtcd, microk8s, rke2Agent, talosControlPlane } from './fixture-hosts-distributions.js';
import { FALLBACK_FIXTURES, k3sServerNoJournalRebuilt } from './fixture-hosts-fallback.js';
import { writeJournal, type ExportEntry } from './journal-fixture.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hostsDir = path.join(repo, 'test/fixtures/hosts');
const certsDir = path.join(repo, 'test/fixtures/certs');

/** Fixed clock of the golden test; boot time and process start times are placed before it. */
const AUDIT_TIME_S = Date.parse('2026-11-29T10:00:00Z') / 1000;
const BOOT_TIME_S = Date.parse('2026-11-20T06:00:00Z') / 1000;
const CLOCK_TICKS = 100;

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

interface CertSpec {
  /** File name under test/fixtures/certs/. */
  name: string;
  subject: string;
  /** Name of the CA cert that signs it; absent for a self-signed CA. */
  issuer?: string;
  ca?: boolean;
  usage?: 'client' | 'server' | 'client,server';
}

const CERTS: CertSpec[] = [
  // kubeadm: cmd/kubeadm/app/phases/certs/certlist.go (CA "kubernetes", etcd CA "etcd-ca",
  // "kube-apiserver-etcd-client"); kubelet client certs from the CSR the kubelet files:
  // CN=system:node:<node>, O=system:nodes (kubernetes.io/docs/reference/access-authn-authz/node/).
  { name: 'kubeadm-ca.crt', subject: '/CN=kubernetes', ca: true },
  { name: 'kubeadm-etcd-ca.crt', subject: '/CN=etcd-ca', ca: true },
  { name: 'kubeadm-apiserver-etcd-client.crt', subject: '/CN=kube-apiserver-etcd-client', issuer: 'kubeadm-etcd-ca.crt', usage: 'client' },
  ...['cp-1', 'worker-1', 'cp-ext-1', 'kind-control-plane', 'node1', 'scs-cp-7x2kq-abcde', 'trap-node', 'image-cp'].map((node) => ({
    name: `kubelet-${node}.crt`,
    subject: `/O=system:nodes/CN=system:node:${node}`,
    issuer: 'kubeadm-ca.crt',
    usage: 'client' as const,
  })),
  // kubespray: roles/etcd/files/make-ssl-etcd.sh signs its own etcd CA and node certificates.
  { name: 'kubespray-etcd-ca.crt', subject: '/CN=etcd-ca', ca: true },
  { name: 'kubespray-etcd-node-node1.crt', subject: '/CN=etcd-node-node1', issuer: 'kubespray-etcd-ca.crt', usage: 'client,server' },
  // RKE2 (k3s certificate code): CAs named "<prefix>-ca@<unix time>".
  { name: 'rke2-client-ca.crt', subject: '/CN=rke2-client-ca@1767225600', ca: true },
  { name: 'rke2-etcd-server-ca.crt', subject: '/CN=etcd-server-ca@1767225600', ca: true },
  { name: 'rke2-etcd-peer-ca.crt', subject: '/CN=etcd-peer-ca@1767225600', ca: true },
  { name: 'rke2-etcd-client.crt', subject: '/CN=etcd-client', issuer: 'rke2-etcd-server-ca.crt', usage: 'client' },
  { name: 'rke2-kubelet-rke2-server-1.crt', subject: '/O=system:nodes/CN=system:node:rke2-server-1', issuer: 'rke2-client-ca.crt', usage: 'client' },
  // Hand-rolled cluster that reused a generic client certificate for the kubelet.
  { name: 'legacy-kubelet.crt', subject: '/O=system:masters/CN=kubelet', issuer: 'kubeadm-ca.crt', usage: 'client' },
  // k3s (pkg/util certificate code, as RKE2): "k3s-client-ca@<unix time>", kubelet client certs per node.
  { name: 'k3s-client-ca.crt', subject: '/CN=k3s-client-ca@1767225600', ca: true },
  ...['k3s-server-1', 'k3s-agent-1'].map((node) => ({
    name: `k3s-kubelet-${node}.crt`,
    subject: `/O=system:nodes/CN=system:node:${node}`,
    issuer: 'k3s-client-ca.crt',
    usage: 'client' as const,
  })),
  // minikube: its own CA "minikubeCA" (kubernetes/minikube pkg/minikube/bootstrapper/certs.go), which kubeadm then uses.
  { name: 'minikube-ca.crt', subject: '/CN=minikubeCA', ca: true },
  { name: 'kubelet-minikube.crt', subject: '/O=system:nodes/CN=system:node:minikube', issuer: 'minikube-ca.crt', usage: 'client' },
  // Parsing traps: the apiserver talks to etcd as etcd's "root" user.
  { name: 'trap-etcd-root-client.crt', subject: '/CN=root', issuer: 'kubeadm-etcd-ca.crt', usage: 'client' },
];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Makes the certificates of `specs` (every one of CERTS by default); keys stay in a temp dir that
 * is removed afterwards, so a subset must bring its own issuers.
 */
function generateCertificates(specs: readonly CertSpec[] = CERTS): void {
  const work = mkdtempSync(path.join(tmpdir(), 'scs-fixture-certs-'));
  try {
    mkdirSync(path.join(work, 'newcerts'));
    writeFileSync(path.join(work, 'index.txt'), '');
    writeFileSync(path.join(work, 'serial'), '1000\n');
    // `openssl ca` is the only way in OpenSSL 3.0 to set exact validity dates.
    writeFileSync(
      path.join(work, 'ca.cnf'),
      [
        '[ca]', 'default_ca = fixture', '[fixture]', `dir = ${work}`, 'database = $dir/index.txt',
        'new_certs_dir = $dir/newcerts', 'serial = $dir/serial', 'default_md = sha256', 'policy = any',
        'unique_subject = no', 'email_in_dn = no', 'preserve = yes', '[any]', 'organizationName = optional', 'commonName = supplied',
        '[v3_ca]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign',
        'subjectKeyIdentifier = hash',
        '[v3_client]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = clientAuth', 'authorityKeyIdentifier = keyid',
        '[v3_client_server]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = clientAuth,serverAuth', 'authorityKeyIdentifier = keyid', '',
      ].join('\n'),
    );
    const dates = ['-startdate', '20250101000000Z', '-enddate', '20360101000000Z'];
    for (const cert of specs) {
      const key = `${cert.name}.key`;
      const csr = `${cert.name}.csr`;
      openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', cert.subject, '-out', csr], work);
      const out = path.join(certsDir, cert.name);
      if (cert.ca) {
        openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-selfsign', '-keyfile', key, '-in', csr, '-extensions', 'v3_ca', ...dates, '-out', out], work);
      } else {
        const extensions = cert.usage === 'client,server' ? 'v3_client_server' : 'v3_client';
        const issuerKey = `${cert.issuer}.key`;
        openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', path.join(certsDir, cert.issuer!), '-keyfile', issuerKey, '-in', csr, '-extensions', extensions, ...dates, '-out', out], work);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function cert(name: string): string {
  return readFileSync(path.join(certsDir, name), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Host description
// ---------------------------------------------------------------------------------------------

interface Listen {
  address: string;
  port: number;
}

export interface ProcessSpec {
  pid: number;
  ppid: number;
  argv: string[];
  /** Name the kernel shows in comm/status/stat; defaults to basename(argv[0]). */
  comm?: string;
  uid?: number;
  cwd?: string;
  exe?: string;
  /** Full environment (NUL-separated in environ); only written when given. */
  environ?: string[];
  listens?: Listen[];
  /** Seconds after boot the process started. */
  startedAfterBootS?: number;
  threads?: number;
}

/** A file: text, a symlink, a binary journal written by systemd-journal-remote, or nothing (a directory made by its children). */
export type FileSpec = string | { symlink: string } | { journal: ExportEntry[] };

export interface HostSpec {
  name: string;
  hostname: string;
  /** IPv4 addresses on interfaces (besides 127.0.0.1), with prefix length and device. */
  ipv4: { address: string; prefix: number; device: string }[];
  /** IPv6 addresses besides ::1, with prefix, scope (hex as the kernel writes it) and device. */
  ipv6: { address: string; prefix: number; scope: '00' | '20'; device: string }[];
  processes: ProcessSpec[];
  files: Record<string, FileSpec>;
  /** An offline image: no process directories and no socket tables. */
  offline?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Kernel formats
// ---------------------------------------------------------------------------------------------

function ipv4Hex(address: string): string {
  // /proc/net/tcp prints the __be32 as a host-order (little-endian) u32.
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
  return [d, c, b, a].map((n) => n.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function expandIpv6(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : new Array(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

function ipv6Bytes(address: string): number[] {
  return expandIpv6(address).flatMap((group) => [group >> 8, group & 0xff]);
}

function ipv6Hex(address: string): string {
  // Four u32 words, each printed in host order, as tcp6_seq_show does.
  const bytes = ipv6Bytes(address);
  let out = '';
  for (let w = 0; w < 4; w++) {
    const word = bytes.slice(w * 4, w * 4 + 4).reverse();
    out += word.map((n) => n.toString(16).padStart(2, '0')).join('').toUpperCase();
  }
  return out;
}

function portHex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

interface Socket {
  v6: boolean;
  address: string;
  port: number;
  inode: number;
  uid: number;
}

/** net/ipv4/tcp_ipv4.c: header and lines padded to TMPSZ-1 = 149 characters. */
function procNetTcp(sockets: Socket[]): string {
  const pad = (s: string) => s.padEnd(149, ' ');
  const header = pad('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
  const lines = sockets.map((s, i) =>
    pad(
      `${String(i).padStart(4)}: ${ipv4Hex(s.address)}:${portHex(s.port)} 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(s.uid).padStart(5)} ${String(0).padStart(8)} ${s.inode} 1 0000000000000000 100 0 0 10 0`,
    ),
  );
  return [header, ...lines].map((l) => `${l}\n`).join('');
}

/** net/ipv6/tcp_ipv6.c: no padding. */
function procNetTcp6(sockets: Socket[]): string {
  const header = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const lines = sockets.map(
    (s, i) =>
      `${String(i).padStart(4)}: ${ipv6Hex(s.address)}:${portHex(s.port)} 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 ${String(s.uid).padStart(5)} ${String(0).padStart(8)} ${s.inode} 1 0000000000000000 100 0 0 10 0\n`,
  );
  return header + lines.join('');
}

function networkOf(address: string, prefix: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 0xff).join('.');
}

function broadcastOf(address: string, prefix: number): string {
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
function procNetFibTrie(host: HostSpec): string {
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
function procNetIfInet6(host: HostSpec): string {
  const devices = ['lo', ...new Set(host.ipv6.map((a) => a.device))];
  const row = (address: string, prefix: number, scope: string, device: string) =>
    `${ipv6Bytes(address).map((b) => b.toString(16).padStart(2, '0')).join('')} ${(devices.indexOf(device) + 1).toString(16).padStart(2, '0')} ${prefix.toString(16).padStart(2, '0')} ${scope} 80 ${device.padStart(8)}\n`;
  return [row('::1', 128, '10', 'lo'), ...host.ipv6.map((a) => row(a.address, a.prefix, a.scope, a.device))].join('');
}

function procStat(): string {
  const cpu = 'cpu  1841920 1290 512334 71623110 20334 0 10291 0 0 0';
  return [
    cpu,
    'cpu0 921010 640 256101 35811420 10120 0 7123 0 0 0',
    'cpu1 920910 650 256233 35811690 10214 0 3168 0 0 0',
    'intr 429871234 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
    'ctxt 902345112',
    `btime ${BOOT_TIME_S}`,
    'processes 412233',
    'procs_running 2',
    'procs_blocked 0',
    'softirq 182734112 0 40123123 112 20111234 0 0 1234 60123123 0 62374285',
    '',
  ].join('\n');
}

function commOf(p: ProcessSpec): string {
  // TASK_COMM_LEN is 16: the kernel keeps 15 characters.
  return (p.comm ?? path.posix.basename(p.argv[0]!)).slice(0, 15);
}

function procStatus(p: ProcessSpec): string {
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
function procPidStat(p: ProcessSpec): string {
  const starttime = (p.startedAfterBootS ?? 300) * CLOCK_TICKS;
  const fields = [
    `${p.pid}`, `(${commOf(p)})`, 'S', `${p.ppid}`, `${p.pid}`, `${p.pid}`, '0', '-1', '4194560',
    '103412', '0', '21', '0', '882341', '201234', '0', '0', '20', '0', `${p.threads ?? 12}`, '0',
    `${starttime}`, '1592311808', '103084', '18446744073709551615', '1', '1', '0', '0', '0', '0',
    '0', '0', '2143420159', '0', '0', '0', '17', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0',
    '0', '0', '0', '0',
  ];
  if (fields.length !== 52) throw new Error(`stat has ${fields.length} fields`);
  return `${fields.join(' ')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Writing a tree
// ---------------------------------------------------------------------------------------------

function writeFile(root: string, relative: string, content: string | Buffer): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function writeSymlink(root: string, relative: string, target: string): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  symlinkSync(target, full);
}

function buildHost(host: HostSpec): void {
  const root = path.join(hostsDir, host.name);
  // Only the generated subtrees are replaced; README.md, expected.json, audit-config.yaml stay.
  for (const top of ['proc', 'etc', 'var', 'usr', 'opt']) rmSync(path.join(root, top), { recursive: true, force: true });
  mkdirSync(root, { recursive: true });

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
        sockets.push({ v6: l.address.includes(':'), address: l.address, port: l.port, inode: socketInode, uid: p.uid ?? 0 });
        writeSymlink(root, `${dir}/fd/${fd++}`, `socket:[${socketInode}]`);
      }
      // An established connection: a socket inode that is not in the LISTEN tables.
      writeSymlink(root, `${dir}/fd/${fd++}`, `socket:[${inode++}]`);
      writeSymlink(root, `${dir}/fd/${fd++}`, `anon_inode:[eventpoll]`);
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
    else if ('journal' in spec) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeJournal(path.join(root, relative), spec.journal);
    } else writeSymlink(root, relative, spec.symlink);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

export const SYSTEMD: ProcessSpec = { pid: 1, ppid: 0, argv: ['/sbin/init'], comm: 'systemd', startedAfterBootS: 1 };
export const SSHD: ProcessSpec = {
  pid: 702, ppid: 1, argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'], comm: 'sshd', exe: '/usr/sbin/sshd',
  listens: [{ address: '0.0.0.0', port: 22 }, { address: '::', port: 22 }], startedAfterBootS: 8,
};
const CONTAINERD: ProcessSpec = { pid: 780, ppid: 1, argv: ['/usr/bin/containerd'], startedAfterBootS: 9, listens: [{ address: '127.0.0.1', port: 36551 }] };

function shim(pid: number, id: string): ProcessSpec {
  return {
    pid, ppid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2',
    argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', id, '-address', '/run/containerd/containerd.sock'],
    startedAfterBootS: 40,
  };
}

/**
 * The environment of a static-pod container as /proc/<pid>/environ shows it: the image's PATH,
 * HOSTNAME from the runtime (the node name with hostNetwork), and the service variables the
 * kubelet injects (enableServiceLinks defaults to true).
 */
function containerEnviron(hostname: string, extra: string[] = []): string[] {
  return [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${hostname}`,
    ...extra,
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
    'KUBERNETES_PORT=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP_PROTO=tcp',
    'KUBERNETES_PORT_443_TCP_PORT=443',
    'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
  ];
}

/** A kubeadm-style static pod manifest: the container `command` is the process argv. */
function staticPod(opts: {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  annotations?: Record<string, string>;
  mounts: { name: string; path: string; readOnly?: boolean }[];
}): string {
  const list = (items: string[], indent: string) => items.map((i) => `${indent}- ${quoteYaml(i)}`).join('\n');
  const annotations = Object.entries(opts.annotations ?? {});
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    ...(annotations.length ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${v}`)] : []),
    '  labels:',
    `    component: ${opts.name}`,
    '    tier: control-plane',
    `  name: ${opts.name}`,
    '  namespace: kube-system',
    'spec:',
    '  containers:',
    '  - command:',
    list(opts.command, '    '),
    ...(opts.args ? ['    args:', list(opts.args, '    ')] : []),
    `    image: ${opts.image}`,
    '    imagePullPolicy: IfNotPresent',
    `    name: ${opts.name}`,
    '    volumeMounts:',
    ...opts.mounts.flatMap((m) => [`    - mountPath: ${m.path}`, `      name: ${m.name}`, ...(m.readOnly ? ['      readOnly: true'] : [])]),
    '  hostNetwork: true',
    '  priority: 2000001000',
    '  priorityClassName: system-node-critical',
    '  securityContext:',
    '    seccompProfile:',
    '      type: RuntimeDefault',
    '  volumes:',
    ...opts.mounts.flatMap((m) => [`  - hostPath:`, `      path: ${m.path}`, '      type: DirectoryOrCreate', `    name: ${m.name}`]),
    'status: {}',
    '',
  ].join('\n');
}

function quoteYaml(value: string): string {
  // kubeadm's marshaller quotes values YAML would otherwise read differently.
  return /^[\w./:=,@-]+$/.test(value) && !/^(true|false|yes|no|on|off|\d+)$/i.test(value) && !value.includes('*') ? value : JSON.stringify(value);
}

function dpkgKubelet(version: string, maintainer = 'Kubernetes Authors <dev@kubernetes.io>'): string {
  return [
    'Package: kubectl',
    'Status: install ok installed',
    'Priority: optional',
    'Section: misc',
    'Installed-Size: 57340',
    `Maintainer: ${maintainer}`,
    'Architecture: amd64',
    `Version: ${version}`,
    'Description: Command-line utility for interacting with a Kubernetes cluster',
    ' Command-line utility for interacting with a Kubernetes cluster.',
    'Homepage: https://kubernetes.io',
    '',
    'Package: kubelet',
    'Status: install ok installed',
    'Priority: optional',
    'Section: misc',
    'Installed-Size: 77580',
    `Maintainer: ${maintainer}`,
    'Architecture: amd64',
    `Version: ${version}`,
    'Depends: iptables (>= 1.4.21), iproute2, socat, util-linux, mount, ethtool, conntrack, kubernetes-cni (>= 1.1.1)',
    'Description: Node agent for Kubernetes clusters',
    ' The node agent of Kubernetes, the container cluster manager.',
    'Homepage: https://kubernetes.io',
    '',
    'Package: openssh-server',
    'Status: install ok installed',
    'Priority: optional',
    'Section: net',
    'Architecture: amd64',
    'Version: 1:9.6p1-3ubuntu13.5',
    'Description: secure shell (SSH) server, for secure access from remote machines',
    '',
  ].join('\n');
}

/**
 * kubeadm's kubelet config (cmd/kubeadm/app/componentconfigs/kubelet.go defaults, as written to disk).
 * `runtimeEndpoint`: kubeadm with NodeLocalCRISocket (beta in 1.34) merges instance-config.yaml's
 * endpoint here instead of passing the flag. `drop`: top-level keys an older kubelet does not have.
 */
function kubeadmKubeletConfig(extra: string[] = [], opts: { runtimeEndpoint?: string; drop?: string[] } = {}): string {
  const lines = [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    cacheTTL: 0s',
    '    enabled: true',
    '  x509:',
    '    clientCAFile: /etc/kubernetes/pki/ca.crt',
    'authorization:',
    '  mode: Webhook',
    '  webhook:',
    '    cacheAuthorizedTTL: 0s',
    '    cacheUnauthorizedTTL: 0s',
    'cgroupDriver: systemd',
    'clusterDNS:',
    '- 10.96.0.10',
    'clusterDomain: cluster.local',
    `containerRuntimeEndpoint: ${opts.runtimeEndpoint ?? '""'}`,
    'cpuManagerReconcilePeriod: 0s',
    'evictionPressureTransitionPeriod: 0s',
    'fileCheckFrequency: 0s',
    'healthzBindAddress: 127.0.0.1',
    'healthzPort: 10248',
    'httpCheckFrequency: 0s',
    'imageMaximumGCAge: 0s',
    'imageMinimumGCAge: 0s',
    'kind: KubeletConfiguration',
    'logging:',
    '  flushFrequency: 0',
    '  options:',
    '    json:',
    '      infoBufferSize: "0"',
    '  verbosity: 0',
    'memorySwap: {}',
    'nodeStatusReportFrequency: 0s',
    'nodeStatusUpdateFrequency: 0s',
    'rotateCertificates: true',
    'runtimeRequestTimeout: 0s',
    'shutdownGracePeriod: 0s',
    'shutdownGracePeriodCriticalPods: 0s',
    'staticPodPath: /etc/kubernetes/manifests',
    'streamingConnectionIdleTimeout: 0s',
    'syncFrequency: 0s',
    'volumeStatsAggPeriod: 0s',
    ...extra,
    '',
  ];
  const dropped = new Set(opts.drop ?? []);
  return lines.filter((line) => !dropped.has(line.split(':')[0]!)).join('\n');
}

export function kubeconfig(opts: { server: string; user: string; ca: string; certLines: string[] }): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    ${opts.ca}`,
    `    server: ${opts.server}`,
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    `    user: ${opts.user}`,
    `  name: ${opts.user}@kubernetes`,
    `current-context: ${opts.user}@kubernetes`,
    'kind: Config',
    'users:',
    `- name: ${opts.user}`,
    '  user:',
    ...opts.certLines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** kubeadm's kubelet.conf after TLS bootstrap: the client cert is the rotating pem. */
function kubeadmKubeletConf(node: string, server: string): string {
  return kubeconfig({
    server,
    user: `system:node:${node}`,
    ca: `certificate-authority-data: ${base64(cert('kubeadm-ca.crt'))}`,
    certLines: ['client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem', 'client-key: /var/lib/kubelet/pki/kubelet-client-current.pem'],
  });
}

/** The rotating client cert: a symlink to a dated file (here certificate only, see README). */
function kubeletPki(node: string, dated: string): Record<string, FileSpec> {
  const file = `/var/lib/kubelet/pki/kubelet-client-${dated}.pem`;
  return {
    [file]: cert(`kubelet-${node}.crt`),
    '/var/lib/kubelet/pki/kubelet-client-current.pem': { symlink: file },
    '/var/lib/kubelet/pki/kubelet.crt': cert(`kubelet-${node}.crt`),
  };
}

const KUBEADM_FLAGS_UNIT = [
  '# Note: This dropin only works with kubeadm and kubelet v1.11+',
  '[Service]',
  'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
  'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
  '# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically',
  'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
  '# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use',
  '# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.',
  'EnvironmentFile=-/etc/default/kubelet',
  'ExecStart=',
  'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
  '',
].join('\n');

/** kubeadm's kube-apiserver command (cmd/kubeadm/app/phases/controlplane/manifests.go), sorted as kubeadm writes it. */
function kubeadmApiserverArgs(ip: string, extra: Record<string, string> = {}, etcdServers = 'https://127.0.0.1:2379'): string[] {
  const args: Record<string, string> = {
    'advertise-address': ip,
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'enable-admission-plugins': 'NodeRestriction',
    'enable-bootstrap-token-auth': 'true',
    'etcd-cafile': '/etc/kubernetes/pki/etcd/ca.crt',
    'etcd-certfile': '/etc/kubernetes/pki/apiserver-etcd-client.crt',
    'etcd-keyfile': '/etc/kubernetes/pki/apiserver-etcd-client.key',
    'etcd-servers': etcdServers,
    'kubelet-client-certificate': '/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    'kubelet-client-key': '/etc/kubernetes/pki/apiserver-kubelet-client.key',
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': '/etc/kubernetes/pki/front-proxy-client.crt',
    'proxy-client-key-file': '/etc/kubernetes/pki/front-proxy-client.key',
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': '/etc/kubernetes/pki/front-proxy-ca.crt',
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': '6443',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
    'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
    'service-cluster-ip-range': '10.96.0.0/12',
    'tls-cert-file': '/etc/kubernetes/pki/apiserver.crt',
    'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key',
    ...extra,
  };
  return ['kube-apiserver', ...Object.keys(args).sort().map((k) => `--${k}=${args[k]}`)];
}

/**
 * `etcd35`: kubeadm with etcd 3.5 passed the experimental spellings (`--experimental-initial-corrupt-check`,
 * `--experimental-watch-progress-notify-interval`) that etcd 3.6 replaced by a feature gate and a plain flag.
 */
function kubeadmEtcdArgs(node: string, ip: string, extra: Record<string, string> = {}, etcd35 = false): string[] {
  const args: Record<string, string> = {
    'advertise-client-urls': `https://${ip}:2379`,
    'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
    'client-cert-auth': 'true',
    'data-dir': '/var/lib/etcd',
    'feature-gates': 'InitialCorruptCheck=true',
    'initial-advertise-peer-urls': `https://${ip}:2380`,
    'initial-cluster': `${node}=https://${ip}:2380`,
    'key-file': '/etc/kubernetes/pki/etcd/server.key',
    'listen-client-urls': `https://127.0.0.1:2379,https://${ip}:2379`,
    'listen-metrics-urls': 'http://127.0.0.1:2381',
    'listen-peer-urls': `https://${ip}:2380`,
    name: node,
    'peer-cert-file': '/etc/kubernetes/pki/etcd/peer.crt',
    'peer-client-cert-auth': 'true',
    'peer-key-file': '/etc/kubernetes/pki/etcd/peer.key',
    'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'snapshot-count': '10000',
    'trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
    'watch-progress-notify-interval': '5s',
    ...extra,
  };
  if (etcd35) {
    delete args['feature-gates'];
    delete args['watch-progress-notify-interval'];
    args['experimental-initial-corrupt-check'] = 'true';
    args['experimental-watch-progress-notify-interval'] = '5s';
  }
  return ['etcd', ...Object.keys(args).sort().map((k) => `--${k}=${args[k]}`)];
}

function kubeadmControllerManagerArgs(extra: Record<string, string> = {}): string[] {
  const args: Record<string, string> = {
    'allocate-node-cidrs': 'true',
    'authentication-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'authorization-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'bind-address': '127.0.0.1',
    'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    'cluster-cidr': '192.168.0.0/16',
    'cluster-name': 'kubernetes',
    'cluster-signing-cert-file': '/etc/kubernetes/pki/ca.crt',
    'cluster-signing-key-file': '/etc/kubernetes/pki/ca.key',
    controllers: '*,bootstrapsigner,tokencleaner',
    kubeconfig: '/etc/kubernetes/controller-manager.conf',
    'leader-elect': 'true',
    'requestheader-client-ca-file': '/etc/kubernetes/pki/front-proxy-ca.crt',
    'root-ca-file': '/etc/kubernetes/pki/ca.crt',
    'service-account-private-key-file': '/etc/kubernetes/pki/sa.key',
    'service-cluster-ip-range': '10.96.0.0/12',
    'use-service-account-credentials': 'true',
    ...extra,
  };
  return ['kube-controller-manager', ...Object.keys(args).sort().map((k) => `--${k}=${args[k]}`)];
}

function kubeadmSchedulerArgs(extra: Record<string, string> = {}): string[] {
  const args: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'authorization-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'bind-address': '127.0.0.1',
    kubeconfig: '/etc/kubernetes/scheduler.conf',
    'leader-elect': 'true',
    ...extra,
  };
  return ['kube-scheduler', ...Object.keys(args).sort().map((k) => `--${k}=${args[k]}`)];
}

const PKI_MOUNTS = [
  { name: 'ca-certs', path: '/etc/ssl/certs', readOnly: true },
  { name: 'k8s-certs', path: '/etc/kubernetes/pki', readOnly: true },
];

/** Certificates a kubeadm control-plane node has on disk (only the ones the audit reads). */
function kubeadmPki(): Record<string, FileSpec> {
  return {
    '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
    '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-etcd-ca.crt'),
    '/etc/kubernetes/pki/apiserver-etcd-client.crt': cert('kubeadm-apiserver-etcd-client.crt'),
  };
}

interface KubeadmNode {
  name: string;
  hostname: string;
  ip: string;
  prefix: number;
  version: string;
  etcdImage: string;
  pauseImage: string;
  dpkgVersion?: string;
  apiserverExtra?: Record<string, string>;
  etcdExtra?: Record<string, string>;
  controllerManagerExtra?: Record<string, string>;
  schedulerExtra?: Record<string, string>;
  kubeletExtraArgs?: string[];
  kubeletConfigExtra?: string[];
  /** Flags kubeadm writes to kubeadm-flags.env; default: CRI endpoint and pause image (kubeadm before 1.35). */
  kubeadmFlags?: string[];
  /** See kubeadmKubeletConfig. */
  kubeletConfigOptions?: { runtimeEndpoint?: string; drop?: string[] };
  /** etcd 3.5 flag spellings (see kubeadmEtcdArgs). */
  etcd35?: boolean;
  etcdServers?: string;
  /** false: external etcd (no etcd static pod). */
  stackedEtcd?: boolean;
  /** false: a worker (no control plane static pods). */
  controlPlane?: boolean;
  registry?: string;
  extraProcesses?: ProcessSpec[];
  extraFiles?: Record<string, FileSpec>;
}

/** A kubeadm node: kubelet under systemd, control plane as static pods under containerd. */
export function kubeadmHost(n: KubeadmNode): HostSpec {
  const registry = n.registry ?? 'registry.k8s.io';
  const controlPlane = n.controlPlane ?? true;
  const stacked = controlPlane && (n.stackedEtcd ?? true);
  const kubeadmFlags = n.kubeadmFlags ?? [`--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock`, `--pod-infra-container-image=${n.pauseImage}`];
  const kubeletArgs = [
    '/usr/bin/kubelet',
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--config=/var/lib/kubelet/config.yaml',
    ...kubeadmFlags,
    ...(n.kubeletExtraArgs ?? []),
  ];
  const processes: ProcessSpec[] = [
    SYSTEMD,
    SSHD,
    CONTAINERD,
    {
      pid: 812, ppid: 1, argv: kubeletArgs, startedAfterBootS: 12, threads: 21,
      listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }, { address: '127.0.0.1', port: 44217 }],
    },
  ];
  const files: Record<string, FileSpec> = {
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_FLAGS_UNIT,
    '/var/lib/kubelet/kubeadm-flags.env': `KUBELET_KUBEADM_ARGS="${[...kubeadmFlags, ...(n.kubeletExtraArgs ?? [])].join(' ')}"\n`,
    '/var/lib/kubelet/config.yaml': kubeadmKubeletConfig(n.kubeletConfigExtra, n.kubeletConfigOptions),
    '/etc/kubernetes/kubelet.conf': kubeadmKubeletConf(n.hostname, controlPlane ? `https://${n.ip}:6443` : 'https://10.0.0.10:6443'),
    '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
    ...kubeletPki(n.hostname, '2026-11-20-06-00-41'),
    ...(n.dpkgVersion ? { '/var/lib/dpkg/status': dpkgKubelet(n.dpkgVersion) } : {}),
  };
  if (controlPlane) {
    const apiserver = kubeadmApiserverArgs(n.ip, n.apiserverExtra, n.etcdServers);
    const kcm = kubeadmControllerManagerArgs(n.controllerManagerExtra);
    const scheduler = kubeadmSchedulerArgs(n.schedulerExtra);
    const kcmBind = n.controllerManagerExtra?.['bind-address'] === '0.0.0.0' ? '::' : '127.0.0.1';
    const schedulerBind = n.schedulerExtra?.['bind-address'] === '0.0.0.0' ? '::' : '127.0.0.1';
    processes.push(
      shim(1101, 'a3f0c1d2e4b5a6978812'),
      { pid: 1210, ppid: 1101, argv: apiserver, exe: '/usr/local/bin/kube-apiserver', startedAfterBootS: 45, threads: 14, listens: [{ address: '::', port: 6443 }] },
      shim(1102, 'b4e1d2c3f5a6b7089923'),
      { pid: 1230, ppid: 1102, argv: kcm, exe: '/usr/local/bin/kube-controller-manager', startedAfterBootS: 46, listens: [{ address: kcmBind, port: 10257 }] },
      shim(1103, 'c5f2e3d4a6b7c8190034'),
      { pid: 1250, ppid: 1103, argv: scheduler, exe: '/usr/local/bin/kube-scheduler', startedAfterBootS: 46, listens: [{ address: schedulerBind, port: 10259 }] },
    );
    Object.assign(files, kubeadmPki(), {
      '/etc/kubernetes/manifests/kube-apiserver.yaml': staticPod({
        name: 'kube-apiserver', image: `${registry}/kube-apiserver:${n.version}`, command: apiserver, mounts: PKI_MOUNTS,
        annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${n.ip}:6443` },
      }),
      '/etc/kubernetes/manifests/kube-controller-manager.yaml': staticPod({
        name: 'kube-controller-manager', image: `${registry}/kube-controller-manager:${n.version}`, command: kcm,
        mounts: [...PKI_MOUNTS, { name: 'kubeconfig', path: '/etc/kubernetes/controller-manager.conf', readOnly: true }],
      }),
      '/etc/kubernetes/manifests/kube-scheduler.yaml': staticPod({
        name: 'kube-scheduler', image: `${registry}/kube-scheduler:${n.version}`, command: scheduler,
        mounts: [{ name: 'kubeconfig', path: '/etc/kubernetes/scheduler.conf', readOnly: true }],
      }),
    });
    if (stacked) {
      const etcd = kubeadmEtcdArgs(n.hostname, n.ip, n.etcdExtra, n.etcd35);
      const metrics = n.etcdExtra?.['listen-metrics-urls'] === 'http://0.0.0.0:2381' ? '0.0.0.0' : '127.0.0.1';
      processes.push(
        shim(1104, 'd6a3f4e5b7c8d9201145'),
        {
          pid: 1190, ppid: 1104, argv: etcd, exe: '/usr/local/bin/etcd', startedAfterBootS: 44, threads: 16,
          environ: containerEnviron(n.hostname),
          listens: [
            { address: '127.0.0.1', port: 2379 }, { address: n.ip, port: 2379 }, { address: n.ip, port: 2380 }, { address: metrics, port: 2381 },
          ],
        },
      );
      files['/etc/kubernetes/manifests/etcd.yaml'] = staticPod({
        name: 'etcd', image: `${registry}/etcd:${n.etcdImage}`, command: etcd,
        annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${n.ip}:2379` },
        mounts: [{ name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd' }, { name: 'etcd-data', path: '/var/lib/etcd' }],
      });
    }
  }
  processes.push(...(n.extraProcesses ?? []));
  Object.assign(files, n.extraFiles ?? {});
  return {
    name: n.name,
    hostname: n.hostname,
    ipv4: [{ address: n.ip, prefix: n.prefix, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe4a:1b2c', prefix: 64, scope: '20', device: 'ens3' }],
    processes,
    files,
  };
}

// ---------------------------------------------------------------------------------------------
// The fixtures
// ---------------------------------------------------------------------------------------------

function kubeadm134ControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-1.34-control-plane', hostname: 'cp-1', ip: '10.0.0.10', prefix: 24,
    version: 'v1.34.2', etcdImage: '3.6.4-0', pauseImage: 'registry.k8s.io/pause:3.10.1', dpkgVersion: '1.34.2-1.1',
  });
}

/**
 * kubeadm's kube-proxy DaemonSet pod (cmd/kubeadm/app/phases/addons/proxy/manifests.go): the
 * container argv and its ConfigMap, which collect sees at <root>/<path> (see README).
 */
function kubeadmKubeProxy(node: string, shimId: string): { processes: ProcessSpec[]; files: Record<string, FileSpec> } {
  return {
    processes: [
      shim(1105, shimId),
      {
        pid: 1320, ppid: 1105, argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${node}`],
        startedAfterBootS: 60, listens: [{ address: '127.0.0.1', port: 10249 }, { address: '::', port: 10256 }],
      },
    ],
    files: {
      '/var/lib/kube-proxy/config.conf': [
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'bindAddress: 0.0.0.0',
        'clientConnection:',
        '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
        'healthzBindAddress: ""',
        'kind: KubeProxyConfiguration',
        'metricsBindAddress: ""',
        'mode: ""',
        '',
      ].join('\n'),
    },
  };
}

function kubeadm129Worker(): HostSpec {
  const proxy = kubeadmKubeProxy('worker-1', 'e7b4a5f6c8d9e0312256');
  return kubeadmHost({
    name: 'kubeadm-1.29-worker', hostname: 'worker-1', ip: '10.0.0.21', prefix: 24, controlPlane: false,
    version: 'v1.29.6', etcdImage: '', pauseImage: 'registry.k8s.io/pause:3.9', dpkgVersion: '1.29.6-1.1',
    extraProcesses: proxy.processes,
    extraFiles: proxy.files,
  });
}

/**
 * A current worker: kubeadm 1.35+ no longer passes --pod-infra-container-image (the kubelet
 * dropped the flag), and with NodeLocalCRISocket the CRI endpoint moves from kubeadm-flags.env
 * into instance-config.yaml, which kubeadm merges into config.yaml.
 */
function kubeadm136Worker(): HostSpec {
  const runtimeEndpoint = 'unix:///var/run/containerd/containerd.sock';
  const proxy = kubeadmKubeProxy('worker-1', '5e6f708192a3b4c5d6e7');
  return kubeadmHost({
    name: 'kubeadm-1.36-worker', hostname: 'worker-1', ip: '10.0.0.22', prefix: 24, controlPlane: false,
    version: 'v1.36.4', etcdImage: '', pauseImage: '', dpkgVersion: '1.36.4-1.1',
    kubeadmFlags: [],
    kubeletConfigOptions: { runtimeEndpoint },
    extraProcesses: proxy.processes,
    extraFiles: {
      ...proxy.files,
      '/var/lib/kubelet/instance-config.yaml': `apiVersion: kubelet.config.k8s.io/v1beta1\ncontainerRuntimeEndpoint: ${runtimeEndpoint}\nkind: KubeletConfiguration\n`,
    },
  });
}

/** A 1.2x control plane as kubeadm 1.27 built it: etcd 3.5 flag spellings, pause 3.9, the final 1.27 patch. */
function kubeadm127ControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-1.27-control-plane', hostname: 'cp-1', ip: '10.0.5.10', prefix: 24,
    version: 'v1.27.16', etcdImage: '3.5.7-0', pauseImage: 'registry.k8s.io/pause:3.9', dpkgVersion: '1.27.16-1.1',
    etcd35: true,
    // KubeletConfiguration.imageMaximumGCAge came with kubelet 1.29.
    kubeletConfigOptions: { drop: ['imageMaximumGCAge'] },
  });
}

const EXTERNAL_ETCD = 'https://10.0.1.21:2379,https://10.0.1.22:2379,https://10.0.1.23:2379';

function kubeadmExternalEtcdControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kubeadm-external-etcd-control-plane', hostname: 'cp-ext-1', ip: '10.0.1.10', prefix: 24, stackedEtcd: false,
    version: 'v1.35.1', etcdImage: '', pauseImage: 'registry.k8s.io/pause:3.10.1', dpkgVersion: '1.35.1-1.1', etcdServers: EXTERNAL_ETCD,
  });
}

function kubeadmExternalEtcdHost(): HostSpec {
  const ip = '10.0.1.21';
  const etcdArgs = [
    '/usr/local/bin/etcd',
    '--name=etcd-1',
    '--data-dir=/var/lib/etcd',
    `--listen-client-urls=https://${ip}:2379,https://127.0.0.1:2379`,
    `--advertise-client-urls=https://${ip}:2379`,
    `--listen-peer-urls=https://${ip}:2380`,
    `--initial-advertise-peer-urls=https://${ip}:2380`,
    '--initial-cluster=etcd-1=https://10.0.1.21:2380,etcd-2=https://10.0.1.22:2380,etcd-3=https://10.0.1.23:2380',
    '--initial-cluster-state=new',
    '--initial-cluster-token=etcd-cluster-1',
    '--listen-metrics-urls=http://127.0.0.1:2381',
    '--client-cert-auth=true',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    '--peer-client-cert-auth=true',
    '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
  ];
  return {
    name: 'kubeadm-external-etcd-host',
    hostname: 'etcd-1',
    ipv4: [{ address: ip, prefix: 24, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe11:2233', prefix: 64, scope: '20', device: 'ens3' }],
    processes: [
      SYSTEMD,
      SSHD,
      {
        pid: 901, ppid: 1, argv: etcdArgs, uid: 998, startedAfterBootS: 15, threads: 14,
        environ: ['LANG=C.UTF-8', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/var/lib/etcd', 'LOGNAME=etcd', 'USER=etcd', 'SHELL=/usr/sbin/nologin', 'INVOCATION_ID=4c1f3e2d9a8b47f6b1c2d3e4f5a6b7c8', 'JOURNAL_STREAM=8:24611', 'NOTIFY_SOCKET=/run/systemd/notify', 'SYSTEMD_EXEC_PID=901'],
        listens: [{ address: ip, port: 2379 }, { address: '127.0.0.1', port: 2379 }, { address: ip, port: 2380 }, { address: '127.0.0.1', port: 2381 }],
      },
    ],
    files: {
      '/etc/systemd/system/etcd.service': [
        '[Unit]', 'Description=etcd', 'Documentation=https://etcd.io/docs/', 'After=network-online.target', '',
        '[Service]', 'Type=notify', 'User=etcd', `ExecStart=${etcdArgs.join(' \\\n  ')}`, 'Restart=always', 'RestartSec=10s', 'LimitNOFILE=40000', '',
        '[Install]', 'WantedBy=multi-user.target', '',
      ].join('\n'),
      '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-etcd-ca.crt'),
    },
  };
}

function kindControlPlane(): HostSpec {
  return kubeadmHost({
    name: 'kind-control-plane', hostname: 'kind-control-plane', ip: '172.18.0.2', prefix: 16,
    version: 'v1.35.0', etcdImage: '3.6.6-0', pauseImage: 'registry.k8s.io/pause:3.10.1',
    apiserverExtra: { 'runtime-config': '' },
    controllerManagerExtra: { 'enable-hostpath-provisioner': 'true' },
    kubeletExtraArgs: ['--node-ip=172.18.0.2', '--node-labels=', '--provider-id=kind://docker/kind/kind-control-plane'],
    kubeletConfigExtra: [
      'cgroupRoot: /kubelet',
      'evictionHard:',
      '  imagefs.available: 0%',
      '  nodefs.available: 0%',
      '  nodefs.inodesFree: 0%',
      'failSwapOn: false',
      'imageGCHighThresholdPercent: 100',
    ],
    extraFiles: {
      '/kind/kubeadm.conf': [
        '# the kubeadm config kind generated for this node (excerpt, see README)',
        'apiVersion: kubeadm.k8s.io/v1beta3',
        'kind: ClusterConfiguration',
        'apiServer:',
        '  certSANs:',
        '  - localhost',
        '  - 127.0.0.1',
        '  extraArgs:',
        '    runtime-config: ""',
        'clusterName: kind',
        'controlPlaneEndpoint: kind-control-plane:6443',
        'controllerManager:',
        '  extraArgs:',
        '    enable-hostpath-provisioner: "true"',
        'kubernetesVersion: v1.35.0',
        'networking:',
        '  podSubnet: 10.244.0.0/16',
        '  serviceSubnet: 10.96.0.0/16',
        '',
      ].join('\n'),
    },
  });
}

function kubesprayControlPlane(): HostSpec {
  const ip = '10.0.2.11';
  const etcdEnv = [
    'ETCD_DATA_DIR=/var/lib/etcd',
    `ETCD_ADVERTISE_CLIENT_URLS=https://${ip}:2379`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=https://${ip}:2380`,
    'ETCD_INITIAL_CLUSTER_STATE=existing',
    'ETCD_METRICS=basic',
    `ETCD_LISTEN_CLIENT_URLS=https://${ip}:2379,https://127.0.0.1:2379`,
    'ETCD_ELECTION_TIMEOUT=5000',
    'ETCD_HEARTBEAT_INTERVAL=250',
    'ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd',
    `ETCD_LISTEN_PEER_URLS=https://${ip}:2380`,
    'ETCD_NAME=etcd1',
    'ETCD_PROXY=off',
    `ETCD_INITIAL_CLUSTER=etcd1=https://${ip}:2380`,
    'ETCD_AUTO_COMPACTION_RETENTION=8',
    'ETCD_SNAPSHOT_COUNT=100000',
    'ETCD_QUOTA_BACKEND_BYTES=2147483648',
    'ETCD_MAX_REQUEST_BYTES=1572864',
    'ETCD_LOG_LEVEL=info',
    'ETCD_MAX_SNAPSHOTS=5',
    'ETCD_MAX_WALS=5',
    'ETCD_ENABLE_V2=true',
    'ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem',
    'ETCD_CERT_FILE=/etc/ssl/etcd/ssl/member-node1.pem',
    'ETCD_KEY_FILE=/etc/ssl/etcd/ssl/member-node1-key.pem',
    'ETCD_CLIENT_CERT_AUTH=true',
    'ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem',
    'ETCD_PEER_CERT_FILE=/etc/ssl/etcd/ssl/member-node1.pem',
    'ETCD_PEER_KEY_FILE=/etc/ssl/etcd/ssl/member-node1-key.pem',
    'ETCD_PEER_CLIENT_CERT_AUTH=True',
    'ETCDCTL_ENDPOINTS=https://127.0.0.1:2379',
    'ETCDCTL_CACERT=/etc/ssl/etcd/ssl/ca.pem',
    'ETCDCTL_KEY=/etc/ssl/etcd/ssl/admin-node1-key.pem',
    'ETCDCTL_CERT=/etc/ssl/etcd/ssl/admin-node1.pem',
    'ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK=True',
  ];
  const apiserverArgs: Record<string, string> = {
    'advertise-address': ip,
    'allow-privileged': 'true',
    'anonymous-auth': 'True',
    'apiserver-count': '1',
    'authorization-mode': 'Node,RBAC',
    'bind-address': '0.0.0.0',
    'client-ca-file': '/etc/kubernetes/ssl/ca.crt',
    'default-not-ready-toleration-seconds': '300',
    'default-unreachable-toleration-seconds': '300',
    'enable-admission-plugins': 'NodeRestriction',
    'enable-aggregator-routing': 'False',
    'enable-bootstrap-token-auth': 'true',
    'endpoint-reconciler-type': 'lease',
    'etcd-cafile': '/etc/ssl/etcd/ssl/ca.pem',
    'etcd-certfile': '/etc/ssl/etcd/ssl/node-node1.pem',
    'etcd-compaction-interval': '5m0s',
    'etcd-keyfile': '/etc/ssl/etcd/ssl/node-node1-key.pem',
    'etcd-servers': `https://${ip}:2379`,
    'event-ttl': '1h0m0s',
    'kubelet-client-certificate': '/etc/kubernetes/ssl/apiserver-kubelet-client.crt',
    'kubelet-client-key': '/etc/kubernetes/ssl/apiserver-kubelet-client.key',
    'kubelet-preferred-address-types': 'InternalDNS,InternalIP,Hostname,ExternalDNS,ExternalIP',
    profiling: 'False',
    'proxy-client-cert-file': '/etc/kubernetes/ssl/front-proxy-client.crt',
    'proxy-client-key-file': '/etc/kubernetes/ssl/front-proxy-client.key',
    'request-timeout': '1m0s',
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': '/etc/kubernetes/ssl/front-proxy-ca.crt',
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': '6443',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': '/etc/kubernetes/ssl/sa.pub',
    'service-account-lookup': 'True',
    'service-account-signing-key-file': '/etc/kubernetes/ssl/sa.key',
    'service-cluster-ip-range': '10.233.0.0/18',
    'service-node-port-range': '30000-32767',
    'storage-backend': 'etcd3',
    'tls-cert-file': '/etc/kubernetes/ssl/apiserver.crt',
    'tls-private-key-file': '/etc/kubernetes/ssl/apiserver.key',
  };
  const apiserver = ['kube-apiserver', ...Object.keys(apiserverArgs).sort().map((k) => `--${k}=${apiserverArgs[k]}`)];
  const kubeletArgs = [
    '/usr/local/bin/kubelet',
    '--v=2',
    `--node-ip=${ip}`,
    '--hostname-override=node1',
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
    '--config=/etc/kubernetes/kubelet-config.yaml',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
    '--runtime-cgroups=/system.slice/containerd.service',
  ];
  return {
    name: 'kubespray-control-plane',
    hostname: 'node1',
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [{ address: 'fe80::5054:ff:fe12:3456', prefix: 64, scope: '20', device: 'eth0' }],
    processes: [
      SYSTEMD,
      SSHD,
      CONTAINERD,
      {
        // etcd_deployment_type: host — the binary with no arguments, configured by EnvironmentFile=/etc/etcd.env.
        pid: 890, ppid: 1, argv: ['/usr/local/bin/etcd'], uid: 998, startedAfterBootS: 11, threads: 15,
        environ: ['LANG=C.UTF-8', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NOTIFY_SOCKET=/run/systemd/notify', 'HOME=/home/etcd', 'LOGNAME=etcd', 'USER=etcd', 'INVOCATION_ID=0d2c4e6f8a1b3c5d7e9f0a1b2c3d4e5f', 'JOURNAL_STREAM=8:23011', 'SYSTEMD_EXEC_PID=890', ...etcdEnv],
        listens: [{ address: ip, port: 2379 }, { address: '127.0.0.1', port: 2379 }, { address: ip, port: 2380 }],
      },
      {
        pid: 905, ppid: 1, argv: kubeletArgs, startedAfterBootS: 13, threads: 20,
        listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }],
      },
      shim(1101, 'f8c5b6a7d9e0f1423367'),
      { pid: 1210, ppid: 1101, argv: apiserver, exe: '/usr/local/bin/kube-apiserver', startedAfterBootS: 50, threads: 15, listens: [{ address: '::', port: 6443 }] },
    ],
    files: {
      '/etc/etcd.env': `# Environment file for etcd v3.5.21\n${etcdEnv.join('\n')}\n`,
      '/etc/systemd/system/etcd.service': '[Unit]\nDescription=etcd\nAfter=network.target\n\n[Service]\nType=notify\nUser=etcd\nEnvironmentFile=/etc/etcd.env\nExecStart=/usr/local/bin/etcd\nNotifyAccess=all\nRestart=always\nRestartSec=10s\nLimitNOFILE=40000\n\n[Install]\nWantedBy=multi-user.target\n',
      '/etc/ssl/etcd/ssl/ca.pem': cert('kubespray-etcd-ca.crt'),
      '/etc/ssl/etcd/ssl/node-node1.pem': cert('kubespray-etcd-node-node1.crt'),
      '/etc/kubernetes/ssl/ca.crt': cert('kubeadm-ca.crt'),
      '/etc/kubernetes/pki': { symlink: '/etc/kubernetes/ssl' },
      '/etc/kubernetes/kubelet.env': [
        'KUBE_LOGTOSTDERR="--logtostderr=true"',
        'KUBE_LOG_LEVEL="--v=2"',
        `KUBELET_ADDRESS="--node-ip=${ip}"`,
        'KUBELET_HOSTNAME="--hostname-override=node1"',
        `KUBELET_ARGS="${kubeletArgs.slice(4).join(' ')}"`,
        'KUBELET_CLOUDPROVIDER=""',
        'PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '',
      ].join('\n'),
      '/etc/kubernetes/kubelet-config.yaml': [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'nodeStatusUpdateFrequency: "10s"',
        'failSwapOn: True',
        'authentication:',
        '  anonymous:',
        '    enabled: false',
        '  webhook:',
        '    enabled: True',
        '  x509:',
        '    clientCAFile: /etc/kubernetes/ssl/ca.crt',
        'authorization:',
        '  mode: Webhook',
        'staticPodPath: /etc/kubernetes/manifests',
        'cgroupDriver: systemd',
        'containerLogMaxFiles: 5',
        'containerLogMaxSize: 10Mi',
        'maxPods: 110',
        'podPidsLimit: -1',
        'address: 10.0.2.11',
        'readOnlyPort: 0',
        'healthzPort: 10248',
        'healthzBindAddress: 127.0.0.1',
        'kubeletCgroups: /system.slice/kubelet.service',
        'clusterDomain: cluster.local',
        'protectKernelDefaults: true',
        'rotateCertificates: true',
        'clusterDNS:',
        '- 169.254.25.10',
        'resolvConf: "/run/systemd/resolve/resolv.conf"',
        'eventRecordQPS: 50',
        'shutdownGracePeriod: 60s',
        'shutdownGracePeriodCriticalPods: 20s',
        '',
      ].join('\n'),
      // A stale kubeadm default the kubelet does NOT use (kube-bench#948: first existing candidate wins).
      '/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow\nreadOnlyPort: 10255\n',
      '/etc/kubernetes/kubelet.conf': kubeadmKubeletConf('node1', `https://${ip}:6443`),
      ...kubeletPki('node1', '2026-11-20-06-01-07'),
      '/etc/kubernetes/manifests/kube-apiserver.yaml': staticPod({
        name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.33.4', command: apiserver,
        mounts: [{ name: 'etc-pki', path: '/etc/pki', readOnly: true }, { name: 'etcd-certs-0', path: '/etc/ssl/etcd/ssl', readOnly: true }, { name: 'k8s-certs', path: '/etc/kubernetes/ssl', readOnly: true }],
        annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
      }),
    },
  };
}

const RKE2_DATA = '/var/lib/rancher/rke2';

function rke2Server(): HostSpec {
  const ip = '10.0.3.11';
  const node = 'rke2-server-1';
  const tls = `${RKE2_DATA}/server/tls`;
  const apiserverArgs: Record<string, string> = {
    'admission-control-config-file': '/etc/rancher/rke2/rke2-pss.yaml',
    'advertise-address': ip,
    'allow-privileged': 'true',
    'anonymous-auth': 'false',
    'api-audiences': 'https://kubernetes.default.svc.cluster.local,rke2',
    'audit-log-maxage': '30',
    'audit-log-maxbackup': '10',
    'audit-log-maxsize': '100',
    'audit-log-path': `${RKE2_DATA}/server/logs/audit.log`,
    'audit-policy-file': '/etc/rancher/rke2/audit-policy.yaml',
    'authorization-mode': 'Node,RBAC',
    'bind-address': '0.0.0.0',
    'cert-dir': `${tls}/temporary-certs`,
    'client-ca-file': `${tls}/client-ca.crt`,
    'egress-selector-config-file': `${RKE2_DATA}/server/etc/egress-selector-config.yaml`,
    'enable-admission-plugins': 'NodeRestriction',
    'enable-aggregator-routing': 'true',
    'enable-bootstrap-token-auth': 'true',
    'encryption-provider-config': `${RKE2_DATA}/server/cred/encryption-config.json`,
    'encryption-provider-config-automatic-reload': 'true',
    'etcd-cafile': `${tls}/etcd/server-ca.crt`,
    'etcd-certfile': `${tls}/etcd/client.crt`,
    'etcd-keyfile': `${tls}/etcd/client.key`,
    'etcd-servers': 'https://127.0.0.1:2379',
    'kubelet-certificate-authority': `${tls}/server-ca.crt`,
    'kubelet-client-certificate': `${tls}/client-kube-apiserver.crt`,
    'kubelet-client-key': `${tls}/client-kube-apiserver.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    profiling: 'false',
    'proxy-client-cert-file': `${tls}/client-auth-proxy.crt`,
    'proxy-client-key-file': `${tls}/client-auth-proxy.key`,
    'requestheader-allowed-names': 'system:auth-proxy',
    'requestheader-client-ca-file': `${tls}/request-header-ca.crt`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': '6443',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': `${tls}/service.key`,
    'service-account-signing-key-file': `${tls}/service.current.key`,
    'service-cluster-ip-range': '10.43.0.0/16',
    'service-node-port-range': '30000-32767',
    'storage-backend': 'etcd3',
    'tls-cert-file': `${tls}/serving-kube-apiserver.crt`,
    'tls-private-key-file': `${tls}/serving-kube-apiserver.key`,
  };
  const apiserverFlags = Object.keys(apiserverArgs).sort().map((k) => `--${k}=${apiserverArgs[k]}`);
  const etcdConfigPath = `${RKE2_DATA}/server/db/etcd/config`;
  const kubeletArgs = [
    `${RKE2_DATA}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/kubelet`,
    `--config-dir=${RKE2_DATA}/agent/etc/kubelet.conf.d`,
    `--kubeconfig=${RKE2_DATA}/agent/kubelet.kubeconfig`,
    '--read-only-port=0',
    '--cloud-provider=external',
    `--hostname-override=${node}`,
    `--node-ip=${ip}`,
    '--node-labels=',
  ];
  const hardened = 'index.docker.io/rancher/hardened-kubernetes:v1.35.1-rke2r1-build20260211';
  // k3s pkg/daemons/control/server.go (controllerManager, scheduler), which RKE2 embeds: loopback
  // binds, profiling off, the kubeconfigs under server/cred.
  const kcm = ['kube-controller-manager', ...[
    '--allocate-node-cidrs=true',
    `--authentication-kubeconfig=${RKE2_DATA}/server/cred/controller.kubeconfig`,
    `--authorization-kubeconfig=${RKE2_DATA}/server/cred/controller.kubeconfig`,
    '--bind-address=127.0.0.1',
    '--cluster-cidr=10.42.0.0/16',
    `--kubeconfig=${RKE2_DATA}/server/cred/controller.kubeconfig`,
    '--profiling=false',
    `--root-ca-file=${tls}/server-ca.crt`,
    '--secure-port=10257',
    `--service-account-private-key-file=${tls}/service.current.key`,
    '--use-service-account-credentials=true',
  ]];
  const scheduler = ['kube-scheduler', ...[
    `--authentication-kubeconfig=${RKE2_DATA}/server/cred/scheduler.kubeconfig`,
    `--authorization-kubeconfig=${RKE2_DATA}/server/cred/scheduler.kubeconfig`,
    '--bind-address=127.0.0.1',
    `--kubeconfig=${RKE2_DATA}/server/cred/scheduler.kubeconfig`,
    '--profiling=false',
    '--secure-port=10259',
  ]];
  return {
    name: 'rke2-server',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [{ address: 'fe80::250:56ff:fe9a:1b2c', prefix: 64, scope: '20', device: 'eth0' }],
    processes: [
      SYSTEMD,
      SSHD,
      { pid: 850, ppid: 1, argv: [`/usr/local/bin/rke2`, 'server'], comm: 'rke2', startedAfterBootS: 10, threads: 30, listens: [{ address: '::', port: 9345 }, { address: '127.0.0.1', port: 6444 }] },
      { pid: 870, ppid: 850, argv: [`${RKE2_DATA}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/containerd`, '-c', `${RKE2_DATA}/agent/etc/containerd/config.toml`], startedAfterBootS: 11 },
      {
        pid: 880, ppid: 850, argv: kubeletArgs, startedAfterBootS: 12, threads: 22,
        listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }],
      },
      shim(1101, '0a1b2c3d4e5f60718293'),
      {
        pid: 1180, ppid: 1101, argv: ['etcd', `--config-file=${etcdConfigPath}`], exe: '/usr/local/bin/etcd', startedAfterBootS: 30, threads: 16,
        environ: containerEnviron(node, ['FILE_HASH=9c1b2a6e4f0d7c35a8e2b1f4d6c9a0e3b5f7d2c4a6e8b0d1f3a5c7e9b2d4f6a8', 'NO_PROXY=.svc,.cluster.local,10.42.0.0/16,10.43.0.0/16']).filter((e) => !e.startsWith('KUBERNETES_')),
        listens: [{ address: '127.0.0.1', port: 2379 }, { address: ip, port: 2379 }, { address: '127.0.0.1', port: 2380 }, { address: ip, port: 2380 }, { address: '127.0.0.1', port: 2381 }, { address: '127.0.0.1', port: 2382 }],
      },
      shim(1102, '1b2c3d4e5f6071829304'),
      { pid: 1210, ppid: 1102, argv: ['kube-apiserver', ...apiserverFlags], exe: '/usr/local/bin/kube-apiserver', startedAfterBootS: 40, threads: 15, listens: [{ address: '::', port: 6443 }] },
      shim(1103, '2c3d4e5f607182930415'),
      { pid: 1230, ppid: 1103, argv: kcm, exe: '/usr/local/bin/kube-controller-manager', startedAfterBootS: 46, listens: [{ address: '127.0.0.1', port: 10257 }] },
      shim(1104, '3d4e5f60718293041526'),
      { pid: 1250, ppid: 1104, argv: scheduler, exe: '/usr/local/bin/kube-scheduler', startedAfterBootS: 46, listens: [{ address: '127.0.0.1', port: 10259 }] },
    ],
    files: {
      '/etc/rancher/rke2/config.yaml': 'profile: cis\nwrite-kubeconfig-mode: "0600"\n',
      '/etc/rancher/rke2/rke2-pss.yaml': [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '- name: PodSecurity',
        '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1beta1',
        '    kind: PodSecurityConfiguration',
        '    defaults:',
        '      enforce: "restricted"',
        '      enforce-version: "latest"',
        '      audit: "restricted"',
        '      audit-version: "latest"',
        '      warn: "restricted"',
        '      warn-version: "latest"',
        '    exemptions:',
        '      usernames: []',
        '      runtimeClasses: []',
        '      namespaces: [kube-system, cis-operator-system, tigera-operator]',
        '',
      ].join('\n'),
      [etcdConfigPath]: [
        `advertise-client-urls: https://${ip}:2379`,
        'client-transport-security:',
        `  cert-file: ${tls}/etcd/server-client.crt`,
        '  client-cert-auth: true',
        `  key-file: ${tls}/etcd/server-client.key`,
        `  trusted-ca-file: ${tls}/etcd/server-ca.crt`,
        `data-dir: ${RKE2_DATA}/server/db/etcd`,
        'election-timeout: 5000',
        'experimental-initial-corrupt-check: true',
        'experimental-watch-progress-notify-interval: 5000000000',
        'heartbeat-interval: 500',
        `initial-advertise-peer-urls: https://${ip}:2380`,
        `initial-cluster: ${node}-6c1a9e42=https://${ip}:2380`,
        'initial-cluster-state: new',
        'listen-client-http-urls: https://127.0.0.1:2382',
        `listen-client-urls: https://127.0.0.1:2379,https://${ip}:2379`,
        'listen-metrics-urls: http://127.0.0.1:2381',
        `listen-peer-urls: https://127.0.0.1:2380,https://${ip}:2380`,
        'log-outputs:',
        '- stderr',
        'logger: zap',
        `name: ${node}-6c1a9e42`,
        'peer-transport-security:',
        `  cert-file: ${tls}/etcd/peer-server-client.crt`,
        '  client-cert-auth: true',
        `  key-file: ${tls}/etcd/peer-server-client.key`,
        `  trusted-ca-file: ${tls}/etcd/peer-ca.crt`,
        'snapshot-count: 10000',
        '',
      ].join('\n'),
      [`${tls}/client-ca.crt`]: cert('rke2-client-ca.crt'),
      [`${tls}/etcd/server-ca.crt`]: cert('rke2-etcd-server-ca.crt'),
      [`${tls}/etcd/peer-ca.crt`]: cert('rke2-etcd-peer-ca.crt'),
      [`${tls}/etcd/client.crt`]: cert('rke2-etcd-client.crt'),
      [`${RKE2_DATA}/agent/client-ca.crt`]: cert('rke2-client-ca.crt'),
      [`${RKE2_DATA}/agent/client-kubelet.crt`]: cert('rke2-kubelet-rke2-server-1.crt'),
      [`${RKE2_DATA}/agent/kubelet.kubeconfig`]: kubeconfig({
        server: 'https://127.0.0.1:6443',
        user: 'user',
        ca: `certificate-authority: ${RKE2_DATA}/agent/server-ca.crt`,
        certLines: [`client-certificate: ${RKE2_DATA}/agent/client-kubelet.crt`, `client-key: ${RKE2_DATA}/agent/client-kubelet.key`],
      }).replace('name: kubernetes', 'name: local').replaceAll('cluster: kubernetes', 'cluster: local').replaceAll('@kubernetes', '@local'),
      [`${RKE2_DATA}/agent/etc/kubelet.conf.d/00-rke2-defaults.conf`]: [
        'address: 0.0.0.0',
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'authentication:',
        '  anonymous:',
        '    enabled: false',
        '  webhook:',
        '    cacheTTL: 2m0s',
        '    enabled: true',
        '  x509:',
        `    clientCAFile: ${RKE2_DATA}/agent/client-ca.crt`,
        'authorization:',
        '  mode: Webhook',
        '  webhook:',
        '    cacheAuthorizedTTL: 5m0s',
        '    cacheUnauthorizedTTL: 30s',
        'cgroupDriver: systemd',
        'clusterDNS:',
        '- 10.43.0.10',
        'clusterDomain: cluster.local',
        'containerRuntimeEndpoint: unix:///run/k3s/containerd/containerd.sock',
        'evictionHard:',
        '  imagefs.available: 5%',
        '  nodefs.available: 5%',
        'failSwapOn: false',
        'healthzBindAddress: 127.0.0.1',
        'kind: KubeletConfiguration',
        'protectKernelDefaults: true',
        `staticPodPath: ${RKE2_DATA}/agent/pod-manifests`,
        `tlsCertFile: ${RKE2_DATA}/agent/serving-kubelet.crt`,
        `tlsPrivateKeyFile: ${RKE2_DATA}/agent/serving-kubelet.key`,
        '',
      ].join('\n'),
      [`${RKE2_DATA}/agent/pod-manifests/etcd.yaml`]: staticPod({
        name: 'etcd', image: 'index.docker.io/rancher/hardened-etcd:v3.6.7-k3s1-build20260126', command: ['etcd'], args: [`--config-file=${etcdConfigPath}`],
        mounts: [{ name: 'dir0', path: `${RKE2_DATA}/server/db/etcd` }, { name: 'file0', path: `${tls}/etcd`, readOnly: true }],
      }),
      [`${RKE2_DATA}/agent/pod-manifests/kube-controller-manager.yaml`]: staticPod({
        name: 'kube-controller-manager', image: hardened, command: ['kube-controller-manager'], args: kcm.slice(1),
        mounts: [{ name: 'dir0', path: `${RKE2_DATA}/server/cred`, readOnly: true }, { name: 'dir1', path: `${tls}`, readOnly: true }],
      }),
      [`${RKE2_DATA}/agent/pod-manifests/kube-scheduler.yaml`]: staticPod({
        name: 'kube-scheduler', image: hardened, command: ['kube-scheduler'], args: scheduler.slice(1),
        mounts: [{ name: 'dir0', path: `${RKE2_DATA}/server/cred`, readOnly: true }],
      }),
      [`${RKE2_DATA}/agent/pod-manifests/kube-apiserver.yaml`]: staticPod({
        name: 'kube-apiserver', image: hardened, command: ['kube-apiserver'], args: apiserverFlags,
        mounts: [{ name: 'dir0', path: `${tls}`, readOnly: true }, { name: 'file0', path: '/etc/rancher/rke2/rke2-pss.yaml', readOnly: true }],
      }),
    },
  };
}

function scsClusterStacksControlPlane(): HostSpec {
  const node = 'scs-cp-7x2kq-abcde';
  const kubeProxyConfig = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
    'clusterCIDR: 172.16.0.0/16',
    'healthzBindAddress: ""',
    'kind: KubeProxyConfiguration',
    'metricsBindAddress: 0.0.0.0:10249',
    'mode: ""',
    '',
  ].join('\n');
  return kubeadmHost({
    name: 'scs-cluster-stacks-control-plane', hostname: node, ip: '10.8.0.15', prefix: 20,
    version: 'v1.34.7', etcdImage: '3.6.4-0', pauseImage: 'registry.k8s.io/pause:3.10.1', dpkgVersion: '1.34.7-1.1',
    controllerManagerExtra: { 'bind-address': '0.0.0.0', 'cloud-provider': 'external', 'secure-port': '10257', 'cluster-cidr': '172.16.0.0/16' },
    schedulerExtra: { 'bind-address': '0.0.0.0', 'secure-port': '10259' },
    etcdExtra: {
      'listen-metrics-urls': 'http://0.0.0.0:2381',
      'auto-compaction-mode': 'periodic',
      'auto-compaction-retention': '8h',
      'election-timeout': '2500',
      'heartbeat-interval': '250',
      'snapshot-count': '6400',
    },
    kubeletExtraArgs: ['--cloud-provider=external', '--provider-id=openstack:///3f6b1c2e-8d4a-4e5f-9a7b-1c2d3e4f5a6b'],
    extraProcesses: [
      shim(1106, '2c3d4e5f607182930415'),
      {
        pid: 1330, ppid: 1106, argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${node}`],
        startedAfterBootS: 70, listens: [{ address: '::', port: 10249 }, { address: '::', port: 10256 }],
      },
    ],
    extraFiles: {
      '/var/lib/kube-proxy/config.conf': kubeProxyConfig,
      '/etc/kube-proxy-patch.sh': '#!/usr/bin/env bash\n# written by cloud-init from the KubeadmControlPlaneTemplate (see README); appends kube-proxy-config.yaml to the kubeadm config\n',
    },
  });
}

function insecureHandRolled(): HostSpec {
  const ip = '80.158.1.10';
  const apiserver = [
    '/usr/local/bin/kube-apiserver',
    `--advertise-address=${ip}`,
    '--allow-privileged=true',
    '--authorization-mode=AlwaysAllow',
    '--bind-address=0.0.0.0',
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota',
    '--etcd-servers=http://127.0.0.1:2379',
    '--insecure-bind-address=0.0.0.0',
    '--insecure-port=8080',
    '--secure-port=6443',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-cluster-ip-range=10.32.0.0/24',
    '--service-node-port-range=30000-32767',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.pem',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver-key.pem',
    '--v=2',
  ];
  const etcd = [
    '/usr/local/bin/etcd',
    '--name', 'legacy-master',
    '--data-dir', '/var/lib/etcd',
    '--listen-client-urls', 'http://0.0.0.0:2379',
    '--advertise-client-urls', `http://${ip}:2379`,
    '--listen-peer-urls', 'http://0.0.0.0:2380',
    '--initial-advertise-peer-urls', `http://${ip}:2380`,
    '--initial-cluster', `legacy-master=http://${ip}:2380`,
    '--initial-cluster-state', 'new',
  ];
  const kubelet = ['/usr/local/bin/kubelet', '--kubeconfig=/var/lib/kubelet/kubeconfig', '--register-node=true', '--network-plugin=cni', '--v=2'];
  return {
    name: 'insecure-hand-rolled',
    hostname: 'legacy-master',
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [{ address: 'fe80::216:3eff:fe00:1', prefix: 64, scope: '20', device: 'eth0' }],
    processes: [
      SYSTEMD,
      SSHD,
      { pid: 640, ppid: 1, argv: ['/usr/bin/dockerd', '-H', 'fd://'], startedAfterBootS: 7 },
      {
        pid: 660, ppid: 1, argv: etcd, startedAfterBootS: 8, threads: 12,
        environ: ['LANG=en_US.UTF-8', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'INVOCATION_ID=9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', 'JOURNAL_STREAM=9:18811'],
        listens: [{ address: '::', port: 2379 }, { address: '::', port: 2380 }],
      },
      { pid: 700, ppid: 1, argv: apiserver, startedAfterBootS: 9, threads: 13, listens: [{ address: '::', port: 6443 }, { address: '0.0.0.0', port: 8080 }] },
      {
        pid: 720, ppid: 1, argv: kubelet, startedAfterBootS: 10, threads: 19,
        listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }, { address: '::', port: 10255 }],
      },
    ],
    files: {
      '/etc/systemd/system/kube-apiserver.service': `[Unit]\nDescription=Kubernetes API Server\n\n[Service]\nExecStart=${apiserver.join(' \\\n  ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/etc/systemd/system/etcd.service': `[Unit]\nDescription=etcd\n\n[Service]\nExecStart=${etcd.join(' ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/etc/systemd/system/kubelet.service': `[Unit]\nDescription=Kubernetes Kubelet\nAfter=docker.service\n\n[Service]\nExecStart=${kubelet.join(' \\\n  ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/var/lib/kubelet/kubeconfig': kubeconfig({
        server: `http://${ip}:8080`,
        user: 'kubelet',
        ca: 'insecure-skip-tls-verify: true',
        certLines: ['client-certificate: /var/lib/kubelet/kubelet.pem', 'client-key: /var/lib/kubelet/kubelet-key.pem'],
      }),
      '/var/lib/kubelet/kubelet.pem': cert('legacy-kubelet.crt'),
      '/var/lib/dpkg/status': dpkgKubelet('1.19.16-00'),
    },
  };
}

function parsingTraps(): HostSpec {
  const ip = '10.0.9.10';
  const node = 'trap-node';
  const apiserver = [
    'kube-apiserver',
    `--advertise-address=${ip}`,
    '--allow-privileged=true',
    // Deprecated complete admission list: NodeRestriction on, every default-on plugin not named
    // here (PodSecurity among them) off (kube-bench#432).
    '--admission-control=NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction,ResourceQuota',
    // Structured authorization instead of --authorization-mode, in space form (kube-bench#2095).
    '--authorization-config', '/etc/kubernetes/authorization-config.yaml',
    '--client-ca-file', '/etc/kubernetes/pki/ca.crt',
    // StringSlice: the second occurrence appends (kube-bench takes the first).
    '--etcd-servers=https://127.0.0.1:2379',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--secure-port=6443',
    // Underscores are accepted as dashes (component-base/cli/run.go).
    '--service_account_issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    '--etcd-servers', 'http://10.0.9.10:2379',
  ];
  const etcd = [
    'etcd',
    '--config-file=/etc/kubernetes/etcd/etcd.conf.yaml',
    // Ignored: with --config-file etcd reads nothing else from flags or ETCD_* env.
    '--client-cert-auth=false',
    '--listen-client-urls=http://0.0.0.0:2379',
    '--peer-client-cert-auth=true',
  ];
  const kubelet = [
    '/usr/bin/kubelet',
    '--config', 'kubelet_conf.yaml',
    '--config-dir=/etc/kubernetes/kubelet.conf.d',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--anonymous-auth=0',
    '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
  ];
  const secretKeyData = base64('SCS-TRAP-SECRET-client-key-data-7f3a9c');
  const host: HostSpec = {
    name: 'parsing-traps',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe99:1010', prefix: 64, scope: '20', device: 'ens3' }],
    processes: [
      SYSTEMD,
      SSHD,
      CONTAINERD,
      {
        pid: 812, ppid: 1, argv: kubelet, cwd: '/var/lib/kubelet', startedAfterBootS: 12, threads: 21,
        listens: [{ address: '127.0.0.1', port: 10248 }, { address: '::', port: 10250 }],
      },
      shim(1101, '3d4e5f60718293a4b5c6'),
      {
        pid: 1190, ppid: 1101, argv: etcd, exe: '/usr/local/bin/etcd', startedAfterBootS: 44, threads: 16,
        // Ignored as well: etcd reads no ETCD_* variable once --config-file is set.
        environ: containerEnviron(node, ['ETCD_PEER_AUTO_TLS=true', 'ETCD_CLIENT_CERT_AUTH=false']),
        listens: [{ address: '127.0.0.1', port: 2379 }, { address: ip, port: 2379 }, { address: ip, port: 2380 }, { address: '127.0.0.1', port: 2381 }],
      },
      shim(1102, '4e5f60718293a4b5c6d7'),
      { pid: 1210, ppid: 1102, argv: apiserver, exe: '/usr/local/bin/kube-apiserver', startedAfterBootS: 45, threads: 14, listens: [{ address: '::', port: 6443 }] },
      // Noise that substring matching mistakes for components (kube-bench#194, #139, #828).
      { pid: 2101, ppid: 702, argv: ['tail', '-F', '/var/log/pods/kube-system_kube-apiserver-trap-node_1f2e/kube-apiserver/0.log'], startedAfterBootS: 9000 },
      { pid: 2102, ppid: 702, argv: ['vim', '/etc/kubernetes/manifests/etcd.yaml'], startedAfterBootS: 9100 },
      { pid: 2103, ppid: 1, argv: ['/bin/sh', '/usr/local/bin/etcd-backup', '--etcd-servers=http://127.0.0.1:2379'], comm: 'etcd-backup', startedAfterBootS: 9200 },
    ],
    files: {
      '/etc/kubernetes/authorization-config.yaml': [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AuthorizationConfiguration',
        'authorizers:',
        '  - type: Node',
        '    name: node',
        '  - type: RBAC',
        '    name: rbac',
        '',
      ].join('\n'),
      '/etc/kubernetes/etcd/etcd.conf.yaml': [
        `name: ${node}`,
        'data-dir: /var/lib/etcd',
        `listen-client-urls: https://127.0.0.1:2379,https://${ip}:2379`,
        `advertise-client-urls: https://${ip}:2379`,
        `listen-peer-urls: https://${ip}:2380`,
        `initial-advertise-peer-urls: https://${ip}:2380`,
        `initial-cluster: ${node}=https://${ip}:2380`,
        'listen-metrics-urls: http://127.0.0.1:2381',
        'client-transport-security:',
        '  cert-file: /etc/kubernetes/pki/etcd/server.crt',
        '  key-file: /etc/kubernetes/pki/etcd/server.key',
        '  client-cert-auth: yes',
        '  trusted-ca-file: /etc/kubernetes/pki/etcd/ca.crt',
        'peer-transport-security:',
        '  cert-file: /etc/kubernetes/pki/etcd/peer.crt',
        '  key-file: /etc/kubernetes/pki/etcd/peer.key',
        '  client-cert-auth: no',
        '  trusted-ca-file: /etc/kubernetes/pki/etcd/ca.crt',
        '',
      ].join('\n'),
      // The CA etcd trusts is a byte-identical copy of the cluster CA under another path.
      '/etc/kubernetes/pki/ca.crt': cert('kubeadm-ca.crt'),
      '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-ca.crt'),
      '/etc/kubernetes/pki/apiserver-etcd-client.crt': cert('trap-etcd-root-client.crt'),
      // Relative --config, resolved against the kubelet's cwd /var/lib/kubelet (kube-bench#1256).
      '/var/lib/kubelet/kubelet_conf.yaml': [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'authentication:',
        '  anonymous:',
        '    enabled: yes',
        '  webhook:',
        '    enabled: no',
        '  x509:',
        '    clientCAFile: /etc/kubernetes/pki/ca.crt',
        'authorization:',
        '  mode: AlwaysAllow',
        'readOnlyPort: 10255',
        'staticPodPath: /etc/kubernetes/manifests',
        '',
      ].join('\n'),
      // The stale default path the kubelet does not use.
      '/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n',
      '/etc/kubernetes/kubelet.conf.d/10-authz.conf': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n',
      // Not a drop-in: only *.conf files are read.
      '/etc/kubernetes/kubelet.conf.d/20-ignored.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\nauthorization:\n  mode: AlwaysAllow\n',
      // Drop-in directories are walked recursively; the flag --anonymous-auth=0 still wins.
      '/etc/kubernetes/kubelet.conf.d/30-sub/40-anonymous.conf': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n',
      '/etc/kubernetes/kubelet.conf': kubeconfig({
        server: `https://${ip}:6443`,
        user: `system:node:${node}`,
        ca: `certificate-authority-data: ${base64(cert('kubeadm-ca.crt'))}`,
        certLines: [`client-certificate-data: ${base64(cert(`kubelet-${node}.crt`))}`, `client-key-data: ${secretKeyData}`, 'token: scs-trap-secret-token-5d41402abc4b2a76'],
      }),
      '/var/lib/dpkg/status': dpkgKubelet('1.35.1-1.1'),
      '/etc/kubernetes/manifests/kube-apiserver.yaml': staticPod({ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.1', command: apiserver, mounts: PKI_MOUNTS }),
      '/etc/kubernetes/manifests/etcd.yaml': staticPod({
        name: 'etcd', image: 'registry.k8s.io/etcd:3.6.6-0', command: etcd,
        mounts: [{ name: 'etcd-certs', path: '/etc/kubernetes/pki/etcd' }, { name: 'etcd-config', path: '/etc/kubernetes/etcd' }, { name: 'etcd-data', path: '/var/lib/etcd' }],
      }),
    },
  };
  return host;
}

/**
 * The kubelet deb's unit (kubernetes/release cmd/krel/templates/latest/kubelet/kubelet.service,
 * installed to %{_unitdir} by kubelet.spec).
 */
const KUBELET_DEB_UNIT = [
  '[Unit]',
  'Description=kubelet: The Kubernetes Node Agent',
  'Documentation=https://kubernetes.io/docs/',
  'Wants=network-online.target',
  'After=network-online.target',
  '',
  '[Service]',
  'ExecStart=/usr/bin/kubelet',
  'Restart=always',
  'StartLimitInterval=0',
  'RestartSec=10',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
  '',
].join('\n');

function manifestsOnly(): HostSpec {
  // The same node kubeadm would build, captured as a powered-off disk image: files only. The
  // kubelet is a host binary under systemd, so its unit files are where the packages put them
  // (kubelet.spec / kubeadm.spec install to %{_unitdir}), not under /etc.
  const host = kubeadmHost({
    name: 'manifests-only', hostname: 'image-cp', ip: '10.0.4.10', prefix: 24,
    version: 'v1.35.1', etcdImage: '3.6.6-0', pauseImage: 'registry.k8s.io/pause:3.10.1', dpkgVersion: '1.35.1-1.1',
  });
  const { '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': dropIn, ...files } = host.files;
  return {
    ...host,
    offline: true,
    files: {
      ...files,
      '/usr/lib/systemd/system/kubelet.service': KUBELET_DEB_UNIT,
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': dropIn!,
      // The kubelet deb's /etc/default/kubelet (kubelet.spec installs kubelet.env there).
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=\n',
      '/proc/.keep': '',
    },
  };
}

const FIXTURES: (() => HostSpec)[] = [
  kubeadm134ControlPlane,
  kubeadm129Worker,
  kubeadm136Worker,
  kubeadm127ControlPlane,
  kubeadmExternalEtcdControlPlane,
  kubeadmExternalEtcdHost,
  kindControlPlane,
  kubesprayControlPlane,
  rke2Server,
  scsClusterStacksControlPlane,
  insecureHandRolled,
  parsingTraps,
  manifestsOnly,
  k3sServer,
  k3sServerNoJournalRebuilt,
  k3sServerEtcd,
  k3sAgent,
  microk8s,
  k0sController,
  k0sControllerWorker,
  rke2Agent,
  talosControlPlane,
  ...FALLBACK_FIXTURES,
];

function main(): void {
  mkdirSync(certsDir, { recursive: true });
  const missing = CERTS.filter((c) => !existsSync(path.join(certsDir, c.name)));
  // New certificates whose issuers are new too can be made alone; any other gap remakes them all.
  const selfContained = missing.every((c) => c.issuer === undefined || missing.some((m) => m.name === c.issuer));
  if (process.argv.includes('--new-certs') || (missing.length > 0 && !selfContained)) generateCertificates();
  else if (missing.length > 0) generateCertificates(missing);
  for (const make of FIXTURES) {
    const host = make();
    buildHost(host);
    console.log(`wrote ${path.relative(repo, path.join(hostsDir, host.name))}`);
  }
}

main();
