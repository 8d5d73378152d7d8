// Shared by the daemon benchmarks: a realistic report (28 checks, as DESIGN §3) and a way to
// read a process's resident set size.
import { readFileSync } from 'node:fs';
import type { Status } from '../src/checks/types.js';
import { CHECKS } from '../src/checks/index.js';
import type { Report } from '../src/report/types.js';
import { sampleCheck, sampleReport } from '../test/support/sample-report.js';

/** Every check of the registry, in its order (DESIGN §3). */
const CHECK_IDS = CHECKS.map((check) => check.id);

/** Variant 0 and 1 differ in a few statuses, so alternating them exercises change logging. */
export function benchReport(variant: number): Report {
  const statuses: Status[] = ['pass', 'pass', 'pass', 'skip', 'unknown'];
  return sampleReport(
    CHECK_IDS.map((id, index) => {
      const flips = variant % 2 === 1 && index % 7 === 0;
      return sampleCheck(id, flips ? 'fail' : statuses[index % statuses.length]!, {
        level: index % 3 === 0 ? 'MUST' : 'SHOULD',
        evidence: [{ source: 'flag', detail: `--${id}=${'x'.repeat(40)}` }],
      });
    }),
  );
}

export function residentKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** Least-squares slope of y over x. */
export function slope(points: [number, number][]): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return numerator / denominator;
}
