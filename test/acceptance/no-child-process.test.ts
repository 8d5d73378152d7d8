// Acceptance (issue 2 "Done when": the audit path starts no child process). test/collect/real-proc
// checks the imports of src/collect|resolve|checks|report statically; this proves it at run time:
// 1. in-process: child_process (spawn, spawnSync, exec, execSync, execFile, execFileSync, fork),
//    worker_threads.Worker and cluster.fork are wrapped (syncBuiltinESMExports makes the ESM
//    named imports see the wrappers), then full audits run — a fixture root, and the real /proc
//    with live probes against a real etcd (TLS, client-cert auth, the auth probe) and a process
//    that looks like a kubelet — and every renderer; zero calls;
// 2. at the OS level: the compiled CLI under `strace -f` makes exactly one execve (its own) and
//    no fork (a clone without CLONE_THREAD), on the same host.
import assert from 'node:assert/strict';
import childProcess from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import workerThreads from 'node:worker_threads';
import { runAuditWithProbes } from '../../src/audit-probes.js';
import { mergeFlags, parseConfig } from '../../src/config.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderText } from '../../src/report/text.js';
import type { Report } from '../../src/report/types.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { startFakeComponent, type FakeComponent } from '../probes/fake-component.js';
import {
  createTestPki,
  etcdUnavailable,
  exclusiveHost,
  freePort,
  removeDir,
  startEtcd,
  credentialsOf,
  type RunningEtcd,
  type TestPki,
} from '../support/etcd.js';
import { repoRoot } from '../support/paths.js';
import { FIXTURE_HOSTS } from '../support/cli.js';

type Wrapped = { module: Record<string, unknown>; name: string; original: unknown };

