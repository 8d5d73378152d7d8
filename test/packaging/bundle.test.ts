// The bundled run from source (dist/bundle/, scripts/bundle.sh, what `bash scripts/audit-once.sh`
// and the package's `bin` run) must be the same program as dist/src/cli.js: the same report for
// a host, and a daemon that finds its audit worker beside the bundle and serves the result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnDaemonCommand, type DaemonProcess } from '../server/spawn-daemon.js';
import {
  APP_BUNDLE,
  bundlesIn,
  cacheName,
  compileBundle,
  DAEMON_PACKAGES,
  DAEMON_PACKAGES_BUNDLE,
} from '../../src/code-cache.js';
import { CLI_ENTRY, FIXTURE_HOSTS, fixtureConfig } from '../support/cli.js';
import { get } from '../support/http.js';
import { repoRoot } from '../support/paths.js';

const bundleDir = path.join(repoRoot, 'dist', 'bundle');
const bundle = path.join(bundleDir, 'cli.js');
const fixture = path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane');
const hostArgs = ['--config', fixtureConfig(fixture), '--root', fixture, '--proc', path.join(fixture, 'proc')];

/** The JSON report of `--once` on the fixture, without the fields that differ from run to run. */
function reportOf(entry: string[]): unknown {
  const run = spawnSync(process.execPath, [...entry, '--once', '--format', 'json', '--no-probes', ...hostArgs], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.error, undefined);
  const report = JSON.parse(run.stdout) as Record<string, unknown>;
  delete report.startedAt;
  delete report.durationMs;
  return report;
}

describe('dist/bundle: the bundled run from source', () => {
  it('npm run build wrote it', () => {
    assert.ok(existsSync(bundle), `${bundle} missing: npm run build runs scripts/bundle.sh`);
    for (const file of ['app.js', 'daemon-packages.js', 'audit-worker.js', 'package.json'])
      assert.ok(existsSync(path.join(bundleDir, file)), `${file} beside it`);
  });

  // scripts/bundle.sh's --external list and src/code-cache.ts's DAEMON_PACKAGES must agree: a
  // package left out of the list is read and compiled by every --once again.
  it('keeps the daemon packages out of app.js, and only those', () => {
    const app = readFileSync(path.join(bundleDir, APP_BUNDLE), 'utf8');
    const external = [...app.matchAll(/\brequire\("([^"]+)"\)/g)]
      .map((match) => match[1]!)
      .filter((id) => process.getBuiltinModule(id) === undefined);
    assert.deepEqual([...new Set(external)].sort(), [...DAEMON_PACKAGES].sort());
  });

  // The first compile of each bundle in this process: a second would be served from V8's
  // in-memory cache, whatever cache it is given.
  it('starts from trained code caches that this node accepts', () => {
    for (const name of [APP_BUNDLE, DAEMON_PACKAGES_BUNDLE]) {
      const { script } = compileBundle(bundlesIn(bundleDir), name);
      assert.equal(script.cachedDataRejected, false, `V8 rejected ${cacheName(name)} (or it is missing)`);
    }
  });

  it('runs the same with a damaged code cache, only slower', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    try {
      cpSync(bundleDir, copy, { recursive: true });
      writeFileSync(path.join(copy, cacheName(APP_BUNDLE)), 'not a code cache');
      assert.deepEqual(reportOf([path.join(copy, 'cli.js')]), reportOf([bundle]));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  // --format prometheus needs prom-client, which lives in daemon-packages.js, not in app.js.
  it('writes the same metrics as dist/src/cli.js with --format prometheus', () => {
    const metrics = (entry: string[]) => {
      const run = spawnSync(
        process.execPath,
        [...entry, '--once', '--format', 'prometheus', '--no-probes', ...hostArgs],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.equal(run.stderr, '');
      // Times and durations differ from run to run.
      return run.stdout.split('\n').filter((line) => !/timestamp|duration|age_seconds/.test(line));
    };
    const fromBundle = metrics([bundle]);
    assert.ok(
      fromBundle.some((line) => line.startsWith('scs_node_audit_check_status{')),
      fromBundle.join('\n'),
    );
    assert.deepEqual(fromBundle, metrics(CLI_ENTRY));
  });

  it('reports the kubeadm fixture exactly as dist/src/cli.js does', () => {
    const fromBundle = reportOf([bundle]);
    assert.deepEqual(fromBundle, reportOf(CLI_ENTRY));
    assert.equal((fromBundle as { components: unknown[] }).components.length > 0, true);
  });

  describe('as a daemon', () => {
    let daemon: DaemonProcess | undefined;
    after(() => daemon?.child.kill('SIGTERM'));

    it('audits in its worker thread and serves the result', { timeout: 60_000 }, async () => {
      daemon = await spawnDaemonCommand([
        process.execPath,
        bundle,
        '--no-probes',
        '--log.format',
        'json',
        '--web.listen-address',
        '127.0.0.1:0',
        ...hostArgs,
      ]);
      const finished = await daemon.waitForLine((line) => line.msg === 'audit finished', 30_000);
      const once = reportOf(CLI_ENTRY) as { summary: { fail: number; pass: number } };
      assert.equal(typeof finished.pass, 'number', JSON.stringify(finished));
      assert.deepEqual(
        [finished.pass, finished.fail],
        [once.summary.pass, once.summary.fail],
        JSON.stringify(finished),
      );
      assert.equal((await get(daemon.address, '/readyz')).status, 200);
    });
  });
});
