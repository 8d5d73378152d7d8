import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distributionProcess } from '../../src/collect/distribution.js';
import { formatIpv6, parseFibTrie, parseIfInet6 } from '../../src/collect/addresses.js';
import { imageName, parseStaticPodManifest } from '../../src/collect/manifests.js';
import { dpkgStanzasOfInterest, parseDpkgStatus } from '../../src/collect/packages.js';
import {
  mayRunComponent,
  parseBootTime,
  parseCmdline,
  parseEnviron,
  parseSocketInode,
  parseStartTicks,
  parseStatusUid,
  recogniseComponent,
  startedAtIso,
} from '../../src/collect/proc.js';
import { parseProcNetTcp, parseSocketAddress } from '../../src/collect/sockets.js';
import { FIB_TRIE, IF_INET6, NET_TCP, NET_TCP6, statLine } from './fake-root.js';

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing NUL the kernel writes', () => {
    const { argv, replaced } = parseCmdline(Buffer.from('/usr/bin/kubelet\0--config\0/var/lib/kubelet/config.yaml\0'));
    assert.deepEqual(argv, ['/usr/bin/kubelet', '--config', '/var/lib/kubelet/config.yaml']);
    assert.equal(replaced, false);
  });

  it('keeps an argument that contains spaces whole (ps would split it)', () => {
    assert.deepEqual(parseCmdline(Buffer.from('etcd\0--name=a b\0')).argv, ['etcd', '--name=a b']);
  });

  it('keeps empty arguments in the middle', () => {
    assert.deepEqual(parseCmdline(Buffer.from('kubelet\0\0--v=2\0')).argv, ['kubelet', '', '--v=2']);
  });

  it('reads a cmdline without the trailing NUL (rewritten process titles)', () => {
    assert.deepEqual(parseCmdline(Buffer.from('kubelet\0--v=2')).argv, ['kubelet', '--v=2']);
  });

  it('is empty for a kernel thread', () => {
    assert.deepEqual(parseCmdline(Buffer.alloc(0)).argv, []);
  });

  it('decodes invalid UTF-8 as U+FFFD and says so', () => {
    const bytes = Buffer.concat([
      Buffer.from('kube-apiserver\0--token-auth-file=/x/'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\0'),
    ]);
    const { argv, replaced } = parseCmdline(bytes);
    assert.equal(replaced, true);
    assert.equal(argv[1], '--token-auth-file=/x/\uFFFD\uFFFD');
  });
});

describe('mayRunComponent: the comm prefilter of the process scan', () => {
  const cases: [string, boolean][] = [
    ['kube-apiserver', true],
    ['etcd', true],
    ['kubelet', true],
    ['kube-scheduler', true],
    ['kube-proxy', true],
    // The kernel keeps 15 bytes of the name: kube-controller-manager shows as kube-controller.
    ['kube-controller', true],
    ['hyperkube', true],
    ['k3s', true],
    ['k3s-server', true],
    ['rke2', true],
    ['kubelite', true],
    ['k0s', true],
    ['sshd', false],
    ['containerd-shim', false],
    ['containerd', false],
    ['MainThread', false],
    ['k8s-dqlite', true],
    // Named by the file executed, not by argv[0]: a versioned binary, NixOS's wrapper (cut to 15
    // bytes), a renamed etcd. Each keeps argv[0] = the component, so argv must be read.
    ['kubelet-1.34', true],
    ['.kubelet-wrapp', true],
    ['etcd-3.5.21', true],
    ['systemd', false],
    ['', false],
  ];
  for (const [comm, expected] of cases) {
    it(`${JSON.stringify(comm)} → ${expected ? 'read argv' : 'skip'}`, () =>
      assert.equal(mayRunComponent(comm), expected));
  }
});

