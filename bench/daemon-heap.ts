// Leak check without GC noise: the audit loop and server in this process, one audit and one
// real loopback /metrics scrape per iteration, V8 heap used after a forced full GC.
// (app.inject() is not used: light-my-request's inject itself retains memory on Node 20.)
//   npm run build && node --expose-gc dist/bench/daemon-heap.js [audits]
import { Agent, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/log.js';
import { createAuditLoop } from '../src/server/audit-loop.js';
import { buildServer } from '../src/server/index.js';
import { benchReport, slope } from './daemon-fixture.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const audits = Number(process.argv[2] ?? 6000);
let variant = 0;
const logger = createLogger({ level: 'debug', format: 'json', write: () => {} });
// A fresh object graph per audit, as a real audit builds one.
const loop = createAuditLoop({
  audit: () => structuredClone(benchReport((variant += 1))),
  config: {},
  intervalMs: 3_600_000,
  version: '0.1.0',
  logger,
});
const app = buildServer({ readState: () => loop.state(), logger });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as AddressInfo;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const scrape = () =>
  new Promise<void>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', agent }, (response) => {
      response.resume();
      response.on('end', resolve);
    }).on('error', reject);
  });

const samples: [number, number][] = [];
for (let run = 1; run <= audits; run += 1) {
  await loop.runNow();
  await scrape();
  if (run % 500 === 0) {
    gc();
    samples.push([run, process.memoryUsage().heapUsed]);
  }
}
const tail = samples.filter(([run]) => run > audits / 2);
console.log(
  `heap used after GC, MiB every 500 audits: ${samples.map(([, bytes]) => (bytes / 1048576).toFixed(2)).join(' ')}`,
);
console.log(`trend over the second half: ${(slope(tail) * 1000).toFixed(0)} bytes per 1,000 audits`);
agent.destroy();
loop.stop();
await app.close();
