// What the live probes cost: one audit with and without them, on
//  (a) the kubeadm 1.34 control-plane fake root with its etcd replaced by a real etcd 3.4 on
//      loopback (TLS, client-cert-auth, probe credentials configured), and
//  (b) this machine's real /proc with that same etcd running.
// Run: node --import tsx bench/probes.ts [runs]   (needs /usr/bin/etcd, etcdctl, openssl;
//      SHOW_EVIDENCE=1 also prints the probe evidence of one audit of (a))
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAudit } from '../src/audit.js';
import { runAuditWithProbes } from '../src/audit-probes.js';
import { collectForAudit } from '../src/audit.js';
import type { HostSnapshot } from '../src/collect/types.js';
import { defaultConfig, type AuditConfig } from '../src/config.js';
import type { Report } from '../src/report/types.js';
import { createTestPki, credentialsOf, freePort, removeDir, startEtcd } from '../test/support/etcd.js';
import { repoRoot } from '../test/support/paths.js';

const runs = Number(process.argv[2] ?? 10);
const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'hosts', 'kubeadm-1.34-control-plane');

interface Row {
  scenario: string;
  probes: 'on' | 'off';
  medianMs: number;
  p90Ms: number;
  probesRun: number;
}

async function measure(scenario: string, probes: 'on' | 'off', audit: () => Promise<Report>): Promise<Row> {
  const warm = await audit(); // module loading and JIT are not what we compare
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await audit();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1));
  const probesRun = warm.checks.flatMap((c) => c.evidence).filter((e) => e.source === 'probe').length;
  return { scenario, probes, medianMs: at(0.5), p90Ms: at(0.9), probesRun };
}

const pki = createTestPki();
const work = mkdtempSync(path.join(tmpdir(), 'scs-bench-probes-'));
const [client, peer] = [await freePort(), await freePort()];
const etcd = await startEtcd(work, 'bench', {
  args: [
    '--name=bench',
    `--data-dir=${path.join(work, 'bench.data')}`,
    `--listen-client-urls=https://127.0.0.1:${client}`,
    `--advertise-client-urls=https://127.0.0.1:${client}`,
    `--listen-peer-urls=https://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=https://127.0.0.1:${peer}`,
    `--initial-cluster=bench=https://127.0.0.1:${peer}`,
    `--cert-file=${pki.memberCert}`,
    `--key-file=${pki.memberKey}`,
    `--trusted-ca-file=${pki.caFile}`,
    '--client-cert-auth',
    `--peer-cert-file=${pki.memberCert}`,
    `--peer-key-file=${pki.memberKey}`,
    `--peer-trusted-ca-file=${pki.caFile}`,
    '--peer-client-cert-auth',
  ],
  clientUrl: `https://127.0.0.1:${client}`,
  credentials: credentialsOf(pki, 'root'),
});

try {
  const base = defaultConfig();
  const config = (enabled: boolean): AuditConfig => ({
    ...base,
    probes: { ...base.probes, enabled, etcd: { certFile: pki.probeCert, keyFile: pki.probeKey, caFile: pki.caFile } },
  });

  // (a) The fake root's processes and files, with the real etcd (process, files, sockets) in place of its own.
  const fakeRootWithRealEtcd = (): HostSnapshot => {
    const fixture = collectForAudit({
      root: FIXTURE,
      proc: path.join(FIXTURE, 'proc'),
      now: new Date('2026-11-29T10:00:00Z'),
    });
    const real = collectForAudit({ root: '/', proc: '/proc' });
    const realEtcd = real.processes.filter((p) => p.pid === etcd.pid);
    const realSockets = Array.isArray(real.listeners) ? real.listeners.filter((l) => l.pid === etcd.pid) : [];
    const fixtureSockets = Array.isArray(fixture.listeners) ? fixture.listeners : [];
    const etcdPids = new Set(fixture.processes.filter((p) => p.component === 'etcd').map((p) => p.pid));
    return {
      ...fixture,
      // Probes run only on a live procfs; the fixture's other pids do not exist here, so their probes are not run.
      realProc: true,
      processes: [...fixture.processes.filter((p) => p.component !== 'etcd'), ...realEtcd],
      listeners: [...fixtureSockets.filter((l) => l.pid === undefined || !etcdPids.has(l.pid)), ...realSockets],
      addresses: [...new Set([...fixture.addresses, ...real.addresses])],
    };
  };
  const snapshot = fakeRootWithRealEtcd();
  const fromSnapshot = { root: FIXTURE, proc: '/proc', collect: () => snapshot };

  const rows: Row[] = [
    await measure('kubeadm 1.34 fake root + real etcd', 'off', () =>
      Promise.resolve(runAudit({ ...fromSnapshot, config: config(false) })),
    ),
    await measure('kubeadm 1.34 fake root + real etcd', 'on', () =>
      runAuditWithProbes({ ...fromSnapshot, config: config(true) }),
    ),
    await measure('real /proc + real etcd', 'off', () =>
      Promise.resolve(runAudit({ root: '/', proc: '/proc', config: config(false) })),
    ),
    await measure('real /proc + real etcd', 'on', () =>
      runAuditWithProbes({ root: '/', proc: '/proc', config: config(true) }),
    ),
  ];
  if (process.env.SHOW_EVIDENCE) {
    const report = await runAuditWithProbes({ ...fromSnapshot, config: config(true) });
    for (const c of report.checks)
      for (const e of c.evidence.filter((x) => x.source === 'probe')) console.log(`${c.id} ${c.status}: ${e.detail}`);
    console.log(report.notes.join('\n'));
  }
  console.log(`node ${process.version}, etcd 3.4 on 127.0.0.1:${client}, ${runs} runs each (after one warm-up)\n`);
  console.log('| scenario | probes | median ms | p90 ms | probe evidence items |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.probes} | ${r.medianMs} | ${r.p90Ms} | ${r.probesRun} |`);
} finally {
  await etcd.stop();
  removeDir(work);
  removeDir(pki.dir);
}
