import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectSnapshot } from '../../src/collect/host.js';
import { CollectError } from '../../src/collect/process-scan.js';
import type { FileRequest, HostSnapshot, ProcessInfo } from '../../src/collect/types.js';
import { selfSigned } from '../support/openssl.js';
import { FIB_TRIE, IF_INET6, makeFakeRoot, NET_TCP, NET_TCP6, type FakeRoot } from './fake-root.js';

/**
 * Stands in for the resolvers' referencedFiles: a few flags name files, and a file read in an
 * earlier round can name another (`cert-file: …`), as an etcd config file does.
 */
function testReferences(proc: ProcessInfo): FileRequest[] {
  const requests: FileRequest[] = [];
  const kinds: Record<string, FileRequest['kind']> = {
    config: 'text',
    'config-file': 'text',
    kubeconfig: 'kubeconfig',
    'tls-cert-file': 'certificate',
    'config-dir': 'dir',
    'audit-file': 'text',
  };
  for (const arg of proc.args) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    const kind = match ? kinds[match[1] as string] : undefined;
    if (match && kind) requests.push({ path: match[2] as string, kind });
  }
  for (const file of Object.values(proc.files)) {
    if (!file.ok) continue;
    for (const m of file.content.matchAll(/cert-file: (\S+)/g))
      requests.push({ path: m[1] as string, kind: 'certificate' });
  }
  return requests;
}

const NOW = new Date('2026-11-29T10:00:00.000Z');
const BOOT_TIME = 1780000000;

