// Executable facts of component processes in fake roots (DESIGN §2): the `exe` link is resolved
// under the root, never on the auditor's own filesystem; owner and mode come from the tree. Then
// the whole audit on such trees: a decoy beside a failing kubelet, and an oversized command line
// beside a static pod manifest (issue 9 items 1 and 3).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { runAudit } from '../../src/audit.js';
import { collectForAudit } from '../../src/audit.js';
import type { ProcessInfo } from '../../src/collect/types.js';
import { defaultConfig } from '../../src/config.js';
import { repoRoot } from '../support/paths.js';
import { makeFakeRoot, type FakeRoot } from './fake-root.js';

const isRoot = process.getuid?.() === 0;
const roots: FakeRoot[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) r.remove();
});

function fakeRoot(): FakeRoot {
  const r = makeFakeRoot();
  roots.push(r);
  r.write(
    'proc/net/tcp',
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n',
  );
  return r;
}

/** A binary under the root with the given mode (and owner, as root). */
function binary(r: FakeRoot, relative: string, mode = 0o755, uid = 0): void {
  const file = r.write(relative, '');
  fs.chmodSync(file, mode);
  if (isRoot) fs.chownSync(file, uid, uid);
}

function processOf(r: FakeRoot, pid: number): ProcessInfo {
  const found = collectForAudit({ root: r.root }).processes.find((p) => p.pid === pid);
  assert.ok(found, `pid ${pid} collected`);
  return found;
}

describe('executable facts in a fake root', () => {
  it('a root-owned binary in root-owned directories, found under the root', () => {
    const r = fakeRoot();
    binary(r, 'usr/bin/kubelet');
    r.addProcess(812, { argv: ['/usr/bin/kubelet'], exe: '/usr/bin/kubelet', cwd: '/' });
    const exe = processOf(r, 812).executable;
    assert.ok(exe?.ok, JSON.stringify(exe));
    assert.deepEqual(exe.binary, { path: '/usr/bin/kubelet', uid: isRoot ? 0 : process.getuid!(), mode: 0o755 });
    if (isRoot) assert.equal(exe.weakDirectory, undefined);
  });

  it("the exe link names a binary missing under the root: not looked up on the auditor's /", () => {
    const r = fakeRoot();
    // /usr/bin/env exists on the machine running the test, but not in the tree.
    r.addProcess(812, { argv: ['kubelet'], exe: '/usr/bin/env', cwd: '/' });
    const exe = processOf(r, 812).executable;
    assert.equal(exe?.ok, false, JSON.stringify(exe));
    assert.match(exe.detail, /\/usr\/bin\/env does not exist/);
  });

  it('a binary in a world-writable /tmp: the directory is named', () => {
    const r = fakeRoot();
    binary(r, 'tmp/kubelet');
    fs.chmodSync(path.join(r.root, 'tmp'), 0o1777);
    r.addProcess(300, { argv: ['kubelet'], exe: '/tmp/kubelet', cwd: '/', uid: 65534 });
    const exe = processOf(r, 300).executable;
    assert.ok(exe?.ok);
    assert.deepEqual(exe.weakDirectory, { path: '/tmp', uid: isRoot ? 0 : process.getuid!(), mode: 0o1777 });
  });

  it('a binary a user owns, in their home', { skip: isRoot ? undefined : 'chown needs root' }, () => {
    const r = fakeRoot();
    binary(r, 'home/eve/kubelet', 0o755, 1000);
    fs.chownSync(path.join(r.root, 'home/eve'), 1000, 1000);
    r.addProcess(300, { argv: ['kubelet'], exe: '/home/eve/kubelet', cwd: '/', uid: 1000 });
    const exe = processOf(r, 300).executable;
    assert.ok(exe?.ok);
    assert.equal(exe.binary.uid, 1000);
    assert.deepEqual(exe.weakDirectory, { path: '/home/eve', uid: 1000, mode: 0o755 });
  });

  it('an exe link that climbs out of the root stays inside it', () => {
    const r = fakeRoot();
    binary(r, 'usr/bin/kubelet');
    r.addProcess(812, { argv: ['kubelet'], exe: '/../../../../usr/bin/kubelet', cwd: '/' });
    const exe = processOf(r, 812).executable;
    assert.equal(exe?.ok, false, 'a link path that is not canonical is not followed');
  });
});

