// planProbes is pure: which probes run, and where they may connect, from the resolved host alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostSnapshot } from '../../src/collect/types.js';
import { resolveHost } from '../../src/resolve/index.js';
import type { EtcdProbeCredentialPaths, PlannedProbe } from '../../src/collect/probes/plan.js';
import { planProbes, probeAddress } from '../../src/resolve/probe-plan.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { KUBEADM_ETCD_ARGS } from '../support/etcd-hosts.js';
import { hostSnapshot, listener, type HostSpec } from '../support/host.js';

const KUBELET = 812;
const ETCD = 700;
const APISERVER = 900;
const CREDENTIALS: EtcdProbeCredentialPaths = {
  certFile: '/pki/probe.crt',
  keyFile: '/pki/probe.key',
  caFile: '/pki/ca.crt',
  origin: 'probes.etcd',
};

function live(spec: HostSpec, patch: Partial<HostSnapshot> = {}): HostSnapshot {
  return { ...hostSnapshot(spec), realProc: true, ...patch };
}

function plan(snapshot: HostSnapshot, etcdCredentials?: EtcdProbeCredentialPaths) {
  return planProbes(resolveHost(snapshot, { releases: BUNDLED_RELEASES }), etcdCredentials ? { etcdCredentials } : {});
}

const summary = (probes: PlannedProbe[]) =>
  probes.map(
    (p) =>
      `${p.probe} ${p.kind === 'handshake' ? `${p.host}:${p.port}` : p.kind === 'http' ? p.url : `${p.baseUrl}${p.credentials ? ' +cert' : ''}`}`,
  );

const kubelet = (args: string[] = ['--anonymous-auth=false', '--read-only-port=0']) => ({
  component: 'kubelet' as const,
  pid: KUBELET,
  args,
});

describe('probeAddress', () => {
  const addresses = ['127.0.0.1', '::1', '10.0.0.10', 'fd00::10'];
  const cases: [string, string | undefined][] = [
    ['0.0.0.0', '127.0.0.1'],
    ['::', '::1'],
    ['127.0.0.1', '127.0.0.1'],
    ['127.0.1.1', '127.0.1.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['10.0.0.10', '10.0.0.10'],
    ['fd00::10', 'fd00::10'],
    // Not this host's: never knocked on.
    ['10.0.0.99', undefined],
    ['203.0.113.5', undefined],
    ['cp-1.internal', undefined],
  ];
  for (const [bound, expected] of cases)
    it(`${bound} → ${expected ?? 'not probed'}`, () => assert.equal(probeAddress(bound, addresses), expected));
});

describe('planProbes', () => {
  it('a fake root or an image: nothing is probed, and the note says why', () => {
    const result = plan({
      ...live({ processes: [kubelet()], listeners: [listener('0.0.0.0', 10250, KUBELET)] }),
      realProc: false,
    });
    assert.deepEqual(result.probes, []);
    assert.match(result.notes.join(), /not a live procfs/);
  });

  it('unreadable sockets: nothing can be tied to a component', () => {
    const result = plan(live({ processes: [kubelet()], listeners: { reason: 'permission' } }));
    assert.deepEqual(result.probes, []);
    assert.match(result.notes.join(), /listening sockets could not be read/);
  });

  it('kubelet on 0.0.0.0: handshake and anonymous request on 127.0.0.1; loopback healthz not handshaken', () => {
    const result = plan(
      live({
        processes: [kubelet()],
        listeners: [listener('0.0.0.0', 10250, KUBELET), listener('127.0.0.1', 10248, KUBELET)],
      }),
    );
    assert.deepEqual(summary(result.probes), [
      'endpoints-https 127.0.0.1:10250',
      'kubelet-anonymous-auth https://127.0.0.1:10250/pods',
    ]);
  });

  it('kubelet on :: is asked on ::1 (bracketed in the URL)', () => {
    const result = plan(live({ processes: [kubelet()], listeners: [listener('::', 10250, KUBELET)] }));
    assert.deepEqual(summary(result.probes), [
      'endpoints-https ::1:10250',
      'kubelet-anonymous-auth https://[::1]:10250/pods',
    ]);
  });

  it('a listener on another host address or owned by another process is left alone', () => {
    const result = plan(
      live({
        processes: [kubelet()],
        addresses: ['127.0.0.1', '10.0.0.10'],
        listeners: [listener('10.0.0.99', 10250, KUBELET), listener('0.0.0.0', 10255, 4242)],
      }),
    );
    assert.deepEqual(result.probes, []);
  });

  it('the read-only port: the effective one, or 10255 when configured off and something listens there', () => {
    const open = plan(
      live({ processes: [kubelet(['--read-only-port=10266'])], listeners: [listener('0.0.0.0', 10266, KUBELET)] }),
    );
    assert.ok(summary(open.probes).includes('kubelet-read-only-port http://127.0.0.1:10266/healthz'));
    const stale = plan(live({ processes: [kubelet()], listeners: [listener('0.0.0.0', 10255, undefined)] }));
    assert.deepEqual(summary(stale.probes), ['kubelet-read-only-port http://127.0.0.1:10255/healthz']);
  });

  it('kubeadm etcd: each client URL without a certificate, one auth probe with the credentials, on its own addresses', () => {
    const result = plan(
      live({
        processes: [{ component: 'etcd', pid: ETCD, args: [...KUBEADM_ETCD_ARGS] }],
        addresses: ['127.0.0.1', '10.0.0.10'],
        listeners: [
          listener('127.0.0.1', 2379, ETCD),
          listener('10.0.0.10', 2379, ETCD),
          listener('10.0.0.10', 2380, ETCD),
          listener('127.0.0.1', 2381, ETCD),
        ],
      }),
      CREDENTIALS,
    );
    assert.deepEqual(summary(result.probes), [
      'endpoints-https 10.0.0.10:2379',
      'endpoints-https 10.0.0.10:2380',
      'etcd-client-cert-auth https://127.0.0.1:2379/version',
      'etcd-client-cert-auth https://10.0.0.10:2379/version',
      'etcd-auth-enabled https://127.0.0.1:2379 +cert',
    ]);
  });

  it('credentials go to etcd https client URLs only: never to plain HTTP, never to another component', () => {
    const result = plan(
      live({
        processes: [
          {
            component: 'etcd',
            pid: ETCD,
            args: ['--listen-client-urls=http://127.0.0.1:2379', '--advertise-client-urls=http://127.0.0.1:2379'],
          },
          kubelet(),
          { component: 'kube-apiserver', pid: APISERVER, args: ['--secure-port=6443', '--bind-address=0.0.0.0'] },
        ],
        listeners: [
          listener('127.0.0.1', 2379, ETCD),
          listener('0.0.0.0', 10250, KUBELET),
          listener('::', 6443, APISERVER),
        ],
      }),
      CREDENTIALS,
    );
    const withCredentials = result.probes.filter((p) => p.kind === 'etcd-auth' && p.credentials !== undefined);
    assert.deepEqual(withCredentials, []);
    assert.ok(summary(result.probes).includes('etcd-auth-enabled http://127.0.0.1:2379'));
    assert.ok(summary(result.probes).includes('apiserver-version https://[::1]:6443/version'));
    assert.ok(summary(result.probes).includes('apiserver-anonymous https://[::1]:6443/api'));
  });

  it('a component known only from its static pod manifest (pid 0) is never probed', () => {
    const result = plan(
      live({
        processes: [{ ...kubelet(), pid: 0, source: 'static-pod-manifest' }],
        listeners: [listener('0.0.0.0', 10250, 0)],
      }),
    );
    assert.deepEqual(result.probes, []);
  });
});
