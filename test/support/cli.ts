// Runs `scs-node-audit` the way a user does: a separate process, flags on the command line,
// stdout/stderr/exit code observed from outside (`runCli`; `auditOnce` for a JSON report). From test/ under tsx it runs src/cli.ts, from
// dist/test/ after tsc it runs dist/src/cli.js, so both `npm test` and tsx exercise the real CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report, ReportCheck } from '../../src/report/types.js';
import { repoRoot } from './paths.js';

const fromSource = !import.meta.url.includes('/dist/');
export const CLI_ENTRY: string[] = fromSource
  ? ['--import', path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'), path.join(repoRoot, 'src', 'cli.ts')]
  : [path.join(repoRoot, 'dist', 'src', 'cli.js')];

export const FIXTURE_HOSTS = path.join(repoRoot, 'test', 'fixtures', 'hosts');

/** The status of each check a fixture host's expected.json records (test/hosts.test.ts holds it to the engine). */
export function expectedStatuses(fixture: string): Record<string, string> {
  return (
    JSON.parse(readFileSync(path.join(FIXTURE_HOSTS, fixture, 'expected.json'), 'utf8')) as {
      checks: Record<string, string>;
    }
  ).checks;
}

/** The audit time of test/hosts.test.ts, which every fixture's expected.json was written for. */
export const GOLDEN_TIME = '2026-11-29T10:00:00.000Z';

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Node flags before the entry point (e.g. `--import` of a clock module). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const start = Date.now();
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), ...CLI_ENTRY, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    wallMs: Date.now() - start,
  };
}

/**
 * A module for `node --import` that fixes `new Date()` and `Date.now()` at `iso`. The CLI has no
 * flag for the audit clock, so this is the only way to reproduce the version checks of a
 * fixture's expected.json on another day (see the acceptance report).
 */
export function clockModule(dir: string, iso: string): string {
  const file = path.join(dir, 'fixed-clock.mjs');
  writeFileSync(
    file,
    `const FIXED = Date.parse(${JSON.stringify(iso)});
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(FIXED); else super(...args); }
  static now() { return FIXED; }
}
globalThis.Date = FixedDate;
`,
  );
  return file;
}

/** The operator settings a fixture is audited with (its audit-config.yaml), or none. */
export function fixtureConfig(dir: string): string {
  const file = path.join(dir, 'audit-config.yaml');
  return existsSync(file) ? file : '/dev/null';
}

/** A private copy of a fixture host that a test may break. */
export function copyFixture(name: string, prefix = 'scs-acceptance-'): { work: string; root: string } {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  const root = path.join(work, name);
  cpSync(path.join(FIXTURE_HOSTS, name), root, { recursive: true, verbatimSymlinks: true });
  return { work, root };
}

/**
 * A kubeadm control plane whose manifest directory also holds `count` static pod manifests that
 * are large but valid YAML (40,000 annotations each, 640 KB, under every size cap): parsing them
 * is honest work that takes a while. For the daemon's slow-audit test and bench.
 */
export function slowAuditFixture(count = 10): { work: string; root: string } {
  const fixture = copyFixture('kubeadm-1.34-control-plane', 'scs-slow-audit-');
  const annotations = Array.from({ length: 40_000 }, (_, i) => `    scs.test/k${i}: v${i}\n`).join('');
  for (let i = 0; i < count; i += 1) {
    writeFileSync(
      path.join(fixture.root, `etc/kubernetes/manifests/large-${i}.yaml`),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: large-${i}\n  annotations:\n${annotations}`,
    );
  }
  return fixture;
}

/** The report as the CLI prints it (`--format json`): DESIGN §4, the type of src/report/types.ts. */
export type JsonReport = Report;

export function parseReport(run: CliRun): JsonReport {
  try {
    return JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`exit ${run.status} without a JSON report; stderr: ${run.stderr}`);
  }
}

export interface AuditRun {
  report: Report;
  exitCode: number | null;
  stderr: string;
  /** Wall time of the whole command, start-up included. */
  wallMs: number;
}

/** `scs-node-audit --once --format json ARGS` against whatever ARGS name (the real /proc by default). */
export function auditOnce(args: string[]): AuditRun {
  const run = runCli(['--once', '--format', 'json', ...args], { timeoutMs: 60_000 });
  return { report: parseReport(run), exitCode: run.status, stderr: run.stderr, wallMs: run.wallMs };
}

/** Write a config file for the run (YAML is a superset of JSON). */
export function writeConfig(file: string, config: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
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
