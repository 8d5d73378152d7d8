// Process scan at scale: CPU of collectHost on this host's real /proc with N extra sleeping
// processes (default 10,000), against `ps -eo pid,args` run interleaved on the same process table,
// and the cost per process of each (the slope between the table without and with the sleepers).
//   npm run build && node dist/bench/scan.js [sleepers] [rounds]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { collectForAudit } from '../src/audit.js';
import { cpuMs, interleave, printTable, row, compare, showSpread, sleep, spread } from './ratio.js';

const sleepers = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 11);

const processCount = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
const ours = () => {
  const start = process.cpuUsage();
  collectForAudit({ root: '/' });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const ps = () => cpuMs('ps', ['-eo', 'pid,args']);

async function measure(): Promise<{ processes: number; runs: Awaited<ReturnType<typeof interleave>> }> {
  ours(); // warm-up: module loading and JIT are not the scan
  const processes = processCount();
  return { processes, runs: await interleave(rounds, ps, ours) };
}

const without = await measure();
// One shell starts the sleepers in its own process group, so that one kill ends them all.
const group = spawn('bash', ['-c', `for i in $(seq ${sleepers}); do sleep 3600 & done; echo started; wait`], {
  detached: true,
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  await new Promise((resolve) => group.stdout.once('data', resolve));
  await sleep(1_000);
  const withSleepers = await measure();
  const added = withSleepers.processes - without.processes;
  const perProcessUs = (a: number[], b: number[]) => ((spread(b).median - spread(a).median) * 1000) / added;
  console.log(
    `node ${process.version}; ${without.processes} processes, then ${withSleepers.processes}; ${rounds} interleaved rounds each`,
  );
  printTable([
    row(compare(`collectHost CPU, ${without.processes} processes`, '`ps -eo pid,args`', without.runs, '—'), ' ms', 1),
    row(
      compare(`collectHost CPU, ${withSleepers.processes} processes`, '`ps -eo pid,args`', withSleepers.runs, '≤ 1.0×'),
      ' ms',
      1,
    ),
  ]);
  console.log(
    `per process (slope of the medians): ours ${perProcessUs(without.runs.subject, withSleepers.runs.subject).toFixed(1)} µs, ps ${perProcessUs(without.runs.base, withSleepers.runs.base).toFixed(1)} µs (target ≤ 60 µs)`,
  );
  console.log(`ours alone at ${withSleepers.processes}: ${showSpread(spread(withSleepers.runs.subject), 1, ' ms')}`);
} finally {
  process.kill(-group.pid!, 'SIGTERM');
}
