// A daemon auditing a slow input (large but valid static pod manifests, test/acceptance/run-cli.ts
// slowAuditFixture): /healthz latency while the audit runs, then the time from SIGTERM (sent
// mid-audit) to the process's exit.
//   npm run build && node dist/bench/daemon-slow-audit.js [command…]
// Without arguments it runs this build (node dist/src/cli.js); give another command to measure
// another build or the single executable, e.g. `out/scs-node-audit`. BENCH_MANIFESTS sets how
// many large manifests the root holds (default 2; a build that audits on the event loop needs
// about 10 s per manifest on a 2-vCPU machine).
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { slowAuditFixture } from '../test/support/cli.js';
import { spawnDaemonCommand } from '../test/server/spawn-daemon.js';

const command =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [process.execPath, fileURLToPath(new URL('../src/cli.js', import.meta.url))];
const POLL_SECONDS = 8;
const TIMEOUT_MS = 5_000;

function healthz(address: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const [host, port] = address.split(':');
    const started = performance.now();
    const outgoing = request({ host, port: Number(port), path: '/healthz', timeout: TIMEOUT_MS }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    });
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => resolve(undefined));
    outgoing.end();
  });
}

const { work, root } = slowAuditFixture(Number(process.env.BENCH_MANIFESTS ?? 2));
const config = path.join(work, 'config.yaml');
writeFileSync(config, 'interval: 1h\n');
try {
  const daemon = await spawnDaemonCommand([
    ...command,
    '--root',
    root,
    '--config',
    config,
    '--listen',
    '127.0.0.1:0',
    '--log.format',
    'json',
    '--no-probes',
  ]);
  const latencies: number[] = [];
  let unanswered = 0;
  const until = performance.now() + POLL_SECONDS * 1000;
  while (performance.now() < until && !daemon.lines.some((line) => line.msg === 'audit finished')) {
    const ms = await healthz(daemon.address);
    if (ms === undefined) unanswered += 1;
    else latencies.push(ms);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const finishedBeforeSigterm = daemon.lines.some((line) => line.msg === 'audit finished');
  const sent = performance.now();
  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  const sigtermMs = performance.now() - sent;
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies.length === 0
      ? null
      : Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]! * 10) / 10;
  console.log(
    JSON.stringify(
      {
        command: command.join(' '),
        healthz_requests: latencies.length + unanswered,
        healthz_unanswered_within_5s: unanswered,
        healthz_ms: { median: at(50), p99: at(99), max: at(100) },
        audit_finished_before_sigterm: finishedBeforeSigterm,
        sigterm_to_exit_ms: Math.round(sigtermMs),
        exit,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