describe('recogniseComponent', () => {
  it('recognises each component by the basename of argv[0]', () => {
    for (const name of [
      'kube-apiserver',
      'etcd',
      'kubelet',
      'kube-controller-manager',
      'kube-scheduler',
      'kube-proxy',
    ]) {
      assert.deepEqual(recogniseComponent([`/usr/local/bin/${name}`, '--v=2']), { component: name, args: ['--v=2'] });
    }
  });

  it('takes the arguments after `hyperkube <sub>`, for every sub-command alias', () => {
    const cases: Array<[string, string]> = [
      ['apiserver', 'kube-apiserver'],
      ['kube-apiserver', 'kube-apiserver'],
      ['kubelet', 'kubelet'],
      ['controller-manager', 'kube-controller-manager'],
      ['kube-controller-manager', 'kube-controller-manager'],
      ['scheduler', 'kube-scheduler'],
      ['kube-scheduler', 'kube-scheduler'],
      ['proxy', 'kube-proxy'],
      ['kube-proxy', 'kube-proxy'],
    ];
    for (const [sub, component] of cases) {
      assert.deepEqual(recogniseComponent(['/hyperkube', sub, '--a=1']), { component, args: ['--a=1'] }, sub);
    }
    assert.equal(recogniseComponent(['/hyperkube', 'kubectl', 'get']), undefined);
    assert.equal(recogniseComponent(['/hyperkube', 'constructor']), undefined);
    assert.equal(recogniseComponent(['/hyperkube']), undefined);
  });

  it('falls back to the exe link when argv[0] was rewritten', () => {
    assert.deepEqual(recogniseComponent(['kubelet-main', '--v=2'], '/usr/bin/kubelet'), {
      component: 'kubelet',
      args: ['--v=2'],
    });
    assert.deepEqual(recogniseComponent(['etcd-x'], '/usr/bin/etcd (deleted)'), { component: 'etcd', args: [] });
  });

  it('kube-bench#828: a wrapper script runs as /bin/sh and is not the component', () => {
    assert.equal(recogniseComponent(['/bin/sh', '/usr/local/bin/etcd', '--name=a'], '/usr/bin/dash'), undefined);
  });

  it('kube-bench#328: never recognises by a 15-character comm or a prefix', () => {
    assert.equal(recogniseComponent(['kube-controller']), undefined);
    assert.equal(recogniseComponent(['/usr/bin/etcdctl', 'get']), undefined);
    assert.equal(recogniseComponent(['/usr/bin/kubelet-wrapper']), undefined);
  });

  it('spots the distributions that run the components in-process or as their children', () => {
    assert.deepEqual(distributionProcess(['/usr/local/bin/k3s server']), { name: 'k3s', role: 'server' });
    assert.deepEqual(distributionProcess(['/usr/local/bin/k3s', 'agent']), { name: 'k3s', role: 'agent' });
    assert.deepEqual(distributionProcess(['/usr/local/bin/rke2', 'server']), { name: 'rke2', role: 'server' });
    assert.deepEqual(distributionProcess(['/usr/local/bin/k0s', 'controller', '--enable-worker']), {
      name: 'k0s',
      role: 'controller',
    });
    assert.deepEqual(
      distributionProcess([
        '/snap/microk8s/8148/kubelite',
        '--apiserver-args-file=/var/snap/microk8s/8148/args/kube-apiserver',
      ]),
      { name: 'microk8s', role: 'kubelite' },
    );
    assert.equal(distributionProcess(['/usr/local/bin/k3s', 'kubectl']), undefined);
    assert.equal(distributionProcess(['/usr/local/bin/k0s', 'token', 'create']), undefined);
  });
});

