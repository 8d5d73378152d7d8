// Which processes named like a component are trusted as that component: the facts a non-root user
// cannot forge (uid, executable owner and mode, its directories), table by table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutableFacts } from '../../src/collect/types.js';
import { judgeIdentity } from '../../src/resolve/identity.js';
import { processInfo, type ProcessSpec } from '../support/host.js';

const genuine = (path: string, mode = 0o755): ExecutableFacts => ({ ok: true, binary: { path, uid: 0, mode } });

interface Case {
  name: string;
  spec: ProcessSpec;
  trusted: boolean;
  /** A reason that must be given (suspicious cases). */
  reason?: RegExp;
}

const cases: Case[] = [
  {
    name: 'root kubelet from /usr/bin/kubelet',
    spec: { component: 'kubelet', uid: 0, executable: genuine('/usr/bin/kubelet') },
    trusted: true,
  },
  {
    name: 'root process whose executable cannot be examined: only root starts one',
    spec: { component: 'kubelet', uid: 0, executable: { ok: false, detail: '/proc/9/exe could not be read (EACCES)' } },
    trusted: true,
  },
  {
    name: 'Debian etcd as the system user etcd (uid 998), root-owned /usr/bin/etcd',
    spec: { component: 'etcd', uid: 998, executable: genuine('/usr/bin/etcd') },
    trusted: true,
  },
  {
    name: "kubeadm's rootless control plane: kube-apiserver as a system uid, root-owned binary",
    spec: { component: 'kube-apiserver', uid: 996, executable: genuine('/usr/local/bin/kube-apiserver') },
    trusted: true,
  },
  {
    name: 'hyperkube called as kubelet',
    spec: { component: 'kubelet', uid: 0, argv0: 'kubelet', executable: genuine('/hyperkube') },
    trusted: true,
  },
  {
    name: 'k0s or k3s multi-call binary',
    spec: { component: 'kubelet', uid: 0, executable: genuine('/var/lib/k0s/bin/k0s') },
    trusted: true,
  },
  {
    name: 'a binary replaced on disk since start (kernel appends " (deleted)")',
    spec: { component: 'kubelet', uid: 998, executable: genuine('/usr/bin/kubelet (deleted)') },
    trusted: true,
  },
  {
    name: 'exec -a kubelet python3 as nobody',
    spec: { component: 'kubelet', uid: 65534, argv0: 'kubelet', executable: genuine('/usr/bin/python3.11') },
    trusted: false,
    reason: /named kubelet but runs \/usr\/bin\/python3\.11/,
  },
  {
    name: 'nobody running the genuine root-owned kubelet with a config of their own',
    spec: { component: 'kubelet', uid: 65534, executable: genuine('/usr/bin/kubelet') },
    trusted: false,
    reason: /uid 65534, neither root nor a system account/,
  },
  {
    name: 'a login user (uid 1000) running the genuine etcd',
    spec: { component: 'etcd', uid: 1000, executable: genuine('/usr/bin/etcd') },
    trusted: false,
    reason: /uid 1000/,
  },
  {
    name: 'a setuid-root binary started by a user: real uid 1000',
    spec: { component: 'kubelet', uid: 0, realUid: 1000, executable: genuine('/usr/bin/kubelet') },
    trusted: false,
    reason: /uid 1000 \(effective 0\)/,
  },
  {
    name: "root running a kubelet from a user's home",
    spec: {
      component: 'kubelet',
      uid: 0,
      executable: {
        ok: true,
        binary: { path: '/home/eve/kubelet', uid: 1000, mode: 0o755 },
        weakDirectory: { path: '/home/eve', uid: 1000, mode: 0o755 },
      },
    },
    trusted: false,
    reason: /executable \/home\/eve\/kubelet is owned by uid 1000/,
  },
  {
    name: 'a root-owned binary in /tmp (world-writable)',
    spec: {
      component: 'kubelet',
      uid: 0,
      executable: {
        ok: true,
        binary: genuineBinary('/tmp/kubelet'),
        weakDirectory: { path: '/tmp', uid: 0, mode: 0o1777 },
      },
    },
    trusted: false,
    reason: /directory \/tmp is writable by group or others \(mode 01777\)/,
  },
  {
    name: 'a group-writable binary',
    spec: { component: 'kubelet', uid: 0, executable: genuine('/usr/local/bin/kubelet', 0o775) },
    trusted: false,
    reason: /writable by group or others \(mode 0775\)/,
  },
  {
    name: 'a system uid whose executable cannot be examined',
    spec: { component: 'etcd', uid: 998, executable: { ok: false, detail: 'EACCES' } },
    trusted: false,
    reason: /could not be examined/,
  },
  {
    name: 'uid unknown (status unreadable)',
    spec: { component: 'kubelet', executable: genuine('/usr/bin/kubelet') },
    trusted: false,
    reason: /uid could not be read/,
  },
];

function genuineBinary(path: string) {
  return { path, uid: 0, mode: 0o755 };
}

describe('judgeIdentity', () => {
  for (const c of cases) {
    it(`${c.trusted ? 'trusted' : 'suspicious'}: ${c.name}`, () => {
      const proc = processInfo({ pid: 4242, ...c.spec });
      // The table's "uid unknown" case: no status was read at all.
      if (c.name.startsWith('uid unknown')) {
        delete proc.uid;
        delete proc.realUid;
      }
      const identity = judgeIdentity(proc);
      assert.equal(identity.trusted, c.trusted, JSON.stringify(identity));
      if (c.reason)
        assert.ok(
          identity.reasons.some((r) => c.reason!.test(r)),
          JSON.stringify(identity.reasons),
        );
      if (c.trusted) assert.deepEqual(identity.reasons, []);
    });
  }

  it('a static pod manifest is not a process a user could start', () => {
    const identity = judgeIdentity(
      processInfo({ component: 'kube-apiserver', source: 'static-pod-manifest', uid: 65534 }),
    );
    assert.equal(identity.trusted, true);
  });
});
