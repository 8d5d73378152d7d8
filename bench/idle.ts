// Idle cost of the daemon between audits and scrapes: how often its threads run (voluntary +
// involuntary context switches, /proc/<pid>/task/*/status) and for how long (/proc/<pid>/task/*/schedstat),
// against a bare `node -e 'setInterval(()=>{},1e3)'` (one wake-up a second) measured over the same windows.
// The daemon audits the kubeadm fixture once at start; its interval (1 h) does not fall in a window.
//   npm run build && node dist/bench/idle.js [windows] [seconds per window] [--sea]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnCliDaemon } from '../test/server/spawn-daemon.js';
import { schedCounters, showSpread, sleep, spread } from './ratio.js';

const [windowsArg, secondsArg, ...rest] = process.argv.slice(2);
const windows = Number(windowsArg ?? 10);
const seconds = Number(secondsArg ?? 10);
const sea = rest.includes('--sea');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = `${repo}test/fixtures/hosts/kubeadm-1.34-control-plane`;

const bare = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e3)'], { stdio: 'ignore' });
const args = [
  '--root',
  fixture,
  '--config',
  `${fixture}/audit-config.yaml`,
  '--interval',
  '1h',
  '--listen',
  '127.0.0.1:0',
  '--log.format',
  'json',
];
const daemon = await spawnCliDaemon(args, {}, sea ? `${repo}out/scs-node-audit` : undefined);
try {
  await daemon.waitForLine((line) => line.msg === 'audit finished');
  await fetch(`http://${daemon.address}/metrics`).then((response) => response.text());
  await sleep(2_000); // let the first audit's garbage collection settle
  const wakeups = { daemon: [] as number[], bare: [] as number[] };
  const cpuMsPerS = { daemon: [] as number[], bare: [] as number[] };
  for (let window = 0; window < windows; window += 1) {
    const before = { daemon: schedCounters(daemon.child.pid!), bare: schedCounters(bare.pid!) };
    await sleep(seconds * 1000);
    const after = { daemon: schedCounters(daemon.child.pid!), bare: schedCounters(bare.pid!) };
    for (const who of ['daemon', 'bare'] as const) {
      wakeups[who].push((after[who].switches - before[who].switches) / seconds);
      cpuMsPerS[who].push((after[who].cpuNs - before[who].cpuNs) / 1e6 / seconds);
    }
  }
  console.log(
    `node ${process.version}${sea ? ', single executable' : ', from source'}; ${windows} windows of ${seconds} s`,
  );
  console.log(`| figure | daemon | bare node (setInterval 1 s) |`);
  console.log(`|---|---|---|`);
  console.log(
    `| thread wake-ups per second | ${showSpread(spread(wakeups.daemon), 1)} | ${showSpread(spread(wakeups.bare), 1)} |`,
  );
  console.log(
    `| CPU ms per second | ${showSpread(spread(cpuMsPerS.daemon), 3)} | ${showSpread(spread(cpuMsPerS.bare), 3)} |`,
  );
  console.log(
    `ratio daemon / bare, wake-ups: ${showSpread(spread(wakeups.daemon.map((w, i) => w / wakeups.bare[i]!)), 2, '×')}; CPU: ${showSpread(spread(cpuMsPerS.daemon.map((c, i) => c / cpuMsPerS.bare[i]!)), 2, '×')}`,
  );
} finally {
  bare.kill();
  daemon.child.kill('SIGTERM');
  await daemon.exited;
}