describe('status, stat, environ, fd', () => {
  it('reads the effective uid from status', () => {
    assert.equal(parseStatusUid('Name:\tetcd\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n'), 0);
  });

  it('counts stat fields after the last `)`, since comm may hold spaces and parentheses', () => {
    assert.equal(parseStartTicks(statLine(42, 'a) (b c', 98765)), 98765);
    assert.equal(parseBootTime('cpu 1 2\nbtime 1780000000\n'), 1780000000);
    assert.equal(startedAtIso(1780000000, 1550), new Date((1780000000 + 15.5) * 1000).toISOString());
  });

  it('keeps only the environment keys asked for', () => {
    const env = parseEnviron(
      Buffer.from('ETCD_NAME=a\0AWS_SECRET_ACCESS_KEY=x\0ETCD_AUTO_TLS=true\0PATH=/bin\0'),
      (k) => k.startsWith('ETCD_'),
    );
    assert.deepEqual(env, { ETCD_NAME: 'a', ETCD_AUTO_TLS: 'true' });
  });

  it('reads a socket inode from an fd link', () => {
    assert.equal(parseSocketInode('socket:[30002]'), 30002);
    assert.equal(parseSocketInode('/dev/null'), undefined);
    assert.equal(parseSocketInode('anon_inode:[eventpoll]'), undefined);
  });
});

describe('parseProcNetTcp', () => {
  it('lists LISTEN sockets of net/tcp with little-endian addresses', () => {
    assert.deepEqual(parseProcNetTcp(NET_TCP, 'tcp'), [
      { transport: 'tcp', address: '127.0.0.1', port: 2379, inode: 30001 },
      { transport: 'tcp', address: '10.0.0.5', port: 2379, inode: 30002 },
      { transport: 'tcp', address: '0.0.0.0', port: 2380, inode: 30003 },
    ]);
  });

  it('lists net/tcp6 with canonical IPv6 text, keeping IPv4-mapped addresses as such', () => {
    assert.deepEqual(
      parseProcNetTcp(NET_TCP6, 'tcp6').map((l) => `${l.address} ${l.port}`),
      [':: 6443', '::1 10248', '::ffff:10.0.0.5 10250', '2001:db8::1 443'],
    );
  });

  it('reads big-endian tables when told to', () => {
    assert.deepEqual(parseSocketAddress('7F000001:0050', 'BE'), { address: '127.0.0.1', port: 80 });
  });

  it('skips lines that are not in the kernel format', () => {
    assert.deepEqual(parseProcNetTcp('garbage\n  0: zz:00 00:00 0A\n', 'tcp'), []);
  });
});

describe('addresses', () => {
  it('formats IPv6 per RFC 5952', () => {
    const hex = (s: string) => [...Buffer.from(s, 'hex')];
    assert.equal(formatIpv6(hex('20010db8000000000001000000000001')), '2001:db8::1:0:0:1');
    assert.equal(formatIpv6(hex('20010db8000100000000000000000001')), '2001:db8:1::1');
    assert.equal(formatIpv6(hex('20010db8000000010001000100010001')), '2001:db8:0:1:1:1:1:1');
    assert.equal(formatIpv6(hex('00000000000000000000000000000000')), '::');
    assert.equal(formatIpv6(hex('fe800000000000000000000000000000')), 'fe80::');
  });

  it('takes the /32 host LOCAL leaves of fib_trie, once each', () => {
    assert.deepEqual(parseFibTrie(FIB_TRIE), ['10.0.0.5', '127.0.0.1']);
  });

  it('reads if_inet6 (network byte order, unlike net/tcp6)', () => {
    assert.deepEqual(parseIfInet6(IF_INET6), ['fd00::2', 'fe80::fc:ff:fe00:1', '::1']);
  });
});

