import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCodeFor, NO_COMPONENT_NOTE, rolesOf, runAudit } from '../src/audit.js';
import { CHECKS } from '../src/checks/index.js';
import type { Level, Status } from '../src/checks/types.js';
import type { ComponentName, DistributionSign, HostSnapshot } from '../src/collect/types.js';
import { defaultConfig, type FailOn } from '../src/config.js';
import { hostSnapshot, type HostSpec, type ProcessSpec } from './support/host.js';

const NOW = new Date('2026-11-29T10:00:00Z');

function auditOf(spec: HostSpec, notes: string[] = []) {
  const snapshot: HostSnapshot = { ...hostSnapshot(spec), notes };
  let asked: unknown;
  const report = runAudit({
    root: '/fake',
    now: NOW,
    config: defaultConfig(),
    collect: (options) => {
      asked = options;
      return snapshot;
    },
  });
  return { report, asked };
}

describe('runAudit', () => {
  it('collects from <root>/proc by default, then reports every check in registry order', () => {
    const { report, asked } = auditOf({});
    assert.deepEqual(asked, { root: '/fake', proc: '/fake/proc', now: NOW });
    assert.deepEqual(
      report.checks.map((c) => c.id),
      CHECKS.map((c) => c.id),
    );
    assert.equal(report.startedAt, '2026-11-29T10:00:00.000Z');
    assert.ok(report.durationMs >= 0);
    assert.ok(
      report.checks.every((c) => !('messageId' in c)),
      'messageId is internal',
    );
  });

  it('a host without Kubernetes: every check skip, compliant null ("not a Kubernetes node"), exit 0', () => {
    const { report } = auditOf({});
    assert.deepEqual([...new Set(report.checks.map((c) => c.status))], ['skip']);
    assert.deepEqual(report.components, []);
    assert.deepEqual(report.host.roles, []);
    assert.deepEqual(report.notes, [NO_COMPONENT_NOTE]);
    assert.match(NO_COMPONENT_NOTE, /^not a Kubernetes node/);
    assert.deepEqual(report.summary, {
      pass: 0,
      fail: 0,
      skip: CHECKS.length,
      unknown: 0,
      error: 0,
      compliant: null,
      waived: 0,
    });
    for (const failOn of ['must', 'should', 'never'] as const) assert.equal(exitCodeFor(report, failOn), 0);
  });

  it('does not repeat a "not a Kubernetes node" note collect already made', () => {
    const { report } = auditOf({}, [
      'not a Kubernetes node: no Kubernetes component or distribution found among 80 processes in /proc',
    ]);
    assert.deepEqual(report.notes, [
      'not a Kubernetes node: no Kubernetes component or distribution found among 80 processes in /proc',
    ]);
  });

  it('a k3s server whose components could not be established: unknown, never skip, NOT compliant, exit 1', () => {
    const { report } = auditOf({
      distributions: [
        {
          name: 'k3s',
          role: 'server',
          pid: 812,
          argv: ['/usr/local/bin/k3s server'],
          shownBy: 'process 812 (/usr/local/bin/k3s server)',
        },
      ],
    });
    const byComponent = (component: string) => [
      ...new Set(report.checks.filter((c) => c.component === component).map((c) => c.status)),
    ];
    assert.deepEqual(byComponent('kube-apiserver'), ['unknown']);
    assert.deepEqual(byComponent('kubelet'), ['unknown']);
    assert.deepEqual(byComponent('node'), ['unknown']);
    // Neither kine nor etcd was shown: etcd may run embedded, so its checks are unknown too.
    assert.deepEqual(byComponent('etcd'), ['unknown']);
    const authz = report.checks.find((c) => c.id === 'apiserver-authz-policy')!;
    assert.match(
      authz.message,
      /k3s server \(pid 812\) runs kube-apiserver, but its effective settings could not be established/,
    );
    assert.equal(report.summary.compliant, false);
    assert.equal(exitCodeFor(report, 'must'), 1);
    assert.equal(exitCodeFor(report, 'never'), 0);
  });

  it('host.distribution: the distribution process and its version, a marker file, unknown, or null without Kubernetes', () => {
    const k3s = auditOf({
      distributions: [
        {
          name: 'k3s',
          role: 'agent',
          pid: 9,
          argv: ['/usr/local/bin/k3s agent'],
          shownBy: 'process 9',
          version: 'v1.33.4+k3s1',
        },
      ],
    });
    assert.deepEqual(k3s.report.host.distribution, { name: 'k3s', version: 'v1.33.4+k3s1' });
    const kubelet: ProcessSpec = {
      component: 'kubelet',
      args: ['--config=/var/lib/kubelet/config.yaml'],
      files: { '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\n' },
    };
    const snapshot = hostSnapshot({ processes: [kubelet] });
    const kubeadm = runAudit({
      root: '/fake',
      now: NOW,
      config: defaultConfig(),
      collect: () => ({
        ...snapshot,
        platform: { name: 'kubeadm', shownBy: '/var/lib/kubelet/kubeadm-flags.env exists' },
      }),
    });
    assert.deepEqual(kubeadm.host.distribution, { name: 'kubeadm', version: null });
    assert.deepEqual(auditOf({ processes: [kubelet] }).report.host.distribution, { name: 'unknown', version: null });
    assert.equal(auditOf({}).report.host.distribution, null);
  });

  it('a k3s server on SQLite: etcd checks skip naming the datastore', () => {
    const sign: DistributionSign = {
      name: 'k3s',
      role: 'server',
      pid: 812,
      argv: ['/usr/local/bin/k3s server'],
      shownBy: 'process 812',
      datastore: { kind: 'sqlite', shownBy: 'SQLite through kine (/var/lib/rancher/k3s/server/db/state.db)' },
    };
    const { report } = auditOf({ distributions: [sign] });
    const etcd = report.checks.filter((c) => c.component === 'etcd');
    assert.deepEqual([...new Set(etcd.map((c) => c.status))], ['skip']);
    for (const check of etcd)
      assert.match(
        check.message,
        /SQLite through kine \(\/var\/lib\/rancher\/k3s\/server\/db\/state\.db\), not in an etcd on this host/,
      );
  });

  it('a worker: components with pid and source, role worker, host name from the snapshot', () => {
    const { report } = auditOf({
      hostname: 'worker-7',
      processes: [
        {
          component: 'kubelet',
          pid: 812,
          args: ['--config=/var/lib/kubelet/config.yaml'],
          files: { '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\n' },
        },
        { component: 'kube-proxy', pid: 900 },
      ],
    });
    assert.equal(report.host.hostname, 'worker-7');
    assert.deepEqual(report.host.roles, ['worker']);
    assert.deepEqual(
      report.components.map((c) => [c.name, c.pid, c.source]),
      [
        ['kubelet', 812, 'process'],
        ['kube-proxy', 900, 'process'],
      ],
    );
    assert.ok(report.components.every((c) => c.version === null || typeof c.version === 'string'));
    const counted =
      report.summary.pass + report.summary.fail + report.summary.skip + report.summary.unknown + report.summary.error;
    assert.equal(counted, CHECKS.length);
    assert.ok(
      report.checks.some((c) => c.component === 'kubelet' && c.status !== 'skip'),
      'kubelet checks ran',
    );
  });

  it('a collect that cannot read <proc> throws through: the audit did not run', () => {
    // A throwing collect is the audit failing to run: it propagates to the CLI (exit 3).
    const failing = () => {
      throw Object.assign(new Error('cannot list /nonexistent'), { code: 'PROC_UNREADABLE' });
    };
    assert.throws(() => runAudit({ root: '/', proc: '/nonexistent', config: defaultConfig(), collect: failing }), {
      code: 'PROC_UNREADABLE',
    });
  });
});

