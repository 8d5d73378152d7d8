// The man page as packaging/deb/manpage.mjs writes it from the real --help: a page with the
// sections man-pages(7) expects, every option of --help, a reproducible date, and no groff warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { HELP } from '../../src/command-line.js';
import { repoRoot } from '../support/paths.js';

const generated = spawnSync(
  process.execPath,
  [path.join(repoRoot, 'packaging/deb/manpage.mjs'), '9.8.7', path.join(repoRoot, 'packaging/deb/changelog')],
  { input: HELP, encoding: 'utf8' },
);
const page = generated.stdout;

describe('packaging/deb/manpage.mjs', () => {
  it('writes a page without error', () => assert.equal(generated.status, 0, generated.stderr));

  it('has NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES and SEE ALSO, in that order', () => {
    const headings = [...page.matchAll(/^\.SH (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, [
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'OPTIONS',
      'EXIT STATUS',
      'ENVIRONMENT',
      'FILES',
      'EXAMPLES',
      'SEE ALSO',
    ]);
  });

  it('is dated by the newest changelog entry (a rebuild gives the same page) and carries the version', () => {
    assert.match(page, /^\.TH SCS\\-NODE\\-AUDIT 1 2026-11-29 "scs\\-node\\-audit 9\.8\.7" "User Commands"$/m);
  });

  it('lists every option of --help as an item, and every exit code', () => {
    const flags = [...HELP.matchAll(/^ {2}(?:-h, )?(--[\w.-]+)/gm)].map((m) => m[1]!);
    assert.ok(flags.length >= 18, flags.join(' '));
    // In roff a flag is bold with escaped hyphens: \fB\-\-once\fR.
    const roff = (flag: string) => `\\fB${flag.replaceAll('-', '\\-')}\\fR`;
    const items = page
      .split('\n.TP\n')
      .slice(1)
      .map((item) => item.split('\n')[0]!);
    for (const flag of flags)
      assert.ok(
        items.some((item) => item.includes(roff(flag))),
        `${flag}: ${roff(flag)}`,
      );
    for (const code of ['0', '1', '2', '3'])
      assert.match(page, new RegExp(`^\\.TP\\n\\.B ${code}\\n`, 'm'), `exit ${code}`);
  });

  it('names the environment variables and files an operator meets', () => {
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'TERM']) assert.match(page, new RegExp(`^\\.B ${name}$`, 'm'));
    for (const file of ['/etc/scs\\-node\\-audit/config.yaml', '/var/lib/scs\\-node\\-audit/'])
      assert.ok(page.includes(`.I ${file}`), file);
  });

  it(
    'renders without a single groff warning',
    { skip: spawnSync('groff', ['--version']).status === 0 ? false : 'groff is not installed' },
    () => {
      const rendered = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], {
        input: page,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      assert.equal(rendered.status, 0);
      assert.equal(rendered.stderr, '');
    },
  );
});
