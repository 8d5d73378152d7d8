import assert from 'node:assert/strict';
import { it } from 'node:test';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { hostSnapshot } from '../support/host.js';
import check from '../../src/checks/version-patch-current.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import type { ReleaseTable } from '../../src/resolve/release-table.js';

const apiserver = (tag: string) => ({
  component: 'kube-apiserver' as const,
  image: `registry.k8s.io/kube-apiserver:${tag}`,
});
/** An operator table current to the audit day. */
const fresh: ReleaseTable = {
  source: 'ops mirror',
  asOf: '2026-11-28',
  minors: [
    {
      minor: '1.36',
      endOfLife: '2027-06-28',
      patches: [
        { version: '1.36.6', date: '2026-10-13' },
        { version: '1.36.7', date: '2026-11-10' },
      ],
    },
    { minor: '1.37', endOfLife: '2027-10-28', patches: [{ version: '1.37.3', date: '2026-11-10' }] },
  ],
};

runCheckCases(check, {
  pass: [
    { name: 'newest patch with a current table', host: { processes: [apiserver('v1.36.7')] }, releases: fresh },
    {
      name: 'one patch behind, newer patch only 19 days old',
      host: { processes: [apiserver('v1.36.6')] },
      releases: fresh,
    },
    { name: 'the final patch of an EOL minor: nothing newer can come', host: { processes: [apiserver('v1.32.13')] } },
    {
      name: 'bundled table still fresh (audit soon after its snapshot)',
      host: { processes: [apiserver('v1.35.9')] },
      context: { now: new Date('2026-10-01T00:00:00Z') },
    },
  ],
  fail: [
    {
      name: 'SCS reference stack 1.34.7 while 1.34.9 is months old',
      host: { processes: [apiserver('v1.34.7')] },
      messageId: 'patchOverdue',
      messageIncludes: ['v1.34.9', '2026-06-09'],
    },
    {
      name: 'host kubelet package one month behind',
      host: { processes: [{ component: 'kubelet' }], packages: { kubelet: '1.36.5-1.1' } },
      releases: fresh,
      messageId: 'patchOverdue',
      messageIncludes: ['v1.36.6 released 2026-10-13'],
    },
    {
      name: 'release candidate still running after the release',
      host: { processes: [apiserver('v1.35.0-rc.1')] },
      messageId: 'patchOverdue',
      messageIncludes: ['v1.35.0-rc.1'],
    },
  ],
  unknown: [
    {
      name: 'bundled table too old to prove no newer patch exists',
      host: { processes: [apiserver('v1.35.9')] },
      messageId: 'tableStale',
      messageIncludes: ['2026-09-15'],
    },
    {
      name: 'a hole in the table between the running patch and a recent newer one (an endoflife.date merge knows only the newest)',
      host: { processes: [apiserver('v1.37.1')] },
      releases: fresh,
      messageId: 'patchDateUnknown',
      messageIncludes: ['v1.37.2'],
    },
    {
      name: 'final patch exists but its date is unknown',
      host: { processes: [apiserver('v1.32.4')] },
      messageId: 'patchDateUnknown',
      messageIncludes: ['v1.32.13'],
    },
    { name: 'version unknown', host: { processes: [{ component: 'kubelet' }] }, messageId: 'versionUnknown' },
    { name: 'minor not in the table', host: { processes: [apiserver('v1.38.0')] }, messageId: 'notInTable' },
  ],
  skip: [
    {
      name: 'etcd-only host',
      host: { processes: [{ component: 'etcd', image: 'registry.k8s.io/etcd:3.6.4-0' }] },
      messageId: 'noComponent',
    },
  ],
});

it('version-patch-current: components of the same minor share one release-table evidence line, in first-seen order', () => {
  const snapshot = hostSnapshot({
    processes: [apiserver('v1.36.7'), { component: 'kube-scheduler', image: 'registry.k8s.io/kube-scheduler:v1.36.7' }],
  });
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: fresh }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(
    finding.evidence.map((e) => e.source),
    ['static-pod-manifest', 'release-table', 'static-pod-manifest'],
  );
  assert.match(
    finding.evidence[1]!.detail,
    /^no patch of 1\.36 newer than v1\.36\.7 released before 2026-11-28 \(ops mirror\)$/,
  );
});
