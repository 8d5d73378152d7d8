import assert from 'node:assert/strict';
import { it } from 'node:test';
import check from '../../src/checks/etcd-auth-enabled.js';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import { ETCD_CONFIG, kubeadmEtcd, NODE_KUBELET } from '../support/etcd-hosts.js';
import { hostSnapshot, probeRecord } from '../support/host.js';

const probe = (authEnabled: boolean) => ({ etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled } });

/** The auth probe's record when etcd refused it, as collect writes it without probe credentials. */
const refusedWithoutCredentials = {
  records: [
    probeRecord({
      probe: 'etcd-auth-enabled',
      component: 'etcd',
      target: 'POST https://127.0.0.1:2379/v3/auth/status',
      outcome: 'tls-rejected',
      detail:
        'etcd requires a client certificate and none is configured for probing: set probes.etcd.certFile, probes.etcd.keyFile and probes.etcd.caFile (on kubeadm hosts /etc/kubernetes/pki/etcd/healthcheck-client.crt is tried)',
    }),
  ],
};
const answeredOn34 = {
  etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled: false },
  records: [
    probeRecord({
      probe: 'etcd-auth-enabled',
      component: 'etcd',
      target: 'POST https://127.0.0.1:2379/v3/auth/authenticate',
      outcome: 'response',
      status: 412,
      detail:
        'Authenticate as a non-existent user (etcd < 3.5 has no AuthStatus) answered 412 "etcdserver: authentication is not enabled": auth disabled',
    }),
  ],
};

runCheckCases(check, {
  pass: [{ name: 'probe: AuthStatus enabled=true', host: { processes: [kubeadmEtcd()], probes: probe(true) } }],
  fail: [
    {
      name: 'probe: AuthStatus enabled=false (kubeadm never enables etcd auth)',
      host: { processes: [kubeadmEtcd()], probes: probe(false) },
      messageId: 'authDisabled',
    },
    {
      name: 'etcd 3.4 (no AuthStatus): Authenticate answered "authentication is not enabled"',
      host: { processes: [kubeadmEtcd()], probes: answeredOn34 },
      messageId: 'authDisabled',
    },
  ],
  unknown: [
    {
      name: 'the probe ran without credentials and etcd demanded a client certificate',
      host: { processes: [kubeadmEtcd()], probes: refusedWithoutCredentials },
      messageId: 'probeFailed',
      messageIncludes: [
        'probes.etcd.certFile',
        'probes.etcd.keyFile',
        'probes.etcd.caFile',
        '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
      ],
    },
    {
      name: 'kubeadm etcd, no probe credentials: configuration cannot show auth state',
      host: { processes: [kubeadmEtcd()] },
      messageId: 'needsProbe',
      messageIncludes: ['probes.etcd.certFile', 'probes.etcd.keyFile', 'probes.etcd.caFile'],
    },
    {
      name: 'unreadable config file and no probe',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [`--config-file=${ETCD_CONFIG}`],
            files: { [ETCD_CONFIG]: { reason: 'permission' } },
          },
        ],
      },
      messageId: 'needsProbe',
    },
  ],
  skip: [
    { name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' },
    {
      name: 'a stray probe answer without etcd on this host',
      host: { processes: [NODE_KUBELET], probes: probe(true) },
      messageId: 'noEtcd',
    },
  ],
});

it('etcd-auth-enabled: a probe answer stands even when the config file is unreadable', () => {
  const snapshot = hostSnapshot({
    processes: [
      { component: 'etcd', args: [`--config-file=${ETCD_CONFIG}`], files: { [ETCD_CONFIG]: { reason: 'permission' } } },
    ],
    probes: probe(true),
  });
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: BUNDLED_RELEASES }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(finding.evidence, [
    { source: 'probe', detail: 'AuthStatus at https://127.0.0.1:2379: enabled=true' },
  ]);
});

it('etcd-auth-enabled: an unknown authStatus (a probe that failed) is unknown with its reason', () => {
  const host = resolveHost(hostSnapshot({ processes: [kubeadmEtcd()] }), { releases: BUNDLED_RELEASES });
  const withFailedProbe = {
    ...host,
    etcd: {
      ...host.etcd!,
      authStatus: { known: false as const, reason: 'https://127.0.0.1:2379: TLS handshake failed' },
    },
  };
  const finding = evaluateCheck(check, withFailedProbe, DEFAULT_CONTEXT);
  assert.equal(finding.status, 'unknown');
  assert.equal(finding.messageId, 'probeFailed');
  assert.match(finding.message, /TLS handshake failed/);
});

it('etcd-auth-enabled: the evidence names the API that answered', () => {
  const finding = evaluateCheck(
    check,
    resolveHost(hostSnapshot({ processes: [kubeadmEtcd()], probes: answeredOn34 }), { releases: BUNDLED_RELEASES }),
    DEFAULT_CONTEXT,
  );
  assert.equal(finding.status, 'fail');
  assert.ok(
    finding.evidence.some(
      (e) => e.source === 'probe' && /auth\/authenticate: .*authentication is not enabled/.test(e.detail),
    ),
    JSON.stringify(finding.evidence),
  );
});
