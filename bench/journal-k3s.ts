// How long reading the k3s command lines from a long journal takes: a system.journal written by
// systemd-journal-remote with ≥ 100,000 entries of other units, in which k3s started and kept
// logging. The target (issue 8) is ≤ 50 ms; journalctl | grep, kube-bench's way, is timed beside it.
// Run: npm run build && node dist/bench/journal-k3s.js [runs] [other-entries]
// JOURNAL_BENCH_DIR=/some/dir keeps the generated root there and reuses it on the next run
// (writing the journal takes systemd-journal-remote about half a minute).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readK3sCommandLines } from '../src/collect/journal/index.js';
import { logrusLine, serviceFields, writeJournal, type ExportEntry } from '../scripts/journal-fixture.js';
import {
  apiserverArgs,
  CLOUD_CONTROLLER_MANAGER_ARGS,
  CONTROLLER_MANAGER_ARGS,
  kubeletArgs,
  PROXY_ARGS,
  SCHEDULER_ARGS,
} from '../test/collect/journal/k3s-host.js';

const runs = Number(process.argv[2] ?? 15);
const others = Number(process.argv[3] ?? 100_000);
const MACHINE_ID = '5f2c4b1a9e8d4c7b8a6f5e4d3c2b1a09';
const BOOT_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const K3S_PID = 1207;
const T0 = 1_760_000_000_000_000;

function* entries(): Generator<ExportEntry> {
  let n = 0;
  const at = (fields: Array<[string, string]>): ExportEntry => {
    n += 1;
    return { realtime: T0 + n * 1000, monotonic: n * 1000, bootId: BOOT_ID, fields };
  };
  const units = [
    'containerd.service',
    'cron.service',
    'systemd-networkd.service',
    'sshd.service',
    'kubepods-burstable.slice',
  ];
  const other = (i: number): ExportEntry => {
    const unit = units[i % units.length] ?? 'cron.service';
    return at(
      serviceFields(
        unit,
        300 + (i % 50),
        unit.split('.')[0] ?? 'x',
        `${unit} line ${i}: something happened at step ${i * 7}`,
      ),
    );
  };
  const k3s = (msg: string): ExportEntry => {
    const entry = at([]);
    entry.fields = serviceFields(
      'k3s.service',
      K3S_PID,
      'k3s',
      logrusLine(entry.realtime, msg),
      '3f6a0c2d9b8e4f71a5c4d3e2f1a0b9c8',
    );
    return entry;
  };
  // A third of the other entries before k3s starts, the rest after, with k3s chatter among them
  // (one k3s line per 10 others: a long-running k3s logs a lot itself).
  const before = Math.floor(others / 3);
  for (let i = 0; i < before; i++) yield other(i);
  yield k3s('Starting k3s v1.33.4+k3s1 (8f3b2a1c)');
  yield k3s(`Running kube-apiserver ${apiserverArgs(false).join(' ')}`);
  yield k3s(`Running kube-scheduler ${SCHEDULER_ARGS.join(' ')}`);
  yield k3s(`Running kube-controller-manager ${CONTROLLER_MANAGER_ARGS.join(' ')}`);
  yield k3s(`Running cloud-controller-manager ${CLOUD_CONTROLLER_MANAGER_ARGS.join(' ')}`);
  for (let i = before; i < others; i++) {
    yield other(i);
    if (i === before + 500) yield k3s(`Running kubelet ${kubeletArgs(false).join(' ')}`);
    if (i === before + 600) yield k3s(`Running kube-proxy ${PROXY_ARGS.join(' ')}`);
    if (i % 10 === 0)
      yield k3s(
        `I1020 10:21:37.000000 ${K3S_PID} controller.go:${i}] "Observed a change" key="kube-system/coredns-${i}"`,
      );
  }
}

const kept = process.env.JOURNAL_BENCH_DIR;
const base = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scs-journal-bench-'));
try {
  const root = path.join(base, 'root');
  const dir = path.join(root, 'var/log/journal', MACHINE_ID);
  const file = path.join(dir, 'system.journal');
  let written = performance.now();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/machine-id'), `${MACHINE_ID}\n`);
    writeJournal(file, entries());
  }
  written = performance.now() - written;
  const files = fs.readdirSync(dir);
  const header = execFileSync('journalctl', ['--file', file, '--header'], { encoding: 'utf8' });
  const entryCount = /Entry objects: (\d+)/.exec(header)?.[1];
  const flags = /Incompatible flags: (.*)/.exec(header)?.[1];
  console.log(
    `journal: ${files.join(', ')}; ${entryCount ?? 'unknown'} entries, ${(fs.statSync(file).size / 1048576).toFixed(1)} MiB, flags ${flags ?? 'unknown'}; written by systemd-journal-remote in ${(written / 1000).toFixed(1)} s`,
  );

  // Wall time, and this process's CPU time (user + system) beside it: on a shared machine the
  // wall time of a few milliseconds of work is mostly waiting for a core.
  const time = (label: string, fn: () => unknown): void => {
    const once = (): { wall: number; cpu: number } => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      fn();
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      return { wall, cpu: (used.user + used.system) / 1000 };
    };
    // The first call of a fresh process (code not yet optimised) is what a one-shot audit pays.
    const cold = once();
    const ms = (v: number | undefined) => `${(v ?? NaN).toFixed(2)} ms`;
    console.log(`${label}: first call ${ms(cold.wall)} wall, ${ms(cold.cpu)} CPU`);
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { wall, cpu } = once();
      walls.push(wall);
      cpus.push(cpu);
    }
    for (const [what, times] of [
      ['wall', walls],
      ['CPU', cpus],
    ] as const) {
      times.sort((a, b) => a - b);
      console.log(
        `  ${what}: min ${ms(times[0])}, median ${ms(times[Math.floor(times.length / 2)])}, max ${ms(times[times.length - 1])} over ${runs} runs`,
      );
    }
  };
  const opts = { root, proc: path.join(root, 'proc'), units: ['k3s.service', 'k3s-agent.service'], bootId: BOOT_ID };
  time('readK3sCommandLines, pid given', () => readK3sCommandLines({ ...opts, pid: K3S_PID }));
  const check = readK3sCommandLines({ ...opts, pid: K3S_PID });
  console.log(
    `found: ${Object.keys(check.commandLines).join(', ')}; version ${check.version ?? 'none'}; notes: ${JSON.stringify(check.notes)}`,
  );
  time('readK3sCommandLines, pid inferred', () => readK3sCommandLines(opts));
  time('journalctl --file … _SYSTEMD_UNIT=k3s.service _PID=… -o cat (child process, for comparison)', () =>
    execFileSync('journalctl', ['--file', file, '-o', 'cat', '_SYSTEMD_UNIT=k3s.service', `_PID=${K3S_PID}`], {
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
} finally {
  if (kept === undefined) fs.rmSync(base, { recursive: true, force: true });
}
