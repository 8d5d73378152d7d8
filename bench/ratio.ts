// Shared by the footprint benchmarks: a figure is a ratio against a baseline measured in the same
// invocation, interleaved run by run (baseline, subject, baseline, subject, …), so that the load
// of a shared machine falls on both. Absolute values are printed too, but only the ratios compare.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** `min–max (median m)` with `digits` decimals. */
export function showSpread({ min, median, max }: Spread, digits = 2, unit = ''): string {
  return `${min.toFixed(digits)}–${max.toFixed(digits)}${unit} (median ${median.toFixed(digits)}${unit})`;
}

export interface Comparison {
  figure: string;
  baseline: string;
  /** subject / baseline per round. */
  ratio: Spread;
  subject: Spread;
  base: Spread;
  target?: string;
}

/** Runs `baseline` and `subject` alternately `rounds` times; each returns one measurement. */
export async function interleave(
  rounds: number,
  baseline: () => Promise<number> | number,
  subject: () => Promise<number> | number,
): Promise<{ base: number[]; subject: number[]; ratios: number[] }> {
  const base: number[] = [];
  const measured: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Alternate who goes first, so neither always runs on a cache the other warmed.
    const [b, s] =
      round % 2 === 0
        ? [await baseline(), await subject()]
        : (([s2, b2]: [number, number]): [number, number] => [b2, s2])([await subject(), await baseline()]);
    base.push(b);
    measured.push(s);
    ratios.push(s / b);
  }
  return { base, subject: measured, ratios };
}

export function compare(
  figure: string,
  baseline: string,
  runs: { base: number[]; subject: number[]; ratios: number[] },
  target?: string,
): Comparison {
  return {
    figure,
    baseline,
    ratio: spread(runs.ratios),
    subject: spread(runs.subject),
    base: spread(runs.base),
    ...(target === undefined ? {} : { target }),
  };
}

/** One markdown table row: figure | ratio min–max (median) | absolute subject / baseline | target. */
export function row(c: Comparison, unit: string, digits = 1): string {
  return `| ${c.figure} | ${showSpread(c.ratio, 2, '×')} of ${c.baseline} | ${showSpread(c.subject, digits, unit)} vs ${showSpread(c.base, digits, unit)} | ${c.target ?? '—'} |`;
}

export function printTable(rows: string[]): void {
  console.log('| figure | ratio, min–max (median) | measured vs baseline | target |');
  console.log('|---|---|---|---|');
  for (const line of rows) console.log(line);
}

/** Wall time in ms of a program run to its end, output discarded; throws when it is killed. */
export function wallMs(command: string, args: readonly string[], okCodes: readonly number[] = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = performance.now() - start;
      if (code === null || !okCodes.includes(code))
        reject(new Error(`${command} ${args.join(' ')}: exit ${String(code ?? signal)}`));
      else resolve(ms);
    });
  });
}

/** CPU time (user + system) in ms of a program run to its end, from getrusage of the child. */
export function cpuMs(command: string, args: readonly string[], okCodes: readonly number[] = [0]): number {
  // `/usr/bin/time` would add its own process; bash's `times` reports the children's CPU.
  const result = spawnSync(
    'bash',
    ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bash', command, ...args],
    { encoding: 'utf8' },
  );
  if (result.status === null || !okCodes.includes(result.status))
    throw new Error(`${command} ${args.join(' ')}: exit ${String(result.status ?? result.signal)}: ${result.stderr}`);
  // `times` prints the shell's user/system, then its children's: "0m0.123s 0m0.045s".
  const children = result.stdout.trim().split('\n').at(-1)!.split(/\s+/);
  return children.reduce((sum, text) => {
    const match = /^(\d+)m([\d.]+)s$/.exec(text);
    if (match === null) throw new Error(`unexpected times output: ${result.stdout}`);
    return sum + (Number(match[1]) * 60 + Number(match[2])) * 1000;
  }, 0);
}

/** Peak RSS in KiB of a program run to its end (GNU time's %M, the child's ru_maxrss). */
export function peakRssKib(command: string, args: readonly string[], okCodes: readonly number[] = [0]): number {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status === null || !okCodes.includes(result.status))
    throw new Error(`${command} ${args.join(' ')}: exit ${String(result.status ?? result.signal)}: ${result.stderr}`);
  return Number(result.stderr.trim().split('\n').at(-1));
}

export function residentKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** Resident KiB of a process split into anonymous memory (heaps, stacks) and file-backed pages (the executable's code and data, libraries), from /proc/PID/smaps_rollup. */
export function smapsRollupKib(pid: number): { rss: number; anonymous: number; file: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? NaN);
  const rss = field('Rss');
  const anonymous = field('Anonymous');
  return { rss, anonymous, file: rss - anonymous };
}

/** Context switches (voluntary + involuntary) and CPU ns of all threads of a process: how often it ran, and for how long. */
export function schedCounters(pid: number): { switches: number; cpuNs: number } {
  let switches = 0;
  let cpuNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) switches += Number(match[1]);
      cpuNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between listing and reading did not run in the window.
    }
  }
  return { switches, cpuNs };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
