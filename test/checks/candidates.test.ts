// Several processes of one component (issue 9 item 1): each is judged, the worst verdict counts and
// names every pid, and a pass never rests on suspicious processes alone. Also a process that could
// not be read whole (item 3). Snapshots go through the real resolve stage and the real runner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../src/checks/index.js';
import type { Finding } from '../../src/checks/types.js';
import type { ComponentName, ExecutableFacts } from '../../src/collect/types.js';
import { auditSpec } from '../support/audit-spec.js';
import { listener, type ProcessSpec } from '../support/host.js';

const genuine = (component: ComponentName): ExecutableFacts => ({
  ok: true,
  binary: { path: `/usr/bin/${component}`, uid: 0, mode: 0o755 },
});
const python: ExecutableFacts = { ok: true, binary: { path: '/usr/bin/python3.11', uid: 0, mode: 0o755 } };

/** The real kubelet: root, its own binary. */
const rootKubelet = (pid: number, anonymous: boolean): ProcessSpec => ({
  component: 'kubelet',
  pid,
  uid: 0,
  executable: genuine('kubelet'),
  args: [`--anonymous-auth=${anonymous}`, '--authorization-mode=Webhook'],
});
/** `exec -a kubelet python3 … ` as nobody, with flags of the user's choosing. */
const decoyKubelet = (pid: number, anonymous: boolean): ProcessSpec => ({
  component: 'kubelet',
  pid,
  uid: 65534,
  argv0: 'kubelet',
  executable: python,
  args: [`--anonymous-auth=${anonymous}`, '--authorization-mode=Webhook'],
});

function finding(findings: Map<string, Finding>, id: string): Finding {
  const f = findings.get(id);
  assert.ok(f, `no finding ${id}`);
  return f;
}

describe('several processes of a component: the worst verdict counts', () => {
  it('fail: the root kubelet fails, a decoy started after it passes; both pids named (issue 9 item 1)', () => {
    const f = finding(
      auditSpec({
        processes: [decoyKubelet(300, false), rootKubelet(812, true)],
        listeners: [listener('0.0.0.0', 45678, 300)],
      }),
      'kubelet-anonymous-auth',
    );
    assert.equal(f.status, 'fail');
    assert.match(f.message, /kubelet pid 812, kubelet pid 300|kubelet pid 300, kubelet pid 812/);
    assert.match(f.message, /worst verdict counts, here from kubelet pid 812/);
    assert.ok(
      f.evidence.some(
        (e) =>
          e.source === 'process' &&
          /pid 300 .*suspicious: it is named kubelet but runs \/usr\/bin\/python3\.11/.test(e.detail),
      ),
      JSON.stringify(f.evidence),
    );
  });

  it('unknown: only a suspicious kubelet runs and would pass; the message names its pid and why', () => {
    const f = finding(auditSpec({ processes: [decoyKubelet(300, false)] }), 'kubelet-anonymous-auth');
    assert.equal(f.status, 'unknown');
    assert.equal(f.messageId, 'suspicious-process');
    assert.match(f.message, /kubelet pid 300 .*named kubelet but runs \/usr\/bin\/python3\.11.*uid 65534/);
  });

  it('fail: a suspicious kubelet alone that fails is judged (it can make a verdict worse)', () => {
    assert.equal(finding(auditSpec({ processes: [decoyKubelet(300, true)] }), 'kubelet-anonymous-auth').status, 'fail');
  });

  it('pass: the root kubelet passes and so does the decoy; the trusted process is the ground', () => {
    const f = finding(
      auditSpec({ processes: [decoyKubelet(300, false), rootKubelet(812, false)] }),
      'kubelet-anonymous-auth',
    );
    assert.equal(f.status, 'pass');
    assert.match(f.message, /Judged 2 processes/);
  });

  it('fail: the root kubelet passes but the decoy fails (worse is allowed)', () => {
    assert.equal(
      finding(auditSpec({ processes: [decoyKubelet(300, true), rootKubelet(812, false)] }), 'kubelet-anonymous-auth')
        .status,
      'fail',
    );
  });

  it('fail: two trusted kubelets (a nested node), one fails', () => {
    assert.equal(
      finding(auditSpec({ processes: [rootKubelet(812, false), rootKubelet(900, true)] }), 'kubelet-anonymous-auth')
        .status,
      'fail',
    );
  });

  it('pass: one trusted kubelet, nothing else: the finding is as before, no process list', () => {
    const f = finding(auditSpec({ processes: [rootKubelet(812, false)] }), 'kubelet-anonymous-auth');
    assert.equal(f.status, 'pass');
    assert.doesNotMatch(f.message, /Judged/);
  });

  it('skip: no kubelet, and a decoy of another component does not change that', () => {
    const decoyEtcd: ProcessSpec = { component: 'etcd', pid: 301, uid: 1000, executable: python, args: [] };
    assert.equal(finding(auditSpec({ processes: [decoyEtcd] }), 'kubelet-anonymous-auth').status, 'skip');
  });

  it('node checks: a pass resting on a suspicious apiserver alone is unknown', () => {
    const apiserver: ProcessSpec = {
      component: 'kube-apiserver',
      pid: 400,
      uid: 1000,
      executable: genuine('kube-apiserver'),
      args: ['--authorization-mode=Node,RBAC'],
    };
    const f = finding(auditSpec({ processes: [apiserver] }), 'apiserver-authz-policy');
    assert.equal(f.status, 'unknown');
    assert.match(f.message, /kube-apiserver pid 400 .*uid 1000, neither root nor a system account/);
  });

  it('the etcd auth probe answer of a decoy etcd does not count for the real etcd', () => {
    const etcd = (pid: number, uid: number, executable: ExecutableFacts): ProcessSpec => ({
      component: 'etcd',
      pid,
      uid,
      executable,
      args: ['--listen-client-urls=https://127.0.0.1:2379', '--cert-file=/e/s.crt', '--key-file=/e/s.key'],
    });
    const findings = auditSpec({
      processes: [etcd(500, 0, genuine('etcd')), etcd(200, 65534, python)],
      probes: {
        etcd: { endpoint: 'https://127.0.0.1:2379', authEnabled: true },
        records: [
          {
            probe: 'etcd-auth-enabled',
            component: 'etcd',
            pid: 200,
            target: 'POST https://127.0.0.1:2379/v3/auth/status',
            listener: { address: '127.0.0.1', port: 2379 },
            outcome: 'response',
            status: 200,
            detail: 'enabled',
          },
        ],
      },
    });
    // The real etcd's auth state is unknown (no answer of its own); the decoy's answer cannot make it a pass.
    assert.equal(finding(findings, 'etcd-auth-enabled').status, 'unknown');
  });
});

describe('a process that could not be read whole (issue 9 item 3)', () => {
  it('unknown: every kube-apiserver check names the pid and the reason; other components are judged', () => {
    const findings = auditSpec({
      processes: [
        {
          component: 'kube-apiserver',
          pid: 700,
          incomplete:
            'its command line (/proc/700/cmdline) is larger than the 4 MiB read limit, so its flags could not be read',
        },
        rootKubelet(812, false),
      ],
    });
    for (const check of CHECKS.filter((c) => c.component === 'kube-apiserver')) {
      const f = finding(findings, check.id);
      assert.equal(f.status, 'unknown', check.id);
      assert.equal(f.messageId, 'process-unreadable');
      assert.match(
        f.message,
        /kube-apiserver \(pid 700\) runs, but its command line .* larger than the 4 MiB read limit/,
      );
    }
    assert.equal(finding(findings, 'kubelet-anonymous-auth').status, 'pass');
  });
});
