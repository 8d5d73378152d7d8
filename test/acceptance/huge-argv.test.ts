// Issue 9 item 2: any local user can start a process named kube-apiserver with 130,000 unknown
// flags. One warning per flag was spread into `push(...)` and the whole audit died with "Maximum
// call stack size exceeded" (exit 3). The audit must complete, audit that process, and say the
// odd flags a few times and then count the rest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { clockModule, copyFixture, expectedStatuses, GOLDEN_TIME, parseReport, runCli } from '../support/cli.js';

const FLAG_COUNT = 130_000;
/** `--x0` … `--x129999`: short, so that argv stays within ARG_MAX once the stack limit is raised. */
const flags = Array.from({ length: FLAG_COUNT }, (_, i) => `--x${i}`);
const workDirs: string[] = [];
after(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('a process with 130,000 unknown flags', () => {
  it('a real kube-apiserver-named process started by the test: the CLI audits it and counts the flags', async (t) => {
    const { work } = copyFixture('kubeadm-1.34-control-plane', 'scs-huge-argv-');
    workDirs.push(work);
    // Listening makes it the audited kube-apiserver should another one be visible on this machine.
    const script = path.join(work, 'idle.cjs');
    // It names itself in comm as a kube-apiserver executable would be named (collect reads comm first).
    writeFileSync(
      script,
      "require('fs').writeFileSync('/proc/self/comm', process.argv0); require('net').createServer().listen(0, '127.0.0.1', () => console.log('up'));\n",
    );
    const argsFile = path.join(work, 'args');
    writeFileSync(argsFile, `${flags.join('\n')}\n`);
    // ARG_MAX is a quarter of the stack limit (8 MiB → 2 MiB, less than these 2.2 MiB of argv
    // and pointers); an unprivileged user may raise the soft limit, as the attacker would.
    const child = spawn(
      'bash',
      [
        '-c',
        'ulimit -s unlimited && mapfile -t A < "$2" && exec -a kube-apiserver "$1" "$3" "${A[@]}"',
        'bash',
        process.execPath,
        argsFile,
        script,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => child.kill());
    await once(child.stdout, 'data');
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    assert.equal(cmdline[0], 'kube-apiserver');
    assert.equal(cmdline.length - 3, FLAG_COUNT, 'every flag reached the process');

    const run = runCli(
      ['--once', '--root', '/', '--proc', '/proc', '--config', '/dev/null', '--no-probes', '--format', 'json'],
      { timeoutMs: 120_000 },
    );
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const report = parseReport(run);
    assert.ok(
      report.components.some((c) => c.name === 'kube-apiserver' && c.pid === child.pid),
      'the process is audited',
    );
    const mine = report.notes.filter((n) => n.startsWith(`kube-apiserver (pid ${child.pid}): `));
    assert.ok(
      mine.includes(`kube-apiserver (pid ${child.pid}): … and ${FLAG_COUNT - 10} more unknown flags`),
      mine.join('\n'),
    );
    assert.ok(mine.length <= 51, `${mine.length} notes for one process`);
  });

  it('in a fake root: every check keeps the verdict of the intact fixture', () => {
    const fixture = 'kubeadm-1.34-control-plane';
    const { work, root } = copyFixture(fixture, 'scs-huge-argv-');
    workDirs.push(work);
    const cmdline = path.join(root, 'proc', '1210', 'cmdline');
    // `--xN=1`: each flag carries its value, so none can take the next argument as its value.
    writeFileSync(
      cmdline,
      Buffer.concat([readFileSync(cmdline), Buffer.from(`${flags.map((f) => `${f}=1`).join('\0')}\0`)]),
    );
    const clock = clockModule(work, GOLDEN_TIME);
    const run = runCli(
      ['--once', '--root', root, '--config', path.join(root, 'audit-config.yaml'), '--format', 'json'],
      { nodeArgs: ['--import', clock], timeoutMs: 120_000 },
    );
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const report = parseReport(run);
    const expected = expectedStatuses(fixture);
    assert.deepEqual(Object.fromEntries(report.checks.map((c) => [c.id, c.status])), expected);
    const mine = report.notes.filter((n) => n.startsWith('kube-apiserver (pid 1210): '));
    assert.ok(mine.includes(`kube-apiserver (pid 1210): … and ${FLAG_COUNT - 10} more unknown flags`), mine.join('\n'));
    assert.ok(mine.length <= 51, `${mine.length} notes for one process`);
  });
});
