import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, imageTag, parseKubernetesVersion, resolveVersions } from '../../src/resolve/versions.js';
import { BUNDLED_RELEASES, parseReleaseTable, tableAsOf } from '../../src/resolve/release-table.js';
import { hostSnapshot, probeRecord } from '../support/host.js';

describe('image tags and version parsing', () => {
  it('kubeadm image', () => assert.equal(imageTag('registry.k8s.io/kube-apiserver:v1.34.2'), 'v1.34.2'));
  it('registry with port and digest', () =>
    assert.equal(imageTag('registry.local:5000/etcd:3.5.21-0@sha256:abcd'), '3.5.21-0'));
  it('untagged', () => assert.equal(imageTag('registry.local:5000/etcd'), undefined));
  it('rke2 hardened image', () =>
    assert.deepEqual(parseKubernetesVersion('v1.31.4-rke2r1-build20250101'), { major: 1, minor: 31, patch: 4 }));
  it('k3s suffix', () => assert.deepEqual(parseKubernetesVersion('v1.33.3+k3s1'), { major: 1, minor: 33, patch: 3 }));
  it('release candidate', () =>
    assert.deepEqual(parseKubernetesVersion('v1.35.0-rc.1'), { major: 1, minor: 35, patch: 0, prerelease: 'rc.1' }));
  it('rc precedes the release', () =>
    assert.ok(compareVersions(parseKubernetesVersion('v1.35.0-rc.1')!, parseKubernetesVersion('1.35.0')!) < 0));
  it('not a Kubernetes version', () => assert.equal(parseKubernetesVersion('latest'), undefined));
});

