// /metrics latency under a short loopback load: the daemon is one process (report-file-daemon),
// this script is the second one, scraping over keep-alive connections with fixed concurrency.
//   npm run build && node dist/bench/daemon-metrics-latency.js [requests] [concurrency]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnDaemon } from '../test/server/spawn-daemon.js';
import { benchReport, residentKib } from './daemon-fixture.js';

const requests = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'scs-bench-latency-'));
const reportFile = join(dir, 'report.json');
const settingsFile = join(dir, 'settings.json');
writeFileSync(reportFile, JSON.stringify(benchReport(1)));
writeFileSync(settingsFile, JSON.stringify({ intervalSeconds: 3600 }));

const daemon = await spawnDaemon([reportFile, settingsFile]);
const [host, port] = daemon.address.split(':');
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function scrape(): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get({ host, port: Number(port), path: '/metrics', agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        response.statusCode === 200
          ? resolve({ ms: performance.now() - started, bytes })
          : reject(new Error(`status ${response.statusCode ?? 'none'}`)),
      );
    }).on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

try {
  await daemon.waitForLine((line) => line.msg === 'audit finished');
  for (let i = 0; i < 200; i += 1) await scrape(); // warm-up (JIT, connections)
  const latencies: number[] = [];
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const result = await scrape();
        latencies.push(result.ms);
        bytes = result.bytes;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        requests,
        concurrency,
        responseBytes: bytes,
        medianMs: +percentile(latencies, 50).toFixed(2),
        p99Ms: +percentile(latencies, 99).toFixed(2),
        maxMs: +latencies.at(-1)!.toFixed(2),
        requestsPerSecond: Math.round(requests / elapsedS),
        daemonRssAfterLoadMiB: +(residentKib(daemon.child.pid!) / 1024).toFixed(1),
      },
      null,
      2,
    ),
  );
} finally {
  agent.destroy();
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  rmSync(dir, { recursive: true, force: true });
}
