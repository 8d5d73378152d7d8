// The shipped units, judged by the real systemd tools: `systemd-analyze verify` must be clean and
// `systemd-analyze security --offline` must score the daemon at 2.5 or better.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const systemdDir = path.join(repoRoot, 'systemd');
const units = ['scs-node-audit.service', 'scs-node-audit-once.service', 'scs-node-audit-once.timer'];
const work = mkdtempSync(path.join(tmpdir(), 'units-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The units name /usr/bin/scs-node-audit, which verify wants to exist; point them at a stand-in. */
function stage(unit: string): string {
  const target = path.join(work, unit);
  copyFileSync(path.join(systemdDir, unit), target);
  writeFileSync(target, readFileSync(target, 'utf8').replaceAll('/usr/bin/scs-node-audit', '/bin/true'));
  return target;
}

describe('systemd units', () => {
  for (const unit of units) stage(unit);

  it('pass systemd-analyze verify without a single message', () => {
    const result = spawnSync('systemd-analyze', ['verify', ...units.map((u) => path.join(work, u))], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.trim(), '', result.stderr);
  });

  for (const unit of ['scs-node-audit.service', 'scs-node-audit-once.service']) {
    it(`${unit} scores 2.5 or better in systemd-analyze security`, () => {
      const result = spawnSync(
        'systemd-analyze',
        ['security', '--offline=true', '--threshold=25', path.join(work, unit)],
        { encoding: 'utf8' },
      );
      const score = /Overall exposure level for .*?: ([\d.]+)/.exec(result.stdout)?.[1];
      assert.equal(
        result.status,
        0,
        `exposure ${score} above 2.5:\n${result.stdout
          .split('\n')
          .filter((l) => l.startsWith('✗'))
          .join('\n')}`,
      );
      assert.ok(score !== undefined && Number(score) <= 2.5, `score ${score}`);
    });
  }

  it('keeps the hardening that Node survives and nothing that breaks it or hides the targets', () => {
    const text = readFileSync(path.join(systemdDir, 'scs-node-audit.service'), 'utf8');
    const settings = new Map(
      text
        .split('\n')
        .filter((l) => /^\w+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(settings.get('Type'), 'exec');
    assert.equal(settings.get('AmbientCapabilities'), 'CAP_DAC_READ_SEARCH CAP_SYS_PTRACE');
    assert.equal(settings.get('CapabilityBoundingSet'), 'CAP_DAC_READ_SEARCH CAP_SYS_PTRACE');
    assert.equal(settings.get('ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.equal(settings.get('Restart'), 'on-failure');
    for (const absent of ['MemoryDenyWriteExecute', 'ProtectProc', 'ProcSubset', 'PrivateUsers', 'PrivateNetwork']) {
      assert.ok(!settings.has(absent), `${absent} must stay out: it breaks V8 or hides the audited processes`);
    }
  });

  it('the timer starts the one-shot unit that writes the textfile', () => {
    const service = readFileSync(path.join(systemdDir, 'scs-node-audit-once.service'), 'utf8');
    assert.match(
      service,
      /--once .*--format prometheus --output \/var\/lib\/prometheus\/node-exporter\/scs_node_audit\.prom/,
    );
    assert.match(service, /^ReadWritePaths=-\/var\/lib\/prometheus\/node-exporter$/m);
    // Debian creates that directory root:root 0755: the one-shot unit writes as root, capabilities bounded.
    assert.match(service, /^CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE$/m);
    assert.doesNotMatch(service, /^User=/m);
    execFileSync('systemd-analyze', ['verify', path.join(work, 'scs-node-audit-once.timer')]);
  });
});
