// Time and memory of one whole audit (collect → resolve → 28 checks → report) on every fixture
// host and on this machine's real /proc, without probes.
// Run: npm run build && node --expose-gc dist/bench/audit.js [runs]
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runAudit } from '../src/audit.js';
import { defaultConfig } from '../src/config.js';
import { repoRoot } from '../test/support/paths.js';

const runs = Number(process.argv[2] ?? 50);
const config = defaultConfig();
const hostsDir = path.join(repoRoot, 'test/fixtures/hosts');
const roots = [
  ...readdirSync(hostsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, root: path.join(hostsDir, d.name) })),
  { name: '(this machine, real /proc)', root: '/' },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const rows = roots.map(({ name, root }) => {
  runAudit({ root, config }); // warm-up: module loading and JIT are not what we measure
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    runAudit({ root, config });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    host: name,
    medianMs: +quantile(times, 0.5).toFixed(2),
    p90Ms: +quantile(times, 0.9).toFixed(2),
    maxMs: +times.at(-1)!.toFixed(2),
  };
});

globalThis.gc?.();
console.log(`node ${process.version}, ${runs} audits per host, no probes`);
console.table(rows);
console.log(
  `heap used after ${runs * roots.length} audits: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(1)} MiB`,
);