/** Wrap every way to start a process or a thread of JavaScript; calls are recorded, then passed on. */
function instrument(calls: string[]): () => void {
  const targets: [Record<string, unknown>, string, string][] = [
    ...['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'].map(
      (name) =>
        [childProcess as unknown as Record<string, unknown>, name, `child_process.${name}`] as [
          Record<string, unknown>,
          string,
          string,
        ],
    ),
    [workerThreads, 'Worker', 'worker_threads.Worker'],
    [cluster as unknown as Record<string, unknown>, 'fork', 'cluster.fork'],
  ];
  const wrapped: Wrapped[] = [];
  for (const [module, name, label] of targets) {
    const original = module[name] as (...args: unknown[]) => unknown;
    // A Proxy keeps `new Worker(...)` working while counting it.
    module[name] = new Proxy(original, {
      apply(target, self, args) {
        calls.push(label);
        return Reflect.apply(target, self, args);
      },
      construct(target, args, newTarget) {
        calls.push(label);
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    wrapped.push({ module, name, original });
  }
  syncBuiltinESMExports();
  return () => {
    for (const w of wrapped) w.module[w.name] = w.original;
    syncBuiltinESMExports();
  };
}

function configWith(text: string, origin: string, noProbes: boolean) {
  return {
    ...mergeFlags(parseConfig(text, origin), noProbes ? { 'no-probes': true } : {}, repoRoot),
    releaseTable: BUNDLED_RELEASES,
  };
}

async function renderAll(report: Report): Promise<void> {
  renderText(report, { color: true });
  renderText(report, { color: false });
  renderJson(report);
  renderJunit(report);
  await renderPrometheus(report);
}

describe('the audit path starts no child process (runtime)', () => {
  it('the instrumentation itself sees a spawn and a Worker made through the ESM named imports', async () => {
    const calls: string[] = [];
    const restore = instrument(calls);
    try {
      const { execFileSync } = await import('node:child_process');
      execFileSync(process.execPath, ['-e', '0']);
      const { Worker } = await import('node:worker_threads');
      const worker = new Worker('0', { eval: true });
      await worker.terminate();
    } finally {
      restore();
    }
    assert.deepEqual(calls, ['child_process.execFileSync', 'worker_threads.Worker']);
  });

  it('a full audit of a fixture root, with probes enabled, and every renderer: zero calls', async () => {
    const dir = path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane');
    const calls: string[] = [];
    const restore = instrument(calls);
    let report: Report;
    try {
      report = await runAuditWithProbes({
        root: dir,
        config: configWith(readFileSync(path.join(dir, 'audit-config.yaml'), 'utf8'), 'audit-config.yaml', false),
      });
      await renderAll(report);
    } finally {
      restore();
    }
    assert.deepEqual(calls, []);
    assert.ok(report.components.length >= 5, 'the fixture was audited');
  });

  it(
    'the real /proc with live probes against a real etcd and a kubelet-like process: zero calls',
    { skip: etcdUnavailable(), timeout: 120_000 },
    async () => {
      let pki: TestPki | undefined;
      const work = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-nochild-'));
      const started: (RunningEtcd | FakeComponent)[] = [];
      const stopAll = async () => {
        for (const p of started.splice(0)) await p.stop();
      };
      after(() => {
        removeDir(work);
        if (pki) removeDir(pki.dir);
      });
      await exclusiveHost(async () => {
        pki = createTestPki();
        const [client, peer, kubeletPort] = [await freePort(), await freePort(), await freePort()];
        started.push(
          await startEtcd(work, 'nochild', {
            args: [
              '--name=nochild',
              `--data-dir=${path.join(work, 'nochild.data')}`,
              `--listen-client-urls=https://127.0.0.1:${client}`,
              `--advertise-client-urls=https://127.0.0.1:${client}`,
              `--listen-peer-urls=https://127.0.0.1:${peer}`,
              `--initial-advertise-peer-urls=https://127.0.0.1:${peer}`,
              `--initial-cluster=nochild=https://127.0.0.1:${peer}`,
              `--cert-file=${pki.memberCert}`,
              `--key-file=${pki.memberKey}`,
              `--peer-cert-file=${pki.memberCert}`,
              `--peer-key-file=${pki.memberKey}`,
              `--trusted-ca-file=${pki.caFile}`,
              `--peer-trusted-ca-file=${pki.caFile}`,
              '--client-cert-auth',
              '--peer-client-cert-auth',
            ],
            clientUrl: `https://127.0.0.1:${client}`,
            credentials: credentialsOf(pki, 'root'),
          }),
        );
        started.push(
          await startFakeComponent(
            'kubelet',
            ['--anonymous-auth=false', '--authorization-mode=Webhook', `--port=${kubeletPort}`, '--read-only-port=0'],
            [{ host: '0.0.0.0', port: kubeletPort, mode: 'https', statuses: { '/pods': 401 } }],
            pki,
          ),
        );
        const config = configWith(
          JSON.stringify({ probes: { etcd: { certFile: pki.probeCert, keyFile: pki.probeKey, caFile: pki.caFile } } }),
          'inline',
          false,
        );

        const calls: string[] = [];
        const restore = instrument(calls);
        let report: Report;
        try {
          report = await runAuditWithProbes({ root: '/', config });
          await renderAll(report);
        } finally {
          restore();
        }
        assert.deepEqual(calls, []);
        // The probes really ran: each of these checks carries probe evidence.
        for (const id of ['etcd-client-cert-auth', 'etcd-auth-enabled', 'kubelet-anonymous-auth', 'endpoints-https']) {
          const check = report.checks.find((c) => c.id === id)!;
          assert.ok(
            check.evidence.some((e) => e.source === 'probe'),
            `${id} has no probe evidence: ${check.status} ${check.message}`,
          );
        }
      }, stopAll);
    },
  );

  it(
    'the compiled CLI under strace -f: one execve (its own) and no fork, on a fixture and on the real /proc',
    { skip: strace() },
    () => {
      const cli = path.join(repoRoot, 'dist', 'src', 'cli.js');
      const dir = path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane');
      const work = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-strace-'));
      after(() => removeDir(work));
      for (const [name, args] of [
        ['fixture', ['--root', dir, '--config', path.join(dir, 'audit-config.yaml')]],
        ['real', ['--config', '/dev/null']],
      ] as const) {
        const trace = path.join(work, `${name}.trace`);
        const run = childProcess.spawnSync(
          'strace',
          [
            '-f',
            '-qq',
            '-e',
            'trace=execve,execveat,fork,vfork,clone,clone3',
            '-o',
            trace,
            process.execPath,
            cli,
            '--once',
            '--format',
            'json',
            ...args,
          ],
          { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
        );
        assert.ok(run.status === 0 || run.status === 1, `${name}: exit ${run.status}: ${run.stderr}`);
        const lines = readFileSync(trace, 'utf8')
          .split('\n')
          .filter((l) => /\b(execve|execveat|fork|vfork|clone3?)\(/.test(l));
        const execs = lines.filter((l) => /\bexecve(at)?\(/.test(l));
        const forks = lines.filter(
          (l) => /\b(fork|vfork)\(/.test(l) || (/\bclone3?\(/.test(l) && !l.includes('CLONE_THREAD')),
        );
        assert.equal(execs.length, 1, `${name}: ${execs.join('\n')}`);
        assert.deepEqual(forks, [], name);
      }
    },
  );
});

/** Why the strace test cannot run here, or undefined. It traces the compiled CLI (tsx itself spawns esbuild). */
function strace(): string | undefined {
  if (!existsSync('/usr/bin/strace')) return 'strace is not installed';
  if (!import.meta.url.includes('/dist/'))
    return 'runs from dist/test/ only: under tsx the loader starts esbuild, a child process of its own';
  if (!existsSync(path.join(repoRoot, 'dist', 'src', 'cli.js'))) return 'no dist/src/cli.js (run tsc first)';
  const probe = childProcess.spawnSync('strace', ['-qq', '-e', 'trace=none', 'true']);
  return probe.status === 0 ? undefined : `strace cannot trace here: ${String(probe.stderr).trim()}`;
}
