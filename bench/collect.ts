// Why collect reads /proc itself: the same job done by ps-list and systeminformation, timed
// on this machine, with the child processes each approach spawns.
// Run: npm run build && node dist/bench/collect.js [runs]
import { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import psList from 'ps-list';
import si from 'systeminformation';
import { collectForAudit } from '../src/audit.js';
import { listPids, parseCmdline, readProcBytes, type ProcTree } from '../src/collect/proc.js';

const runs = Number(process.argv[2] ?? 15);
let spawned = 0;
// `spawn` is an undocumented method of ChildProcess through which every child_process API goes,
// so counting its calls counts every child a library starts.
type Spawnable = { spawn: (...args: unknown[]) => unknown };
const prototype = ChildProcess.prototype as unknown as Spawnable;
const originalSpawn = prototype.spawn;
prototype.spawn = function (this: unknown, ...args: unknown[]) {
  spawned++;
  return originalSpawn.apply(this, args);
};

interface Row {
  method: string;
  medianMs: number;
  p90Ms: number;
  childrenPerCall: number;
  argvBoundaries: string;
}

async function measure(method: string, argvBoundaries: string, fn: () => unknown, pauseMs = 0): Promise<Row> {
  await fn(); // warm-up: module loading and JIT are not what we compare
  const times: number[] = [];
  spawned = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
    // systeminformation caches process lists for 500 ms; pause so every call does the work.
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2));
  return { method, medianMs: at(0.5), p90Ms: at(0.9), childrenPerCall: spawned / runs, argvBoundaries };
}

// The like-for-like part of collect: every process's exact argv, as psList() and si.processes() give.
const tree: ProcTree = { dir: '/proc', real: true };
const readAllArgv = () =>
  listPids(tree).flatMap((pid) => {
    const bytes = readProcBytes(tree, `${pid}/cmdline`, 1 << 20);
    return bytes.ok && bytes.value ? [parseCmdline(bytes.value).argv] : [];
  });

const processCount = collectForAudit({ root: '/' }).notes.join(' ');
const rows = [
  await measure('our process scan alone (every /proc/<pid>/cmdline, exact argv)', 'kept', readAllArgv),
  await measure('collectHost (our /proc reader: processes, files, sockets, addresses)', 'kept', () =>
    collectForAudit({ root: '/' }),
  ),
  await measure('ps-list 9 psList()', 'lost (space-joined cmd)', () => psList()),
  await measure('systeminformation processes()', 'lost (space-joined params)', () => si.processes(), 600),
  await measure('systeminformation networkConnections()', 'n/a', () => si.networkConnections(), 600),
];
console.log(`node ${process.version}, ${runs} runs each; host: ${processCount}`);
console.table(rows);
console.log(`RSS after the benchmark: ${(process.memoryUsage().rss / 2 ** 20).toFixed(1)} MiB`);
