import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../../src/audit.js';
import { parseArgsFile } from '../../src/collect/sources/microk8s.js';
import { COMPONENT_SOURCES } from '../../src/collect/sources/index.js';
import { defaultConfig } from '../../src/config.js';
import { listenerComponent } from '../../src/resolve/listeners.js';
import type { Endpoint } from '../../src/resolve/resolved.js';
import { listener, processInfo } from '../support/host.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Run from test/ by tsx, or from dist/test/ after `tsc` (which copies no fixtures).
const HOSTS = [path.join(HERE, '../fixtures/hosts'), path.join(HERE, '../../../test/fixtures/hosts')].find((dir) =>
  existsSync(dir),
)!;

describe('component sources', () => {
  it('are tried in order of trust: own process, static pod manifest, systemd unit, then the distributions', () => {
    assert.deepEqual(
      COMPONENT_SOURCES.map((s) => s.name),
      ['process', 'static-pod-manifest', 'systemd-unit', 'microk8s', 'k3s'],
    );
  });
});

describe('MicroK8s args files, read as kubelite reads them', () => {
  it('skips comments and blank lines, drops quotes, splits at spaces, expands the snap variables', () => {
    const text =
      '--cert-dir=${SNAP_DATA}/certs\n\n# Enable the aggregation layer\n  --etcd-servers="unix://$SNAP_DATA/kine.sock:12379"  \n--a=1 --b=2\n#~end\n';
    assert.deepEqual(parseArgsFile(text, { SNAP_DATA: '/var/snap/microk8s/8492' }), {
      args: [
        '--cert-dir=/var/snap/microk8s/8492/certs',
        '--etcd-servers=unix:///var/snap/microk8s/8492/kine.sock:12379',
        '--a=1',
        '--b=2',
      ],
      unknownVariables: [],
    });
  });

  it('keeps a variable it does not know as written, and says so', () => {
    assert.deepEqual(parseArgsFile('--x=${SNAP_USER_DATA}/y\n', {}), {
      args: ['--x=${SNAP_USER_DATA}/y'],
      unknownVariables: ['SNAP_USER_DATA'],
    });
  });
});

describe('listeners of one process that runs several components (k3s, kubelite)', () => {
  const procs = ['kube-apiserver', 'kubelet'].map((component) => ({
    ...processInfo({ component: component as 'kubelet' }),
    pid: 812,
  }));
  const endpoint = (component: Endpoint['component'], port: number): Endpoint => ({
    component,
    pid: 812,
    purpose: 'secure-port',
    address: '0.0.0.0',
    port,
    scheme: 'https',
    evidence: { source: 'flag', detail: '' },
  });
  const endpoints = [endpoint('kube-apiserver', 6444), endpoint('kubelet', 10250)];

  it('are told apart by the port each component is configured to serve', () => {
    assert.equal(listenerComponent(listener('::', 10250, 812), procs, endpoints)?.component, 'kubelet');
    assert.equal(listenerComponent(listener('127.0.0.1', 6444, 812), procs, endpoints)?.component, 'kube-apiserver');
  });

  it('a port no component is configured for (the k3s supervisor on 6443) belongs to none of them', () => {
    assert.equal(listenerComponent(listener('::', 6443, 812), procs, endpoints), undefined);
  });
});

describe('a MicroK8s host whose kube-apiserver args file cannot be read', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'scs-mk8s-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const root = path.join(work, 'microk8s');
  cpSync(path.join(HOSTS, 'microk8s'), root, { recursive: true, verbatimSymlinks: true });
  rmSync(path.join(root, 'var/snap/microk8s/8492/args/kube-apiserver'));

  it('gives unknown naming the file, never skip, and is not compliant', () => {
    const report = runAudit({ root, now: new Date('2026-11-29T10:00:00Z'), config: defaultConfig() });
    const apiserver = report.checks.filter((c) => c.component === 'kube-apiserver');
    assert.deepEqual([...new Set(apiserver.map((c) => c.status))], ['unknown']);
    assert.match(
      apiserver[0]!.message,
      /microk8s kubelite \(pid 4730\) runs kube-apiserver.*\/var\/snap\/microk8s\/8492\/args\/kube-apiserver does not exist/,
    );
    assert.equal(report.summary.compliant, false);
    assert.equal(report.checks.find((c) => c.id === 'kubelet-anonymous-auth')?.status, 'pass');
  });
});

describe('a kubelite that is not root (any user can start a process by that name)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'scs-mk8s-user-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const root = path.join(work, 'microk8s');
  cpSync(path.join(HOSTS, 'microk8s'), root, { recursive: true, verbatimSymlinks: true });
  const status = path.join(root, 'proc/4730/status');
  writeFileSync(status, readFileSync(status, 'utf8').replace(/^Uid:.*$/m, 'Uid:\t1000\t1000\t1000\t1000'));

  it('brings no command line: its args files are not trusted, and its components are unknown, never pass', () => {
    const report = runAudit({ root, now: new Date('2026-11-29T10:00:00Z'), config: defaultConfig() });
    const judged = report.checks.filter((c) => c.component === 'kube-apiserver' || c.component === 'kubelet');
    assert.deepEqual([...new Set(judged.map((c) => c.status))], ['unknown']);
    assert.match(judged[0]!.message, /process 4730 is running as uid 1000, not root, so its records were not trusted/);
    assert.deepEqual(report.components, []);
  });
});