describe('rolesOf', () => {
  const cases: [ComponentName[], string[]][] = [
    [[], []],
    [['kubelet'], ['worker']],
    [['kubelet', 'kube-proxy'], ['worker']],
    [['etcd'], ['etcd']],
    [
      ['kube-apiserver', 'etcd', 'kubelet'],
      ['control-plane', 'etcd'],
    ],
    [['kube-scheduler'], ['control-plane']],
    [['kube-controller-manager', 'kubelet'], ['control-plane']],
    [
      ['etcd', 'kubelet'],
      ['etcd', 'worker'],
    ],
    [['kube-proxy'], []],
  ];
  for (const [components, roles] of cases)
    it(`${components.join('+') || 'nothing'} → ${roles.join('+') || 'no role'}`, () =>
      assert.deepEqual(rolesOf(components), roles));
});

describe('exitCodeFor (--fail-on)', () => {
  // [level, status, must, should, never]
  const table: [Level, Status, 0 | 1, 0 | 1, 0 | 1][] = [
    ['MUST', 'pass', 0, 0, 0],
    ['MUST', 'fail', 1, 1, 0],
    ['MUST', 'error', 1, 1, 0],
    ['MUST', 'unknown', 0, 0, 0],
    ['MUST', 'skip', 0, 0, 0],
    ['SHOULD', 'fail', 0, 1, 0],
    ['SHOULD', 'error', 0, 1, 0],
    ['SHOULD', 'unknown', 0, 0, 0],
    ['RECOMMENDED', 'fail', 0, 1, 0],
    ['RECOMMENDED', 'error', 0, 1, 0],
    ['OPTIONAL', 'fail', 0, 0, 0],
    ['OPTIONAL', 'error', 0, 0, 0],
  ];
  for (const [level, status, ...expected] of table) {
    for (const [i, failOn] of (['must', 'should', 'never'] as FailOn[]).entries()) {
      it(`${level} ${status} with --fail-on ${failOn} → ${expected[i]}`, () => {
        const checks = [
          { level, status },
          { level: 'MUST' as Level, status: 'pass' as Status },
        ];
        assert.equal(
          exitCodeFor(
            {
              checks: checks.map((c, n) => ({
                id: `c${n}`,
                title: '',
                component: 'node',
                message: '',
                evidence: [],
                remediation: '',
                ...c,
              })),
            },
            failOn,
          ),
          expected[i],
        );
      });
    }
  }

  it('no checks at all → 0', () => assert.equal(exitCodeFor({ checks: [] }, 'should'), 0));
});
