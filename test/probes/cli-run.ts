// Runs the real command line (`scs-node-audit --once --format json`) against the real /proc, as an
// operator would, and returns the parsed report.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import type { Report, ReportCheck } from '../../src/report/types.js';

const fromSource = !import.meta.url.includes('/dist/');
const entry = fromSource
  ? ['--import', path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'), path.join(repoRoot, 'src', 'cli.ts')]
  : [path.join(repoRoot, 'dist', 'src', 'cli.js')];

export interface AuditRun {
  report: Report;
  exitCode: number | null;
  stderr: string;
  /** Wall time of the whole command, start-up included. */
  wallMs: number;
}

/** Write a config file for the run (YAML is a superset of JSON). */
export function writeConfig(file: string, config: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function auditOnce(args: string[]): AuditRun {
  const start = Date.now();
  const result = spawnSync(process.execPath, [...entry, '--once', '--format', 'json', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Date.now() - start;
  if (result.error) throw result.error;
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`scs-node-audit exited ${result.status} without a JSON report: ${result.stderr}`);
  }
  return { report, exitCode: result.status, stderr: result.stderr, wallMs };
}

export function checkOf(report: Report, id: string): ReportCheck {
  const check = report.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id} in the report`);
  return check;
}

/** The check's probe evidence, as text, for assertions and failure messages. */
export function probeEvidence(check: ReportCheck): string[] {
  return check.evidence.filter((e) => e.source === 'probe').map((e) => e.detail);
}

export function describeCheck(check: ReportCheck): string {
  return `${check.id}: ${check.status}: ${check.message}\n  ${check.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n  ')}`;
}
