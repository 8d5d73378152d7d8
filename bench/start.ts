// Start-up cost, as ratios against interleaved baselines (bench/ratio.ts):
//   `--once` wall time on this host (no Kubernetes here) and on the kubeadm control-plane fixture,
//   against `node -e 0` on the same runtime, from source and, when built, as the single executable;
//   the daemon's start to its first audit (/readyz 200) against `--once` on the same host;
//   `--once` CPU time against `node -e 0`'s, and peak RSS.
//   npm run build && node dist/bench/start.js [rounds]      (packaging/build.sh first for the SEA rows)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compare, cpuMs, interleave, peakRssKib, printTable, row, wallMs } from './ratio.js';

const rounds = Number(process.argv[2] ?? 11);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${repo}dist/src/cli.js`;
const sea = `${repo}out/scs-node-audit`;
/** The bundled run from source (scripts/bundle.sh, part of `npm run build`). */
const bundle = `${repo}dist/bundle/cli.js`;
const kubeadm = `${repo}test/fixtures/hosts/kubeadm-1.34-control-plane`;
const node = process.execPath;
// `--config /dev/null`: the defaults, whatever /etc/scs-node-audit holds on this machine.
const hostArgs = ['--once', '--config', '/dev/null', '--format', 'json'];
const kubeadmArgs = ['--once', '--root', kubeadm, '--config', `${kubeadm}/audit-config.yaml`, '--format', 'json'];
const verdicts = [0, 1]; // a failing check exits 1: still a complete run

const bareNode = () => wallMs(node, ['-e', '0']);

/** Spawn → the daemon's first `audit finished` line, after which /readyz answers 200 (checked, not timed). */
function daemonReadyMs(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      command,
      [...args, '--config', '/dev/null', '--listen', '127.0.0.1:0', '--log.format', 'json'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let address: string | undefined;
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as { msg?: string; address?: string };
      if (line.msg === 'listening') address = line.address;
      if (line.msg !== 'audit finished') return;
      const ms = performance.now() - start;
      if (address === undefined) {
        child.kill('SIGKILL');
        reject(new Error(`${command}: "audit finished" before a "listening" line with an address`));
        return;
      }
      void fetch(`http://${address}/readyz`)
        .then((response) => {
          if (response.status !== 200) throw new Error(`/readyz answered ${response.status} after the first audit`);
          child.kill('SIGTERM');
          resolve(ms);
        })
        .catch((error: unknown) => {
          child.kill('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
    child.on('error', reject);
  });
}

const rows: string[] = [];
const peakRows: string[] = [];
const cpuRows: string[] = [];
// CPU time (user + system, from the children's rusage) varies far less than wall time on a
// shared machine, where another build's load stretches every wall figure.
const addCpu = async (figure: string, command: string, args: readonly string[], target: string) => {
  const runs = await interleave(
    rounds,
    () => cpuMs(node, ['-e', '0']),
    () => cpuMs(command, args, verdicts),
  );
  cpuRows.push(row(compare(figure, '`node -e 0`', runs, target), ' ms CPU', 0));
};
const addPeak = async (figure: string, command: string, args: readonly string[]) => {
  const runs = await interleave(
    rounds,
    () => peakRssKib(node, ['-e', '0']) / 1024,
    () => peakRssKib(command, args, verdicts) / 1024,
  );
  peakRows.push(row(compare(figure, '`node -e 0`', runs), ' MiB', 1));
};
const add = async (
  figure: string,
  baseline: string,
  base: () => Promise<number>,
  subject: () => Promise<number>,
  target?: string,
) => {
  rows.push(row(compare(figure, baseline, await interleave(rounds, base, subject), target), ' ms', 0));
};

await wallMs(node, [cli, '--version']); // fill the compile cache once: every start after the first uses it
await add(
  '`--once`, host without Kubernetes, from source',
  '`node -e 0`',
  bareNode,
  () => wallMs(node, [cli, ...hostArgs], verdicts),
  '≤ 2×',
);
await add(
  '`--once`, kubeadm control-plane fixture, from source',
  '`node -e 0`',
  bareNode,
  () => wallMs(node, [cli, ...kubeadmArgs], verdicts),
  '≤ 2.5×',
);
await add(
  'daemon start → first audit (`/readyz` 200), from source',
  '`--once` on this host',
  () => wallMs(node, [cli, ...hostArgs], verdicts),
  () => daemonReadyMs(node, [cli]),
  '≤ 3×',
);
await wallMs(node, [bundle, '--version']); // its files into the page cache (it brings its own code cache)
await add(
  '`--once`, host without Kubernetes, bundled from source',
  '`node -e 0`',
  bareNode,
  () => wallMs(node, [bundle, ...hostArgs], verdicts),
  '≤ 2×',
);
await add(
  '`--once`, kubeadm control-plane fixture, bundled from source',
  '`node -e 0`',
  bareNode,
  () => wallMs(node, [bundle, ...kubeadmArgs], verdicts),
  '≤ 2.5×',
);
await add(
  'daemon start → first audit (`/readyz` 200), bundled from source',
  'bundled `--once` on this host',
  () => wallMs(node, [bundle, ...hostArgs], verdicts),
  () => daemonReadyMs(node, [bundle]),
  '≤ 3×',
);
if (existsSync(sea)) {
  await add(
    '`--once`, host without Kubernetes, SEA',
    '`node -e 0`',
    bareNode,
    () => wallMs(sea, hostArgs, verdicts),
    '≤ 2×',
  );
  await add(
    '`--once`, kubeadm control-plane fixture, SEA',
    '`node -e 0`',
    bareNode,
    () => wallMs(sea, kubeadmArgs, verdicts),
    '≤ 2.5×',
  );
  await add(
    'daemon start → first audit (`/readyz` 200), SEA',
    'SEA `--once` on this host',
    () => wallMs(sea, hostArgs, verdicts),
    () => daemonReadyMs(sea, []),
    '≤ 3×',
  );
  await addCpu('`--once` CPU time, host without Kubernetes, SEA', sea, hostArgs, '(≤ 2× wall)');
  await addCpu('`--once` CPU time, kubeadm control-plane fixture, SEA', sea, kubeadmArgs, '(≤ 2.5× wall)');
  await addPeak('`--once` peak RSS, host without Kubernetes, SEA', sea, hostArgs);
  await addPeak('`--once` peak RSS, kubeadm fixture, SEA', sea, kubeadmArgs);
} else {
  console.error(`${sea} not built (packaging/build.sh): no SEA rows`);
}
await addCpu('`--once` CPU time, host without Kubernetes, from source', node, [cli, ...hostArgs], '(≤ 2× wall)');
await addCpu(
  '`--once` CPU time, kubeadm control-plane fixture, from source',
  node,
  [cli, ...kubeadmArgs],
  '(≤ 2.5× wall)',
);
await addPeak('`--once` peak RSS, host without Kubernetes, from source', node, [cli, ...hostArgs]);
await addPeak('`--once` peak RSS, kubeadm fixture, from source', node, [cli, ...kubeadmArgs]);
console.log(`node ${process.version}, ${rounds} interleaved rounds`);
printTable([...rows, ...cpuRows, ...peakRows]);