describe('resolveVersions', () => {
  const resolve = (spec: Parameters<typeof hostSnapshot>[0]) =>
    resolveVersions(hostSnapshot(spec), BUNDLED_RELEASES).components;

  it('takes the static pod image tag', () => {
    const [c] = resolve({
      processes: [{ component: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.34.2' }],
    });
    assert.equal(c!.version, 'v1.34.2');
    assert.equal(c!.minor, '1.34');
    assert.equal(c!.evidence?.source, 'static-pod-manifest');
  });
  it('etcd versions are etcd versions, not Kubernetes ones', () => {
    const [c] = resolve({ processes: [{ component: 'etcd', image: 'registry.k8s.io/etcd:3.5.21-0' }] });
    assert.deepEqual([c!.scheme, c!.version, c!.minor], ['etcd', '3.5.21', '3.5']);
  });
  it('host-binary kubelet from its dpkg package (Debian revision and epoch dropped)', () => {
    const [c] = resolve({ processes: [{ component: 'kubelet' }], packages: { kubelet: '1:1.34.2-1.1' } });
    assert.equal(c!.version, 'v1.34.2');
    assert.equal(c!.evidence?.source, 'package');
  });
  it('unknown with a reason naming what would tell', () => {
    const [c] = resolve({ processes: [{ component: 'kubelet' }] });
    assert.equal(c!.version, undefined);
    assert.match(c!.reason!, /image tag.*package|package.*kubelet/);
  });
  it('a non-version tag is unknown, not a guess', () => {
    const [c] = resolve({ processes: [{ component: 'kube-scheduler', image: 'example/kube-scheduler:latest' }] });
    assert.equal(c!.version, undefined);
    assert.match(c!.reason!, /no version tag/);
  });
  it('falls back to the static pod manifest image', () => {
    const [c] = resolve({
      processes: [{ component: 'kube-controller-manager' }],
      manifests: [
        {
          path: '/etc/kubernetes/manifests/kube-controller-manager.yaml',
          component: 'kube-controller-manager',
          image: 'registry.k8s.io/kube-controller-manager:v1.35.1',
        },
      ],
    });
    assert.equal(c!.version, 'v1.35.1');
    assert.match(c!.evidence!.detail, /kube-controller-manager\.yaml/);
  });
  it('no entry for components not running', () => assert.deepEqual(resolve({}), []));
});

describe('bundled release table', () => {
  it('covers 1.19 through 1.37', () => {
    const minors = BUNDLED_RELEASES.minors.map((m) => m.minor);
    for (let n = 19; n <= 37; n++) assert.ok(minors.includes(`1.${n}`), `1.${n} missing`);
  });
  it('is self-consistent (parses as an operator table would)', () => {
    const table = parseReleaseTable(JSON.stringify(BUNDLED_RELEASES), 'bundled');
    assert.equal(table.minors.length, BUNDLED_RELEASES.minors.length);
  });
  it('has patch dates in order within each minor', () => {
    for (const m of BUNDLED_RELEASES.minors) {
      const sorted = [...m.patches].sort((a, b) =>
        compareVersions(parseKubernetesVersion(a.version)!, parseKubernetesVersion(b.version)!),
      );
      for (let i = 1; i < sorted.length; i++)
        assert.ok(sorted[i]!.date >= sorted[i - 1]!.date, `${m.minor}: ${sorted[i]!.version}`);
    }
  });
  it('records how far it reaches', () => assert.equal(tableAsOf(BUNDLED_RELEASES), '2026-09-15'));
});

describe('parseReleaseTable', () => {
  const valid =
    'source: ops mirror 2026-11-20\nasOf: "2026-11-20"\nminors:\n  - minor: "1.36"\n    endOfLife: 2027-06-28\n    patches:\n      - {version: 1.36.6, date: 2026-11-10}\n';
  it('reads YAML with unquoted dates', () => {
    const t = parseReleaseTable(valid, '/etc/scs-node-audit/releases.yaml');
    assert.equal(t.minors[0]!.endOfLife, '2027-06-28');
    assert.equal(t.minors[0]!.patches[0]!.date, '2026-11-10');
  });
  const bad: [string, string, RegExp][] = [
    [
      'unquoted minor 1.30 is the number 1.3',
      'source: x\nminors:\n  - minor: 1.30\n    endOfLife: 2025-06-28\n',
      /minors\[0\]\.minor/,
    ],
    ['missing end of life', 'source: x\nminors:\n  - minor: "1.30"\n', /minors\[0\]\.endOfLife/],
    // Date.parse rolls a day February does not have over into March; the table refuses it.
    [
      'a day that does not exist',
      'source: x\nminors:\n  - minor: "1.30"\n    endOfLife: "2025-02-30"\n',
      /minors\[0\]\.endOfLife/,
    ],
    ['month 13', 'source: x\nminors:\n  - minor: "1.30"\n    endOfLife: "2025-13-01"\n', /minors\[0\]\.endOfLife/],
    [
      'patch of another minor',
      'source: x\nminors:\n  - minor: "1.30"\n    endOfLife: 2025-06-28\n    patches: [{version: 1.31.1, date: 2024-01-01}]\n',
      /patches\[0\]\.version/,
    ],
    ['unknown key', 'source: x\nminor: []\n', /minor: unknown key/],
    ['malformed YAML', 'source: [\n', /\(document\)/],
    ['not a mapping', '- 1\n', /\(document\)/],
    [
      'alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      /\(document\)/,
    ],
  ];
  for (const [name, text, key] of bad) {
    it(`rejects ${name}, naming the origin and key`, () => {
      assert.throws(
        () => parseReleaseTable(text, '/etc/scs-node-audit/releases.yaml'),
        (e: Error & { code?: string }) =>
          e.code === 'ERR_RELEASE_TABLE' &&
          e.message.startsWith('/etc/scs-node-audit/releases.yaml: ') &&
          key.test(e.message),
      );
    });
  }
});

describe('resolveVersions with the apiserver /version probe', () => {
  const apiserver = { component: 'kube-apiserver' as const, pid: 900, image: 'registry.k8s.io/kube-apiserver:v1.34.2' };
  const probed = (gitVersion: string) =>
    hostSnapshot({
      processes: [apiserver],
      probes: {
        records: [
          probeRecord({
            probe: 'apiserver-version',
            component: 'kube-apiserver',
            pid: 900,
            target: 'GET https://127.0.0.1:6443/version',
            outcome: 'response',
            status: 200,
            version: gitVersion,
          }),
        ],
      },
    });

  it('the running version wins over the image tag, and the evidence says they disagree', () => {
    const [v] = resolveVersions(probed('v1.34.1'), BUNDLED_RELEASES).components;
    assert.equal(v?.version, 'v1.34.1');
    assert.equal(v.evidence?.source, 'probe');
    assert.match(
      v.evidence.detail,
      /gitVersion v1\.34\.1 \(.*image registry\.k8s\.io\/kube-apiserver:v1\.34\.2 says v1\.34\.2, but the running apiserver answers v1\.34\.1\)/,
    );
  });

  it('an agreeing probe is still the evidence', () => {
    const [v] = resolveVersions(probed('v1.34.2'), BUNDLED_RELEASES).components;
    assert.equal(v?.version, 'v1.34.2');
    assert.equal(v.evidence?.detail, 'GET https://127.0.0.1:6443/version: gitVersion v1.34.2');
  });
});
