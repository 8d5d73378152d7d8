// Issue 9 item 8: under process churn an audit failed with "cannot list the process directory
// /proc: ENOENT … lstat '/proc/N'" (exit 3). A process that exits at any step is normal: the
// listing reads names only, and every later read treats ENOENT/ESRCH as "gone".
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { collectForAudit } from '../../src/audit.js';
import { CLI_ENTRY } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';

describe('auditing the real /proc while processes start and exit', () => {
  // Four shells each starting and reaping short-lived processes for the length of the test.
  const churners = Array.from({ length: 4 }, () =>
    spawn('sh', ['-c', 'while :; do /bin/true & /bin/true; wait; done'], { stdio: 'ignore' }),
  );
  before(() => new Promise((resolve) => setTimeout(resolve, 200)));
  after(() => {
    for (const churner of churners) churner.kill('SIGKILL');
  });

  it('30 collections in a row all complete', () => {
    for (let i = 0; i < 30; i++) {
      const snapshot = collectForAudit({ root: '/', proc: '/proc' });
      assert.ok(snapshot.realProc);
    }
  });

  it('the CLI audits three times in a row, never exit 3', () => {
    for (let i = 0; i < 3; i++) {
      const run = spawnSync(
        process.execPath,
        [
          ...CLI_ENTRY,
          '--once',
          '--root',
          '/',
          '--proc',
          '/proc',
          '--config',
          '/dev/null',
          '--no-probes',
          '--format',
          'json',
        ],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    }
  });
});
