// The Debian package as an operator meets it: built from scratch by packaging/build.sh, installed
// with dpkg, run from the installed path, removed with the config kept, then purged.
// Needs root and dpkg (CI has both); elsewhere the suite says why it does not run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const canInstall = process.getuid?.() === 0 && spawnSync('dpkg', ['--version']).status === 0;
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const deb = path.join(repoRoot, 'out', `scs-node-audit_${version}_amd64.deb`);
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });

describe('Debian package', { skip: canInstall ? false : 'needs root and dpkg to install a package' }, () => {
  it('builds from scratch: executable, units, conffile, docs, man page', { timeout: 300_000 }, () => {
    execFileSync('bash', [path.join(repoRoot, 'packaging/build.sh')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    const listing = run('dpkg-deb', ['--contents', deb]).stdout;
    for (const file of [
      './usr/bin/scs-node-audit',
      './lib/systemd/system/scs-node-audit.service',
      './lib/systemd/system/scs-node-audit-once.service',
      './lib/systemd/system/scs-node-audit-once.timer',
      './etc/scs-node-audit/config.yaml',
      './usr/share/doc/scs-node-audit/copyright',
      './usr/share/doc/scs-node-audit/changelog.gz',
      './usr/share/man/man1/scs-node-audit.1.gz',
    ]) {
      assert.ok(listing.includes(file), `${file} missing from the package`);
    }
    assert.equal(run('dpkg-deb', ['--field', deb, 'Package']).stdout.trim(), 'scs-node-audit');
    assert.equal(run('dpkg-deb', ['--ctrl-tarfile', deb]).status, 0);
  });

  it('installs, audits this host from /usr/bin, keeps an edited config on removal, purges cleanly', { timeout: 120_000 }, () => {
    run('dpkg', ['--purge', 'scs-node-audit']);
    const install = run('dpkg', ['-i', deb]);
    assert.equal(install.status, 0, install.stderr);
    try {
      assert.equal(run('getent', ['passwd', 'scs-node-audit']).status, 0, 'postinst creates the system user');
      assert.match(run('dpkg-query', ['-W', '-f', '${Conffiles}', 'scs-node-audit']).stdout, /\/etc\/scs-node-audit\/config\.yaml/);

      const audit = run('/usr/bin/scs-node-audit', ['--once', '--no-probes', '--format', 'json']);
      assert.equal(audit.status, 0, audit.stderr);
      const report = JSON.parse(audit.stdout) as { tool: { version: string }; checks: { status: string }[] };
      assert.equal(report.tool.version, version);
      assert.equal(report.checks.length, 28);

      assert.match(run('/usr/bin/scs-node-audit', ['--help']).stdout, /--once/);
      assert.equal(run('/usr/bin/scs-node-audit', ['--version']).status, 0);

      writeFileSync('/etc/scs-node-audit/config.yaml', 'network:\n  internalCIDRs: [10.0.0.0/8]\n');
      assert.equal(run('dpkg', ['-r', 'scs-node-audit']).status, 0);
      assert.ok(!existsSync('/usr/bin/scs-node-audit'), 'removal removes the executable');
      assert.match(readFileSync('/etc/scs-node-audit/config.yaml', 'utf8'), /10\.0\.0\.0\/8/, 'removal keeps the edited config');
    } finally {
      const purge = run('dpkg', ['--purge', 'scs-node-audit']);
      assert.equal(purge.status, 0, purge.stderr);
    }
    assert.ok(!existsSync('/etc/scs-node-audit'), 'purge removes the config directory');
    assert.notEqual(run('getent', ['passwd', 'scs-node-audit']).status, 0, 'purge removes the system user');
  });

  it('lintian finds no error and no warning (the few accepted tags are explained in the shipped overrides)', { skip: spawnSync('lintian', ['--version']).status === 0 ? false : 'lintian is not installed', timeout: 300_000 }, () => {
    const result = run('lintian', ['--tag-display-limit', '0', deb]);
    const findings = result.stdout.split('\n').filter((line) => /^[EW]:/.test(line));
    assert.deepEqual(findings, [], result.stdout);
  });
});
