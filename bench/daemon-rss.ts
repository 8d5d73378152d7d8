// Idle RSS of the daemon process, then RSS across 1,000 audits (each triggered by SIGHUP, as an
// operator's reload would, with a /metrics scrape after each), and the growth trend.
//   npm run build && node dist/bench/daemon-rss.js [audits]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDaemon } from '../test/server/spawn-daemon.js';
import { benchReport, residentKib, slope } from './daemon-fixture.js';

const audits = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'scs-bench-rss-'));
const reportFile = join(dir, 'report.json');
const settingsFile = join(dir, 'settings.json');
writeFileSync(reportFile, JSON.stringify(benchReport(0)));
writeFileSync(settingsFile, JSON.stringify({ intervalSeconds: 3600 }));

const daemon = await spawnDaemon([reportFile, settingsFile]);
const pid = daemon.child.pid!;
try {
  await daemon.waitForLine((line) => line.msg === 'audit finished');
  await fetch(`http://${daemon.address}/metrics`).then((response) => response.text());
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const idleKib = residentKib(pid);

  const samples: [number, number][] = [];
  for (let run = 1; run <= audits; run += 1) {
    writeFileSync(reportFile, JSON.stringify(benchReport(run)));
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    await daemon.waitForLine((line) => line.msg === 'audit finished', 10_000, mark);
    await fetch(`http://${daemon.address}/metrics`).then((response) => response.text());
    daemon.lines.length = 0; // keep the parent's own memory flat
    if (run % 50 === 0) samples.push([run, residentKib(pid)]);
  }
  const secondHalf = samples.filter(([run]) => run > audits / 2);
  console.log(
    JSON.stringify(
      {
        audits,
        idleRssMiB: +(idleKib / 1024).toFixed(1),
        rssAfterAuditsMiB: +(samples.at(-1)![1] / 1024).toFixed(1),
        rssMinMaxMiB: [+(Math.min(...samples.map(([, kib]) => kib)) / 1024).toFixed(1), +(Math.max(...samples.map(([, kib]) => kib)) / 1024).toFixed(1)],
        slopeKiBPer100AuditsSecondHalf: +(slope(secondHalf) * 100).toFixed(1),
      },
      null,
      2,
    ),
  );
  console.log(`RSS MiB every 50 audits: ${samples.map(([, kib]) => (kib / 1024).toFixed(1)).join(' ')}`);
} finally {
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  rmSync(dir, { recursive: true, force: true });
}
