// The principle of issue 9 item 1 as a property over generated hosts: an unprivileged user can
// make a verdict worse, never better. Adding any process — any uid, any name, any executable, any
// flags — to a host never turns a `fail` into anything else, and never turns an `unknown` into a
// `pass`; a process that is not trusted never turns anything into a `pass`. A seeded PRNG makes every case reproducible: a failure prints its seed and both hosts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEVERITY } from '../../src/checks/run.js';
import type { ComponentName, ExecutableFacts, Listener } from '../../src/collect/types.js';
import { judgeIdentity } from '../../src/resolve/identity.js';
import { listener, processInfo, type HostSpec, type ProcessSpec } from '../support/host.js';
import { auditSpec } from '../support/audit-spec.js';
import { prng } from '../support/prng.js';

const RUNS = 300;

interface Gen {
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
  chance(p: number): boolean;
}

function gen(seed: number): Gen {
  const next = prng(seed);
  return {
    pick: (items) => items[Math.floor(next() * items.length)]!,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
  };
}

/** Flags each component may get: secure and insecure settings, and files that are present or not. */
const FLAGS: Partial<Record<ComponentName, string[]>> = {
  kubelet: [
    '--anonymous-auth=false',
    '--anonymous-auth=true',
    '--authorization-mode=Webhook',
    '--authorization-mode=AlwaysAllow',
    '--read-only-port=0',
    '--read-only-port=10255',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--config=/var/lib/kubelet/config.yaml',
  ],
  'kube-apiserver': [
    '--authorization-mode=Node,RBAC',
    '--authorization-mode=AlwaysAllow',
    '--enable-admission-plugins=NodeRestriction',
    '--disable-admission-plugins=PodSecurity',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--etcd-servers=https://127.0.0.1:2379',
    '--etcd-servers=http://127.0.0.1:2379',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--anonymous-auth=false',
  ],
  etcd: [
    '--cert-file=/etc/etcd/server.crt',
    '--key-file=/etc/etcd/server.key',
    '--listen-client-urls=https://127.0.0.1:2379',
    '--listen-client-urls=http://0.0.0.0:2379',
    '--client-cert-auth=true',
    '--trusted-ca-file=/etc/etcd/ca.crt',
    '--peer-cert-file=/etc/etcd/peer.crt',
    '--peer-key-file=/etc/etcd/peer.key',
    '--peer-client-cert-auth=true',
    '--peer-trusted-ca-file=/etc/etcd/ca.crt',
    '--listen-peer-urls=https://10.0.0.10:2380',
    '--auto-tls',
  ],
  'kube-proxy': ['--healthz-bind-address=0.0.0.0:10256', '--metrics-bind-address=127.0.0.1:10249'],
};

const KUBELET_CONFIGS = [
  'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n',
  'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n',
  'not: [valid yaml',
];

const PORTS: Partial<Record<ComponentName, number[]>> = {
  kubelet: [10250, 10255],
  'kube-apiserver': [6443],
  etcd: [2379, 2380],
  'kube-proxy': [10256],
};

/** Who started it and from what: root or system accounts with the genuine binary, users with anything. */
function identity(g: Gen, component: ComponentName): Pick<ProcessSpec, 'uid' | 'realUid' | 'executable' | 'argv0'> {
  const genuine: ExecutableFacts = { ok: true, binary: { path: `/usr/bin/${component}`, uid: 0, mode: 0o755 } };
  const python: ExecutableFacts = { ok: true, binary: { path: '/usr/bin/python3.11', uid: 0, mode: 0o755 } };
  const home: ExecutableFacts = {
    ok: true,
    binary: { path: `/home/eve/${component}`, uid: 1000, mode: 0o755 },
    weakDirectory: { path: '/home/eve', uid: 1000, mode: 0o755 },
  };
  const tmp: ExecutableFacts = {
    ok: true,
    binary: { path: `/tmp/${component}`, uid: 0, mode: 0o755 },
    weakDirectory: { path: '/tmp', uid: 0, mode: 0o1777 },
  };
  const unreadable: ExecutableFacts = { ok: false, detail: 'exe could not be read (EACCES)' };
  const uid = g.pick([0, 0, 998, 1000, 65534, 33]);
  const executable = g.pick([genuine, genuine, python, home, tmp, unreadable, undefined]);
  return {
    uid,
    ...(g.chance(0.1) && { realUid: g.pick([0, 1000]) }),
    ...(executable && { executable }),
    argv0: component,
  };
}

