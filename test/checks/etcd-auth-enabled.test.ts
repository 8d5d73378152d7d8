import assert from 'node:assert/strict';
import { it } from 'node:test';
import check from '../../src/checks/etcd-auth-enabled.js';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/versions.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import { ETCD_CONFIG, kubeadmEtcd, NODE_KUBELET } from '../support/etcd-hosts.js';
import { hostSnapshot } from '../support/host.js';

const probe = (authEnabled: boolean) => ({ etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled } });

runCheckCases(check, {
  pass: [{ name: 'probe: AuthStatus enabled=true', host: { processes: [kubeadmEtcd()], probes: probe(true) } }],
  fail: [
    {
      name: 'probe: AuthStatus enabled=false (kubeadm never enables etcd auth)',
      host: { processes: [kubeadmEtcd()], probes: probe(false) },
      messageId: 'authDisabled',
    },
  ],
  unknown: [
    {
      name: 'kubeadm etcd, no probe credentials: configuration cannot show auth state',
      host: { processes: [kubeadmEtcd()] },
      messageId: 'needsProbe',
      messageIncludes: ['probes.etcd.certFile', 'probes.etcd.keyFile', 'probes.etcd.caFile'],
    },
    {
      name: 'unreadable config file and no probe',
      host: { processes: [{ component: 'etcd', args: [`--config-file=${ETCD_CONFIG}`], files: { [ETCD_CONFIG]: { reason: 'permission' } } }] },
      messageId: 'needsProbe',
    },
  ],
  skip: [
    { name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' },
    { name: 'a stray probe answer without etcd on this host', host: { processes: [NODE_KUBELET], probes: probe(true) }, messageId: 'noEtcd' },
  ],
});

it('etcd-auth-enabled: a probe answer stands even when the config file is unreadable', () => {
  const snapshot = hostSnapshot({
    processes: [{ component: 'etcd', args: [`--config-file=${ETCD_CONFIG}`], files: { [ETCD_CONFIG]: { reason: 'permission' } } }],
    probes: probe(true),
  });
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: BUNDLED_RELEASES }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(finding.evidence, [{ source: 'probe', detail: 'AuthStatus at https://127.0.0.1:2379: enabled=true' }]);
});

it('etcd-auth-enabled: an unknown authStatus (a probe that failed) is unknown with its reason', () => {
  const host = resolveHost(hostSnapshot({ processes: [kubeadmEtcd()] }), { releases: BUNDLED_RELEASES });
  const withFailedProbe = { ...host, etcd: { ...host.etcd!, authStatus: { known: false as const, reason: 'https://127.0.0.1:2379: TLS handshake failed' } } };
  const finding = evaluateCheck(check, withFailedProbe, DEFAULT_CONTEXT);
  assert.equal(finding.status, 'unknown');
  assert.equal(finding.messageId, 'probeFailed');
  assert.match(finding.message, /TLS handshake failed/);
});
