import assert from 'node:assert/strict';
import { it } from 'node:test';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { hostSnapshot } from '../support/host.js';
import check from '../../src/checks/version-supported.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import type { ReleaseTable } from '../../src/resolve/release-table.js';

const apiserver = (tag: string) => ({
  component: 'kube-apiserver' as const,
  args: ['--secure-port=6443'],
  image: `registry.k8s.io/kube-apiserver:${tag}`,
});
const oldTable: ReleaseTable = {
  source: 'test table',
  asOf: '2026-01-01',
  minors: [
    { minor: '1.33', endOfLife: '2026-06-28', patches: [] },
    { minor: '1.34', endOfLife: '2026-10-27', patches: [] },
  ],
};

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm control plane on 1.36 (images)',
      host: {
        processes: [
          apiserver('v1.36.4'),
          { component: 'kube-scheduler', image: 'registry.k8s.io/kube-scheduler:v1.36.4' },
        ],
      },
    },
    {
      name: 'worker: host-binary kubelet from its dpkg package',
      host: { processes: [{ component: 'kubelet' }], packages: { kubelet: '1.35.9-1.1' } },
    },
    {
      name: 'rke2 hardened image tag',
      host: {
        processes: [{ component: 'kube-apiserver', image: 'rancher/hardened-kubernetes:v1.37.1-rke2r1-build20260915' }],
      },
    },
    {
      name: 'last day of support is still supported',
      host: { processes: [apiserver('v1.35.9')] },
      context: { now: new Date('2027-02-28T23:59:00Z') },
    },
    {
      name: 'etcd is not judged by the Kubernetes table',
      host: { processes: [apiserver('v1.36.4'), { component: 'etcd', image: 'registry.k8s.io/etcd:3.5.21-0' }] },
    },
  ],
  fail: [
    {
      name: '1.34 reached end of life on 2026-10-27',
      host: { processes: [apiserver('v1.34.9')] },
      messageId: 'endOfLife',
      messageIncludes: ['kube-apiserver v1.34.9', '2026-10-27'],
    },
    {
      name: 'one EOL kubelet among supported components',
      host: { processes: [apiserver('v1.36.4'), { component: 'kubelet' }], packages: { kubelet: '1.32.13-1.1' } },
      messageId: 'endOfLife',
      messageIncludes: ['kubelet v1.32.13'],
    },
    {
      name: 'older than every minor in the table',
      host: { processes: [apiserver('v1.17.3')] },
      messageId: 'endOfLife',
      messageIncludes: ['older than 1.19'],
    },
    {
      name: 'a fail is not hidden by another component being unknown',
      host: { processes: [apiserver('v1.30.2'), { component: 'kubelet' }] },
      messageId: 'endOfLife',
    },
  ],
  unknown: [
    {
      name: 'kubelet without image or package',
      host: { processes: [{ component: 'kubelet' }] },
      messageId: 'versionUnknown',
      messageIncludes: ['kubelet', 'package'],
    },
    {
      name: 'image tag latest',
      host: {
        processes: [{ component: 'kube-controller-manager', image: 'example.org/kube-controller-manager:latest' }],
      },
      messageId: 'versionUnknown',
      messageIncludes: ['no version tag'],
    },
    {
      name: 'release table older than the running version',
      host: { processes: [apiserver('v1.36.0')] },
      releases: oldTable,
      messageId: 'tableTooOld',
      messageIncludes: ['update the release table'],
    },
  ],
  skip: [
    {
      name: 'etcd-only host',
      host: { processes: [{ component: 'etcd', image: 'registry.k8s.io/etcd:3.6.4-0' }] },
      messageId: 'noComponent',
    },
    { name: 'no component at all', host: {}, messageId: 'noComponent' },
  ],
});

it('version-supported: components of the same minor share one release-table evidence line, in first-seen order', () => {
  const snapshot = hostSnapshot({
    processes: [apiserver('v1.36.4'), { component: 'kube-scheduler', image: 'registry.k8s.io/kube-scheduler:v1.36.4' }],
  });
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: BUNDLED_RELEASES }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(
    finding.evidence.map((e) => e.source),
    ['static-pod-manifest', 'release-table', 'static-pod-manifest'],
  );
  assert.match(finding.evidence[1]!.detail, /^1\.36: end of life /);
});