const KUBELET_FAILS =
  'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow\n';
const KUBELET_PASSES =
  'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n';

function audit(r: FakeRoot) {
  return runAudit({ root: r.root, config: defaultConfig(), now: new Date('2026-11-29T10:00:00.000Z') });
}

describe('the audit of fake roots with a decoy or an oversized command line (issue 9)', () => {
  function withRealKubelet(r: FakeRoot): void {
    binary(r, 'usr/bin/kubelet');
    r.write('var/lib/kubelet/config.yaml', KUBELET_FAILS);
    r.addProcess(812, {
      argv: ['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml'],
      exe: '/usr/bin/kubelet',
      cwd: '/',
    });
  }
  function withDecoy(r: FakeRoot): void {
    binary(r, 'usr/bin/python3.11');
    r.write('home/eve/config.yaml', KUBELET_PASSES);
    r.addProcess(300, {
      argv: ['kubelet', '-c', 'listen', '--config=/home/eve/config.yaml'],
      exe: '/usr/bin/python3.11',
      cwd: '/home/eve',
      uid: 65534,
      sockets: [45678],
    });
  }

  it('fail: the root kubelet fails, the decoy (pid 300, python3 as nobody) passes; both named', () => {
    const r = fakeRoot();
    withRealKubelet(r);
    withDecoy(r);
    const check = audit(r).checks.find((c) => c.id === 'kubelet-anonymous-auth')!;
    assert.equal(check.status, 'fail', check.message);
    assert.match(check.message, /kubelet pid 812/);
    assert.match(check.message, /kubelet pid 300/);
  });

  it('unknown: the decoy alone', () => {
    const r = fakeRoot();
    withDecoy(r);
    const report = audit(r);
    const check = report.checks.find((c) => c.id === 'kubelet-anonymous-auth')!;
    assert.equal(check.status, 'unknown', check.message);
    assert.match(check.message, /kubelet pid 300 .*named kubelet but runs \/usr\/bin\/python3\.11/);
    assert.deepEqual(report.components.find((c) => c.name === 'kubelet')?.processes, [
      {
        pid: 300,
        trusted: false,
        reasons: [
          'it is named kubelet but runs /usr/bin/python3.11',
          'it runs as uid 65534, neither root nor a system account (uid 1-999)',
        ],
      },
    ]);
  });

  it('unknown: a kube-apiserver command line over 4 MiB beside a static pod manifest that passes', () => {
    const r = fakeRoot();
    const manifest = fs.readFileSync(
      path.join(
        repoRoot,
        'test/fixtures/hosts/kubeadm-1.34-control-plane/etc/kubernetes/manifests/kube-apiserver.yaml',
      ),
      'utf8',
    );
    r.write('etc/kubernetes/manifests/kube-apiserver.yaml', manifest);
    binary(r, 'usr/local/bin/kube-apiserver');
    const big = 'x'.repeat(130_000);
    r.addProcess(700, {
      argv: [
        'kube-apiserver',
        '--authorization-mode=AlwaysAllow',
        ...Array.from({ length: 40 }, (_, i) => `--flag-${i}=${big}`),
      ],
      exe: '/usr/local/bin/kube-apiserver',
      cwd: '/',
    });
    const report = audit(r);
    const check = report.checks.find((c) => c.id === 'apiserver-authz-policy')!;
    assert.equal(check.status, 'unknown', check.message);
    assert.match(
      check.message,
      /kube-apiserver \(pid 700\) runs, but its command line .* larger than the 4 MiB read limit/,
    );
    assert.ok(!report.notes.some((n) => /audited its static pod manifest/.test(n)), report.notes.join('\n'));
  });
});