function makeCertificatePem(subject: string): string {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'scs-cert-'));
  try {
    const made = selfSigned(dir, 'c', subject, 1);
    return made.cert + made.key;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const APISERVER_MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    image: registry.k8s.io/kube-apiserver:v1.33.2
    name: kube-apiserver
  hostNetwork: true
`;

const ETCD_MANIFEST = `apiVersion: v1
kind: Pod
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    command: [etcd, --config-file=/etc/etcd/etcd.yaml]
`;

describe('collect on a fake control-plane root', () => {
  let fake: FakeRoot;
  let snapshot: HostSnapshot;
  const proc = (component: string) => snapshot.processes.find((p) => p.component === component) as ProcessInfo;

  before(() => {
    fake = makeFakeRoot();
    const pem = makeCertificatePem('/O=system:nodes/CN=system:node:cp-1');
    fake.addProcess(1, { argv: ['/sbin/init'], exe: '/usr/lib/systemd/systemd', cwd: '/' });
    fake.addProcess(2, { argv: [], comm: 'kthreadd' });
    fake.addProcess(300, {
      argv: ['/usr/local/bin/etcd', '--config-file=etcd.yaml'],
      exe: '/usr/local/bin/etcd',
      cwd: '/var/lib/etcd',
      environ: { ETCD_NAME: 'cp-1', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'must-not-leak', ETCD_AUTO_TLS: 'false' },
      uid: 997,
      startTicks: 1550,
      sockets: [30001, 30002, 30003],
    });
    fake.write('var/lib/etcd/etcd.yaml', 'name: cp-1\nclient-transport-security:\n  cert-file: /etc/etcd/server.pem\n');
    fake.write('etc/etcd/server.pem', pem);
    fake.addProcess(400, {
      argv: [
        'kubelet',
        '--kubeconfig=/etc/kubernetes/kubelet.conf',
        '--config=/var/lib/kubelet/config.yaml',
        '--config-dir=/etc/kubernetes/kubelet.conf.d',
        '--audit-file=/etc/os-release',
      ],
      exe: '/usr/bin/kubelet (deleted)',
      cwd: '/',
      sockets: [30011, 30012],
    });
    fake.write(
      'etc/kubernetes/kubelet.conf',
      'users:\n- name: default-auth\n  user:\n    token: kubelet-secret-token\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n',
    );
    fake.write('var/lib/kubelet/config.yaml', 'kind: KubeletConfiguration\nreadOnlyPort: 0\n');
    fake.write('etc/kubernetes/kubelet.conf.d/10-x.conf', '{}\n');
    fake.addProcess(500, { argv: ['/hyperkube', 'proxy', '--v=2'], cwd: '/' });
    fake.addProcess(600, { argv: ['/bin/sh', '/usr/local/bin/etcd', '--name=x'], exe: '/usr/bin/dash', cwd: '/' });
    fake.mkdir('proc/700');
    fake.addProcess(800, { argv: ['/usr/bin/kube-scheduler', Buffer.from([0x2d, 0x2d, 0x78, 0x3d, 0xc3, 0x28])] });
    // Only processes whose comm may name a component have their argv read: a process that only
    // calls itself kube-proxy in argv is not one; a truncated comm and a missing comm are read.
    fake.addProcess(810, { argv: ['kube-proxy', '--v=2'], comm: 'python3', cwd: '/' });
    fake.addProcess(820, { argv: ['/usr/local/bin/kube-controller-manager', '--v=2'], cwd: '/' });
    fake.write('proc/830/cmdline', 'kube-proxy\0--v=3\0');
    fake.write('etc/kubernetes/manifests/kube-apiserver.yaml', APISERVER_MANIFEST);
    fake.write('etc/kubernetes/manifests/etcd.yaml', ETCD_MANIFEST);
    fake.write('etc/kubernetes/manifests/broken.yaml', 'spec: [unclosed\n');
    fake.write('etc/kubernetes/manifests/.kube-apiserver.yaml.swp', 'x');
    fake.write('etc/kubernetes/manifests/.hidden.yaml', ETCD_MANIFEST);
    fake.write('etc/kubernetes/pki/apiserver.crt', pem);
    fake.write('proc/net/tcp', NET_TCP);
    fake.write('proc/net/tcp6', NET_TCP6);
    fake.write('proc/net/fib_trie', FIB_TRIE);
    fake.write('proc/net/if_inet6', IF_INET6);
    fake.write('proc/sys/kernel/hostname', 'cp-1\n');
    fake.write('etc/hostname', 'not-this-one\n');
    fake.write('var/lib/dpkg/status', 'Package: kubelet\nStatus: install ok installed\nVersion: 1.33.2-1.1\n');
    snapshot = collectSnapshot({ root: fake.root, now: NOW, references: testReferences });
  });
  after(() => fake.remove());

  it('describes the host, not the auditor', () => {
    assert.equal(snapshot.root, fake.root);
    assert.equal(snapshot.proc, path.join(fake.root, 'proc'));
    assert.equal(snapshot.realProc, false);
    assert.equal(snapshot.collectedAt, '2026-11-29T10:00:00.000Z');
    assert.equal(snapshot.hostname, 'cp-1');
    assert.deepEqual(snapshot.packages, { kubelet: '1.33.2-1.1' });
  });

  it('finds the components by argv[0] and hyperkube (comm cut to 15 bytes or absent), not the wrapper, the kernel thread, the vanished pid or a process whose comm names no component', () => {
    assert.deepEqual(
      snapshot.processes.map((p) => [p.pid, p.component, p.source]),
      [
        [300, 'etcd', 'process'],
        [400, 'kubelet', 'process'],
        [500, 'kube-proxy', 'process'],
        [800, 'kube-scheduler', 'process'],
        [820, 'kube-controller-manager', 'process'],
        [830, 'kube-proxy', 'process'],
        [0, 'kube-apiserver', 'static-pod-manifest'],
      ],
    );
    assert.deepEqual(proc('kube-proxy').args, ['--v=2']);
  });

  it('reads uid, start time, cwd, exe and only the ETCD_* environment of etcd', () => {
    const etcd = proc('etcd');
    assert.equal(etcd.uid, 997);
    assert.equal(etcd.startedAt, new Date((BOOT_TIME + 15.5) * 1000).toISOString());
    assert.equal(etcd.cwd, '/var/lib/etcd');
    assert.equal(etcd.exe, 'etcd');
    assert.deepEqual(etcd.env, { ETCD_NAME: 'cp-1', ETCD_AUTO_TLS: 'false' });
    assert.equal(etcd.environUnreadable, undefined);
    assert.ok(!JSON.stringify(snapshot).includes('must-not-leak'));
    assert.deepEqual(proc('kubelet').env, {});
    assert.equal(proc('kubelet').exe, 'kubelet');
  });

  it('says why an etcd environment it needed could not be read, as data and as a warning', () => {
    const bare = makeFakeRoot();
    try {
      bare.addProcess(500, { argv: ['/usr/local/bin/etcd', '--name=cp-1'], cwd: '/' });
      const etcd = collectSnapshot({ root: bare.root, now: NOW, references: testReferences }).processes.find(
        (p) => p.component === 'etcd',
      )!;
      assert.equal(etcd.environUnreadable, 'ENOENT');
      assert.ok(
        etcd.warnings.some((w) => w.includes('pid 500') && w.includes('environment could not be read (ENOENT)')),
        etcd.warnings.join('\n'),
      );
    } finally {
      bare.remove();
    }
  });

  it('finds a component whose executable file has another name (versioned, or a wrapper that execs it as argv[0])', () => {
    const bare = makeFakeRoot();
    try {
      // NixOS's makeWrapper runs `.kubelet-wrapped` with argv[0] kubelet; comm keeps 15 bytes of it.
      bare.addProcess(600, {
        argv: ['kubelet', '--config=/var/lib/kubelet/config.yaml'],
        comm: '.kubelet-wrapp',
        exe: '/nix/store/x/bin/.kubelet-wrapped',
        cwd: '/',
      });
      bare.addProcess(610, {
        argv: ['/usr/local/bin/etcd', '--name=cp-1'],
        comm: 'etcd-3.5.21',
        exe: '/usr/local/bin/etcd-3.5.21',
        cwd: '/',
      });
      const found = collectSnapshot({ root: bare.root, now: NOW, references: testReferences }).processes.map((p) => [
        p.pid,
        p.component,
      ]);
      assert.deepEqual(found, [
        [600, 'kubelet'],
        [610, 'etcd'],
      ]);
    } finally {
      bare.remove();
    }
  });

  it('follows references over rounds, relative to the cwd, keyed by absolute path', () => {
    const etcd = proc('etcd');
    assert.deepEqual(Object.keys(etcd.files).sort(), ['/etc/etcd/server.pem', '/var/lib/etcd/etcd.yaml']);
    const cert = etcd.files['/etc/etcd/server.pem'];
    assert.ok(cert?.ok);
    assert.equal(cert.certificates?.[0]?.commonName, 'system:node:cp-1');
    assert.doesNotMatch(cert.content, /PRIVATE KEY/);
    assert.ok(!JSON.stringify(snapshot).includes('PRIVATE KEY'));
  });

  it('redacts kubeconfigs, lists directories, and never reads the real / through a fake proc/<pid>/root', () => {
    const kubelet = proc('kubelet');
    const kubeconfig = kubelet.files['/etc/kubernetes/kubelet.conf'];
    assert.ok(kubeconfig?.ok);
    assert.match(kubeconfig.content, /token: <redacted>/);
    assert.match(kubeconfig.content, /client-key: \/var\/lib\/kubelet\/pki\/kubelet-client-current.pem/);
    assert.deepEqual(kubelet.dirs['/etc/kubernetes/kubelet.conf.d'], {
      ok: true,
      path: '/etc/kubernetes/kubelet.conf.d',
      entries: ['10-x.conf'],
    });
    // /etc/os-release exists on the auditing machine but not in the fake root.
    assert.equal((kubelet.files['/etc/os-release'] as { reason?: string }).reason, 'missing');
  });

  it('warns about non-UTF-8 argv, naming the pid', () => {
    const scheduler = proc('kube-scheduler');
    assert.deepEqual(scheduler.args, ['--x=\uFFFD(']);
    assert.ok(scheduler.warnings.some((w) => w.includes('pid 800') && w.includes('UTF-8')));
    // No cwd link in this fake process: `/` and a warning.
    assert.equal(scheduler.cwd, '/');
    assert.ok(scheduler.warnings.some((w) => w.includes('working directory')));
  });

  it('falls back to the static pod manifest of a control-plane component that is not running', () => {
    const apiserver = proc('kube-apiserver');
    assert.equal(apiserver.pid, 0);
    assert.equal(apiserver.cwd, '/');
    assert.equal(apiserver.manifestPath, '/etc/kubernetes/manifests/kube-apiserver.yaml');
    assert.equal(apiserver.image, 'registry.k8s.io/kube-apiserver:v1.33.2');
    assert.deepEqual(apiserver.args, [
      '--authorization-mode=Node,RBAC',
      '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    ]);
    assert.equal(apiserver.argv[0], 'kube-apiserver');
    assert.equal(apiserver.files['/etc/kubernetes/pki/apiserver.crt']?.ok, true);
    assert.ok(
      snapshot.notes.includes(
        'kube-apiserver not running as a visible process; audited its static pod manifest /etc/kubernetes/manifests/kube-apiserver.yaml',
      ),
    );
    assert.ok(!snapshot.notes.some((n) => n.startsWith('not a Kubernetes node')));
  });

  it('records every manifest, its component, image or error, and sets the image on a running component', () => {
    assert.deepEqual(
      snapshot.manifests.map((m) => [m.path, m.component, m.image]),
      [
        ['/etc/kubernetes/manifests/broken.yaml', undefined, undefined],
        ['/etc/kubernetes/manifests/etcd.yaml', 'etcd', 'registry.k8s.io/etcd:3.5.21-0'],
        ['/etc/kubernetes/manifests/kube-apiserver.yaml', 'kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.33.2'],
      ],
    );
    assert.match(
      snapshot.manifests[0]?.error ?? '',
      /^\/etc\/kubernetes\/manifests\/broken.yaml is not valid YAML: .* at line 2, column 1$/,
    );
    assert.equal(proc('etcd').image, 'registry.k8s.io/etcd:3.5.21-0');
    assert.equal(proc('etcd').manifestPath, '/etc/kubernetes/manifests/etcd.yaml');
  });

  it('lists listeners with their owning component pid', () => {
    assert.ok(Array.isArray(snapshot.listeners));
    assert.deepEqual(
      snapshot.listeners.map((l) => `${l.transport} ${l.address}:${l.port} ${l.pid ?? '-'}`),
      [
        'tcp 127.0.0.1:2379 300',
        'tcp 10.0.0.5:2379 300',
        'tcp 0.0.0.0:2380 300',
        'tcp6 :::6443 -',
        'tcp6 ::1:10248 400',
        'tcp6 ::ffff:10.0.0.5:10250 400',
        'tcp6 2001:db8::1:443 -',
      ],
    );
  });

  it('reads the host addresses', () => {
    assert.deepEqual(snapshot.addresses, ['10.0.0.5', '127.0.0.1', 'fd00::2', 'fe80::fc:ff:fe00:1', '::1']);
  });
});

describe('collect edge cases', () => {
  it('throws CollectError PROC_UNREADABLE naming the path when <proc> cannot be listed', () => {
    const fake = makeFakeRoot();
    try {
      const missing = path.join(fake.root, 'no-proc');
      assert.throws(
        () => collectSnapshot({ root: fake.root, proc: missing, references: testReferences }),
        (error: unknown) => error instanceof CollectError && error.message.includes(missing),
      );
      const file = fake.write('proc-file', 'x');
      assert.throws(() => collectSnapshot({ root: fake.root, proc: file, references: testReferences }), {
        code: 'PROC_UNREADABLE',
      });
    } finally {
      fake.remove();
    }
  });

  it('says how many processes it looked at when nothing Kubernetes is found', () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(1, { argv: ['/sbin/init'] });
      fake.addProcess(2, { argv: [] });
      fake.addProcess(40, { argv: ['/usr/local/bin/k3s', 'kubectl', 'get', 'nodes'], cwd: '/' });
      fake.write('proc/net/tcp', NET_TCP);
      const snapshot = collectSnapshot({ root: fake.root, references: testReferences });
      assert.deepEqual(snapshot.processes, []);
      assert.deepEqual(snapshot.distributions, []);
      const none = snapshot.notes.filter((n) => n.startsWith('not a Kubernetes node'));
      assert.deepEqual(none, [
        `not a Kubernetes node: no Kubernetes component or distribution found among 3 processes in ${fake.proc}`,
      ]);
      // No /etc/hostname, no kernel hostname in the tree, and the root is not `/`: not the auditor's name.
      assert.equal(snapshot.hostname, 'unknown');
    } finally {
      fake.remove();
    }
  });

  it('a k3s server with no component process is a Kubernetes node: its distribution and datastore are recorded', () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(1, { argv: ['/sbin/init'] });
      fake.addProcess(40, { argv: ['/usr/local/bin/k3s server'], cwd: '/' });
      fake.write('var/lib/rancher/k3s/server/db/state.db', '');
      fake.write('proc/net/tcp', NET_TCP);
      const snapshot = collectSnapshot({ root: fake.root, references: testReferences });
      assert.deepEqual(snapshot.processes, []);
      assert.equal(snapshot.notes.filter((n) => n.startsWith('not a Kubernetes node')).length, 0);
      assert.deepEqual(
        snapshot.distributions.map((d) => [d.name, d.role, d.pid, d.datastore?.kind]),
        [['k3s', 'server', 40, 'sqlite']],
      );
    } finally {
      fake.remove();
    }
  });

  it('an installed but stopped distribution is seen by its unit file', () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(1, { argv: ['/sbin/init'] });
      fake.write('etc/systemd/system/k3s-agent.service', '[Service]\nExecStart=/usr/local/bin/k3s agent\n');
      fake.write('proc/net/tcp', NET_TCP);
      const snapshot = collectSnapshot({ root: fake.root, references: testReferences });
      assert.deepEqual(
        snapshot.distributions.map((d) => [d.name, d.role, d.pid]),
        [['k3s', 'agent', undefined]],
      );
      assert.match(snapshot.distributions[0]!.shownBy, /k3s-agent\.service exists/);
    } finally {
      fake.remove();
    }
  });

  it('listeners are a ReadFailure when net/tcp is missing, and a link in a fake proc cannot reach the real /proc', () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(10, { argv: ['kubelet'], sockets: [30011] });
      const missing = collectSnapshot({ root: fake.root, references: testReferences });
      assert.ok(!Array.isArray(missing.listeners));
      assert.equal(missing.listeners.reason, 'missing');
      assert.match(missing.listeners.detail, /net\/tcp/);
      fake.link('proc/net', '/proc/net');
      const linked = collectSnapshot({ root: fake.root, references: testReferences });
      assert.ok(!Array.isArray(linked.listeners) && linked.listeners.reason === 'missing');
      assert.deepEqual(linked.addresses, []);
    } finally {
      fake.remove();
    }
  });

  it("prefers the component's own net dir (its network namespace) to <proc>/net", () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(10, { argv: ['kubelet'], sockets: [30011] });
      fake.write('proc/net/tcp', NET_TCP);
      fake.write('proc/10/net/tcp', NET_TCP.split('\n').slice(0, 2).join('\n'));
      const snapshot = collectSnapshot({ root: fake.root, references: testReferences });
      assert.ok(Array.isArray(snapshot.listeners));
      assert.deepEqual(
        snapshot.listeners.map((l) => l.inode),
        [30001],
      );
    } finally {
      fake.remove();
    }
  });

  it('stops following references after 6 rounds and says so', () => {
    const fake = makeFakeRoot();
    try {
      fake.addProcess(10, { argv: ['kubelet'], cwd: '/' });
      fake.write('proc/net/tcp', NET_TCP);
      let round = 0;
      const endless = (): FileRequest[] =>
        Array.from({ length: ++round }, (_, i) => ({ path: `/f${i}`, kind: 'text' as const }));
      const snapshot = collectSnapshot({ root: fake.root, references: endless });
      const kubelet = snapshot.processes[0] as ProcessInfo;
      assert.equal(Object.keys(kubelet.files).length, 6);
      assert.ok(kubelet.warnings.some((w) => w.startsWith('stopped following file references after 6 rounds')));
    } finally {
      fake.remove();
    }
  });
});
