// Probes with several candidate processes of a component (issue 9 item 1): every candidate is asked,
// and the etcd client certificate is offered only to an etcd trusted as one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutableFacts } from '../../src/collect/types.js';
import { resolveViews } from '../../src/resolve/index.js';
import { planProbesForViews } from '../../src/resolve/probe-plan.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { hostSnapshot, listener, type ProcessSpec } from '../support/host.js';

const etcdArgs = ['--listen-client-urls=https://127.0.0.1:2379', '--cert-file=/e/s.crt', '--key-file=/e/s.key'];
const genuine: ExecutableFacts = { ok: true, binary: { path: '/usr/bin/etcd', uid: 0, mode: 0o755 } };
const credentials = { certFile: '/c.crt', keyFile: '/c.key', origin: 'probes.etcd' as const };

function plan(processes: ProcessSpec[]) {
  const snapshot = {
    ...hostSnapshot({
      processes,
      listeners: processes.map((p) => listener('127.0.0.1', 2379 + ((p.pid ?? 0) % 7), p.pid)),
    }),
    realProc: true,
  };
  return planProbesForViews(resolveViews(snapshot, { releases: BUNDLED_RELEASES }), { etcdCredentials: credentials });
}

describe('probe plan with several candidates', () => {
  it('a trusted etcd gets the client certificate, a suspicious one (nobody, genuine binary) does not', () => {
    const processes: ProcessSpec[] = [
      {
        component: 'etcd',
        pid: 700,
        uid: 0,
        executable: genuine,
        args: etcdArgs.map((a) => a.replace('2379', String(2379 + (700 % 7)))),
      },
      {
        component: 'etcd',
        pid: 701,
        uid: 65534,
        executable: genuine,
        args: etcdArgs.map((a) => a.replace('2379', String(2379 + (701 % 7)))),
      },
    ];
    const auth = plan(processes).probes.filter((p) => p.kind === 'etcd-auth');
    assert.deepEqual(auth.map((p) => [p.pid, p.credentials !== undefined]).sort(), [
      [700, true],
      [701, false],
    ]);
  });
});
