// Daemon RSS while it audits a host: the real command line (`scs-node-audit` from source, or the
// single executable with --sea) on the kubeadm control-plane fixture, against a bare
// `node -e 'setInterval(()=>{},1e3)'` on the same runtime, both sampled at the same moments.
// Each audit is triggered by SIGHUP (a reload audits at once; the CLI's 5 s minimum interval would
// make 1,000 audits take 83 minutes) and followed by 5 /metrics scrapes, as an audit every 5 s
// with a scrape every second would be. Flat means: the largest RSS of the last 100 audits is at
// most 5 % above the largest of the first 100.
//   npm run build && node dist/bench/daemon-rss.js [audits] [--sea | --sea=PATH] [-- NODE_OPTIONS words]
// e.g. node dist/bench/daemon-rss.js 1000 -- --max-semi-space-size=1 to try a V8 setting from source.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { spawnCliDaemon, spawnDaemonCommand } from '../test/server/spawn-daemon.js';
import { residentKib, schedCounters, sleep, showSpread, smapsRollupKib, spread } from './ratio.js';

const [countArg, ...rest] = process.argv.slice(2);
const audits = Number(countArg ?? 1000);
// --sea runs out/scs-node-audit; --sea=PATH another build (packaging/build.sh --sea-only PATH).
const seaArg = rest.find((word) => word === '--sea' || word.startsWith('--sea='));
const sea = seaArg !== undefined;
// Words after `--`: node's own flags for a run from source (V8 flags such as
// --disable-optimizing-compilers are refused in NODE_OPTIONS), NODE_OPTIONS for the executable.
const flags = rest.includes('--') ? rest.slice(rest.indexOf('--') + 1) : [];
const nodeOptions = flags.join(' ');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = `${repo}test/fixtures/hosts/kubeadm-1.34-control-plane`;
const SCRAPES_PER_AUDIT = 5;

const env = nodeOptions === '' || !sea ? {} : { NODE_OPTIONS: nodeOptions };
// The baseline is always the plain runtime, without the settings tried on the daemon.
const bare = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e3)'], { stdio: 'ignore' });
const args = [
  '--root',
  fixture,
  '--config',
  `${fixture}/audit-config.yaml`,
  '--listen',
  '127.0.0.1:0',
  '--log.format',
  'json',
  '--log.level',
  'debug',
];
const daemon = sea
  ? await spawnCliDaemon(args, env, seaArg === '--sea' ? `${repo}out/scs-node-audit` : seaArg.slice('--sea='.length))
  : await spawnDaemonCommand([process.execPath, ...flags, `${repo}dist/src/cli.js`, ...args]);
const pid = daemon.child.pid!;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const scrape = () =>
  new Promise<void>((resolve, reject) => {
    get(
      { host: daemon.address.split(':')[0], port: Number(daemon.address.split(':')[1]), path: '/metrics', agent },
      (response) => {
        response.resume();
        response.on('end', resolve);
      },
    ).on('error', reject);
  });

try {
  await daemon.waitForLine((line) => line.msg === 'audit finished');
  await scrape();
  await sleep(2_000);
  const idle = { daemon: residentKib(pid), bare: residentKib(bare.pid!) };

  const rss: number[] = [];
  const ratios: number[] = [];
  const auditMs: number[] = [];
  const cpuBefore = schedCounters(pid).cpuNs;
  for (let run = 1; run <= audits; run += 1) {
    const mark = daemon.lines.length;
    daemon.child.kill('SIGHUP');
    const finished = await daemon.waitForLine((line) => line.msg === 'audit finished', 20_000, mark);
    auditMs.push(Number(finished.duration_ms));
    for (let i = 0; i < SCRAPES_PER_AUDIT; i += 1) await scrape();
    daemon.lines.length = 0; // keep the parent's own memory flat
    const kib = residentKib(pid);
    rss.push(kib);
    ratios.push(kib / residentKib(bare.pid!));
  }
  // CPU of all the daemon's threads (the audit workers' too) per audit and its 5 scrapes.
  const cpuMsPerAudit = (schedCounters(pid).cpuNs - cpuBefore) / 1e6 / audits;
  const window = Math.min(100, Math.floor(audits / 2));
  const firstMax = Math.max(...rss.slice(0, window));
  const lastMax = Math.max(...rss.slice(-window));
  const mib = (kib: number) => kib / 1024;
  console.log(
    `node ${process.version}${sea ? `, single executable ${seaArg}` : ', from source'}${nodeOptions ? `, ${sea ? 'NODE_OPTIONS=' : 'node '}${nodeOptions}` : ''}; ${audits} audits of the kubeadm fixture, ${SCRAPES_PER_AUDIT} scrapes each`,
  );
  console.log(
    `idle after the first audit: daemon ${mib(idle.daemon).toFixed(1)} MiB, bare node ${mib(idle.bare).toFixed(1)} MiB (${(idle.daemon / idle.bare).toFixed(2)}×)`,
  );
  console.log(
    `RSS over the audits: ${showSpread(spread(rss.map(mib)), 1, ' MiB')}; ratio to bare node sampled at the same moment: ${showSpread(spread(ratios), 2, '×')} (target ≤ 1.4×)`,
  );
  console.log(
    `flat: max of the last ${window} audits ${mib(lastMax).toFixed(1)} MiB vs first ${window} ${mib(firstMax).toFixed(1)} MiB: ${((lastMax / firstMax - 1) * 100).toFixed(1)} % (target ≤ +5 %)`,
  );
  console.log(
    `CPU per audit with its scrapes: ${cpuMsPerAudit.toFixed(1)} ms; audit duration (worker start to report): ${showSpread(spread(auditMs), 1, ' ms')}`,
  );
  const rollup = smapsRollupKib(pid);
  const bareRollup = smapsRollupKib(bare.pid!);
  console.log(
    `at the end: daemon anonymous ${mib(rollup.anonymous).toFixed(1)} MiB + file-backed ${mib(rollup.file).toFixed(1)} MiB; bare node ${mib(bareRollup.anonymous).toFixed(1)} + ${mib(bareRollup.file).toFixed(1)} MiB`,
  );
  console.log(
    `RSS MiB every ${Math.max(1, Math.floor(audits / 20))} audits: ${rss
      .filter((_, i) => (i + 1) % Math.max(1, Math.floor(audits / 20)) === 0)
      .map((kib) => mib(kib).toFixed(1))
      .join(' ')}`,
  );
} finally {
  agent.destroy();
  bare.kill();
  daemon.child.kill('SIGTERM');
  await daemon.exited;
}