describe('parseDpkgStatus', () => {
  const status = `Package: kubelet
Status: hold ok installed
Priority: optional
Version: 1.33.2-1.1
Description: Node agent
 kubelet runs pods.
 .
 Version: 9.9.9 in a description is not a field

Package: kubeadm
Status: install ok installed
Version: 1.33.2-1.1

Package: kubectl
Status: deinstall ok config-files
Version: 1.30.0-1.1

Package: etcd-server
Status: install ok installed
Version: 3.5.16-1

Package: bash
Status: install ok installed
Version: 5.2.15-2+b7
`;

  it('keeps installed kube*/etcd* packages, held ones included, and ignores removed ones', () => {
    assert.deepEqual(parseDpkgStatus(status), {
      kubelet: '1.33.2-1.1',
      kubeadm: '1.33.2-1.1',
      'etcd-server': '3.5.16-1',
    });
  });

  it('reads the same from the kube*/etcd* stanzas alone, found in the bytes without decoding the rest', () => {
    const stanzas = dpkgStanzasOfInterest(Buffer.from(status));
    assert.deepEqual(
      stanzas.map((stanza) => stanza.split('\n')[0]),
      ['Package: kubelet', 'Package: kubeadm', 'Package: kubectl', 'Package: etcd-server'],
    );
    assert.deepEqual(parseDpkgStatus(stanzas.join('\n\n')), parseDpkgStatus(status));
  });

  it('finds a stanza whose Package line is not first, skips a non-UTF-8 one and a kube-looking word elsewhere', () => {
    const bytes = Buffer.concat([
      Buffer.from(
        'Package: bash\nDescription: not Package: kubelet\n\nStatus: install ok installed\nPackage: kube-proxy\nVersion: 1.34.1-1.1\n\n',
      ),
      Buffer.from('Package: kubectl\nStatus: install ok installed\nVersion: 1.34.1\nDescription: \xff\n\n', 'latin1'),
      Buffer.from('Package:\tetcd\nStatus: install ok installed\nVersion: 3.6.4'),
    ]);
    assert.deepEqual(parseDpkgStatus(dpkgStanzasOfInterest(bytes).join('\n\n')), {
      'kube-proxy': '1.34.1-1.1',
      etcd: '3.6.4',
    });
  });
});

describe('parseStaticPodManifest', () => {
  const kubeadm = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=10.0.0.5
    - --authorization-mode=Node,RBAC
    image: registry.k8s.io/kube-apiserver:v1.33.2
    name: kube-apiserver
  hostNetwork: true
`;

  it('finds the component container of a kubeadm manifest', () => {
    assert.deepEqual(parseStaticPodManifest(kubeadm), {
      component: 'kube-apiserver',
      image: 'registry.k8s.io/kube-apiserver:v1.33.2',
      argv: ['kube-apiserver', '--advertise-address=10.0.0.5', '--authorization-mode=Node,RBAC'],
      args: ['--advertise-address=10.0.0.5', '--authorization-mode=Node,RBAC'],
    });
  });

  it('recognises by image when the command is the entrypoint', () => {
    const parsed = parseStaticPodManifest(
      '{"spec":{"containers":[{"image":"registry.k8s.io/etcd:3.5.16-0","args":["--name=a"]}]}}',
    );
    assert.equal(parsed.component, 'etcd');
    assert.deepEqual(parsed.args, ['--name=a']);
    assert.equal(imageName('registry.k8s.io/kube-scheduler:v1.33.2@sha256:abc'), 'kube-scheduler');
    assert.equal(imageName('localhost:5000/etcd'), 'etcd');
  });

  it('reports malformed YAML, alias bombs and wrong types as errors, never a component', () => {
    assert.match(parseStaticPodManifest('spec: [unclosed').error ?? '', /not valid YAML/);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
      'spec: *i',
    ].join('\n');
    assert.match(parseStaticPodManifest(bomb).error ?? '', /^has more than 100 aliases to expand \(an alias bomb\?\)$/);
    assert.match(
      parseStaticPodManifest('spec:\n  containers:\n  - command: kube-apiserver --x\n').error ?? '',
      /not a list of strings/,
    );
    assert.equal(parseStaticPodManifest('kind: Pod\n').error, 'has no spec.containers list');
  });

  it('reads YAML 1.1 as the kubelet does', () => {
    const parsed = parseStaticPodManifest('spec:\n  containers:\n  - command: [kube-scheduler, --leader-elect=no]\n');
    assert.deepEqual(parsed.args, ['--leader-elect=no']);
  });
});