function processSpec(g: Gen, pid: number, component: ComponentName): { spec: ProcessSpec; listeners: Listener[] } {
  const pool = FLAGS[component] ?? [];
  const args = pool.filter(() => g.chance(0.4));
  const files: ProcessSpec['files'] = {};
  if (args.includes('--config=/var/lib/kubelet/config.yaml')) {
    files['/var/lib/kubelet/config.yaml'] = g.chance(0.15) ? { reason: 'permission' } : g.pick(KUBELET_CONFIGS);
  }
  const listeners = (PORTS[component] ?? [])
    .filter(() => g.chance(0.5))
    .map((port) => listener(g.pick(['0.0.0.0', '127.0.0.1', '10.0.0.10']), port, pid));
  const incomplete = g.chance(0.05)
    ? { incomplete: `its command line (/proc/${pid}/cmdline) is larger than the read limit` }
    : {};
  return { spec: { component, pid, args, files, ...identity(g, component), ...incomplete }, listeners };
}

const COMPONENT_POOL: ComponentName[] = [
  'kubelet',
  'kubelet',
  'kube-apiserver',
  'kube-apiserver',
  'etcd',
  'etcd',
  'kube-proxy',
  'kube-controller-manager',
];

function generate(seed: number): { base: HostSpec; added: HostSpec; addedSpec: ProcessSpec } {
  const g = gen(seed);
  const pids = new Set<number>();
  const freshPid = () => {
    let pid: number;
    do pid = g.int(2, 3000);
    while (pids.has(pid));
    pids.add(pid);
    return pid;
  };
  const processes: ProcessSpec[] = [];
  const listeners: Listener[] = [];
  for (let i = g.int(0, 3); i > 0; i -= 1) {
    const p = processSpec(g, freshPid(), g.pick(COMPONENT_POOL));
    processes.push(p.spec);
    listeners.push(...p.listeners);
  }
  const extra = processSpec(g, freshPid(), g.pick(COMPONENT_POOL));
  const base: HostSpec = { processes, listeners };
  // The added process also brings its sockets: it may listen on the component's own ports.
  const added: HostSpec = { processes: [...processes, extra.spec], listeners: [...listeners, ...extra.listeners] };
  return { base, added, addedSpec: extra.spec };
}

describe('adding a process never improves a verdict (issue 9, the property of item 1)', () => {
  it(`${RUNS} generated hosts: fail stays fail, unknown never becomes pass`, () => {
    let fails = 0;
    let unknowns = 0;
    for (let seed = 1; seed <= RUNS; seed += 1) {
      const { base, added, addedSpec } = generate(seed);
      const before = auditSpec(base);
      const after = auditSpec(added);
      const trusted = judgeIdentity(processInfo(addedSpec)).trusted;
      for (const [id, was] of before) {
        const now = after.get(id)!;
        const where = () =>
          `seed ${seed}, check ${id}: ${was.status} → ${now.status} (${now.message})\nadded ${JSON.stringify(addedSpec)}\nbase ${JSON.stringify(base)}`;
        if (was.status === 'fail') {
          fails += 1;
          assert.equal(now.status, 'fail', where());
        }
        if (was.status === 'unknown') {
          unknowns += 1;
          // A process root starts (trusted) may answer what a suspicious one could not; see the report note.
          if (!(trusted && was.messageId === 'suspicious-process')) assert.notEqual(now.status, 'pass', where());
        }
        // A process no one can trust is judged, so it can only make things worse, and it is never
        // the ground of a pass: not even where nothing was judged before (`skip`).
        if (!trusted) assert.ok(SEVERITY[now.status] >= SEVERITY[was.status], where());
        if (!trusted && was.status !== 'pass') assert.notEqual(now.status, 'pass', where());
      }
    }
    // The generator must reach the statuses the property is about.
    assert.ok(fails > RUNS && unknowns > RUNS, `fails ${fails}, unknowns ${unknowns}`);
    console.log(`# ${RUNS} hosts: ${fails} fail and ${unknowns} unknown findings before adding a process`);
  });
});
