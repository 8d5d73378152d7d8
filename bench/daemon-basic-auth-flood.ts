// Scrape latency of a daemon with basic auth (cost-10 bcrypt hash) while clients on loopback try
// wrong passwords: CLIENTS attackers, each sending guesses one after another for SECONDS, and one
// scraper with the right password every 500 ms. Also the daemon's CPU use over the flood.
//   npm run build && node dist/bench/daemon-basic-auth-flood.js [clients] [seconds] [daemon script]
// The daemon is test/server/report-file-daemon.js of this build unless another script is given
// (e.g. that file of another build, to compare).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { spawnDaemonCommand } from '../test/server/spawn-daemon.js';
import { benchReport } from './daemon-fixture.js';

const clients = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 20);
const script = process.argv[4] ?? fileURLToPath(new URL('../test/server/report-file-daemon.js', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'scs-bench-flood-'));
const files = { report: join(dir, 'report.json'), settings: join(dir, 'settings.json'), web: join(dir, 'web.yml') };
writeFileSync(files.report, JSON.stringify(benchReport(0)));
writeFileSync(files.settings, JSON.stringify({ intervalSeconds: 3600 }));
writeFileSync(files.web, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('scrape-secret', 10)}'\n`);
const basic = (password: string) => `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`;

function get(address: string, authorization: string, agent?: Agent): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const [host, port] = address.split(':');
    const started = performance.now();
    const outgoing = request(
      {
        host,
        port: Number(port),
        path: '/metrics',
        headers: { authorization },
        timeout: 30_000,
        ...(agent && { agent }),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy());
    outgoing.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    outgoing.end();
  });
}

const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
};

const daemon = await spawnDaemonCommand([process.execPath, script, files.report, files.settings, files.web]);
try {
  await daemon.waitForLine((line) => line.msg === 'audit finished');
  const scraper = new Agent({ keepAlive: true, maxSockets: 1 });
  const idle = await get(daemon.address, basic('scrape-secret'), scraper); // the first, uncached check
  const statuses = new Map<number, number>();
  const until = performance.now() + seconds * 1000;
  const cpuBefore = cpuSeconds(daemon.child.pid!);
  let guess = 0;
  const attackers = Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      const { status } = await get(daemon.address, basic(`guess-${(guess += 1)}`));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  const scrapes: number[] = [];
  const failedScrapes: number[] = [];
  while (performance.now() < until) {
    const { status, ms } = await get(daemon.address, basic('scrape-secret'), scraper);
    if (status === 200) scrapes.push(ms);
    else failedScrapes.push(status);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await Promise.all(attackers);
  const cpu = (cpuSeconds(daemon.child.pid!) - cpuBefore) / seconds;
  scrapes.sort((a, b) => a - b);
  const at = (p: number) =>
    scrapes.length === 0
      ? null
      : Math.round(scrapes[Math.min(scrapes.length - 1, Math.ceil((p / 100) * scrapes.length) - 1)]! * 10) / 10;
  console.log(
    JSON.stringify(
      {
        daemon: script,
        attackers: clients,
        seconds,
        first_scrape_ms: Math.round(idle.ms),
        scrapes_ok: scrapes.length,
        scrapes_failed: failedScrapes,
        scrape_ms: { median: at(50), p90: at(90), max: at(100) },
        attacker_answers: Object.fromEntries(statuses),
        daemon_cpu_cores: Math.round(cpu * 100) / 100,
      },
      null,
      2,
    ),
  );
} finally {
  daemon.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
