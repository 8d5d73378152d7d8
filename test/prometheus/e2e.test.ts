// End to end with a real Prometheus (Debian package `prometheus`): it scrapes the daemon every
// second, and the assertions go through its HTTP query API, as a dashboard or alert would see it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sampleCheck, sampleReport } from '../support/sample-report.js';
import { spawnCliDaemon, spawnDaemon } from '../server/spawn-daemon.js';
import { repoRoot } from '../support/paths.js';

const PROMETHEUS = '/usr/bin/prometheus';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function query(
  base: string,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  assert.equal(body.status, 'success');
  return body.data.result;
}

/** Polls until the query returns exactly one sample with `expected`; bounded by `timeoutMs`. */
async function waitForValue(base: string, promql: string, expected: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'no answer';
  while (Date.now() < deadline) {
    try {
      const result = await query(base, promql);
      last = result.map((sample) => sample.value[1]);
      if (result.length === 1 && result[0]!.value[1] === expected) return;
    } catch (error) {
      last = error; // Prometheus still starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`${promql}: expected ${expected}, last seen ${String(last)}`);
}

test(
  'Prometheus scrapes the daemon and sees a SIGHUP flip of compliance and of a failing check',
  { timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-e2e-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const reportFile = join(dir, 'report.json');
    const settingsFile = join(dir, 'settings.json');
    const failing = sampleReport([
      sampleCheck('kubelet-anonymous-auth', 'fail'),
      sampleCheck('kubelet-authz-webhook', 'pass'),
    ]);
    const passing = sampleReport([
      sampleCheck('kubelet-anonymous-auth', 'pass'),
      sampleCheck('kubelet-authz-webhook', 'pass'),
    ]);
    writeFileSync(reportFile, JSON.stringify(failing));
    writeFileSync(settingsFile, JSON.stringify({ intervalSeconds: 3600 }));

    const daemon = await spawnDaemon([reportFile, settingsFile]);
    t.after(() => daemon.child.kill('SIGKILL'));
    await daemon.waitForLine((line) => line.msg === 'audit finished');

    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: scs-node-audit\n    static_configs:\n      - targets: ['${daemon.address}']\n`,
    );
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    // Registered before any assertion, so Prometheus dies even when the test fails.
    t.after(() => {
      prometheus.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;

    const check = 'scs_node_audit_check_status{job="scs-node-audit",check_id="kubelet-anonymous-auth",status="fail"}';
    await waitForValue(base, 'up{job="scs-node-audit"}', '1');
    await waitForValue(base, 'scs_node_audit_compliant{job="scs-node-audit"}', '0');
    await waitForValue(base, check, '1');
    const series = await query(
      base,
      'scs_node_audit_check_status{job="scs-node-audit",check_id="kubelet-anonymous-auth"}',
    );
    assert.deepEqual(
      series.map((sample) => sample.metric.status).sort(),
      ['error', 'fail', 'pass', 'skip', 'unknown'],
      'stable state set of five series',
    );

    writeFileSync(reportFile, JSON.stringify(passing));
    daemon.child.kill('SIGHUP');
    await waitForValue(base, 'scs_node_audit_compliant{job="scs-node-audit"}', '1');
    await waitForValue(base, check, '0');
    await waitForValue(
      base,
      'scs_node_audit_check_status{job="scs-node-audit",check_id="kubelet-anonymous-auth",status="pass"}',
      '1',
    );
    await waitForValue(base, 'scs_node_audit_runs_total{job="scs-node-audit"}', '2');
  },
);

test(
  'Prometheus sees the real daemon audit a fake kubeadm root, and the flip after the root changes and SIGHUP',
  { timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-e2e-root-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const root = join(dir, 'root');
    cpSync(join(repoRoot, 'test/fixtures/hosts/kubeadm-1.34-control-plane'), root, {
      recursive: true,
      verbatimSymlinks: true,
    });
    // A release table in which the fixture's v1.34.2 is supported and current, so that the node is
    // compliant until the kubelet config changes (the bundled table would fail it on dates alone).
    writeFileSync(
      join(dir, 'releases.yaml'),
      'source: e2e test\nminors:\n  - minor: "1.34"\n    endOfLife: "2099-01-01"\n    patches:\n      - {version: "1.34.2", date: "2025-11-11"}\n',
    );
    writeFileSync(
      join(dir, 'config.yaml'),
      `releases:\n  file: ${join(dir, 'releases.yaml')}\nnetwork:\n  internalCIDRs: [10.0.0.0/16]\n`,
    );
    const kubeletConfig = join(root, 'var/lib/kubelet/config.yaml');
    const secure = readFileSync(kubeletConfig, 'utf8');
    assert.match(secure, /anonymous:\n\s+enabled: false/, 'the fixture starts with anonymous auth off');

    const daemon = await spawnCliDaemon([
      '--root',
      root,
      '--config',
      join(dir, 'config.yaml'),
      '--listen',
      '127.0.0.1:0',
      '--no-probes',
      '--interval',
      '1h',
      '--log.format',
      'json',
    ]);
    t.after(() => daemon.child.kill('SIGKILL'));
    await daemon.waitForLine((line) => line.msg === 'audit finished');

    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: scs-node-audit\n    static_configs:\n      - targets: ['${daemon.address}']\n`,
    );
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    t.after(() => {
      prometheus.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    const anonymous = (status: string) =>
      `scs_node_audit_check_status{job="scs-node-audit",check_id="kubelet-anonymous-auth",status="${status}"}`;

    await waitForValue(base, 'scs_node_audit_compliant{job="scs-node-audit"}', '1');
    await waitForValue(base, anonymous('pass'), '1');
    await waitForValue(base, 'scs_node_audit_component_detected{job="scs-node-audit",component="kubelet"}', '1');

    writeFileSync(kubeletConfig, secure.replace(/(anonymous:\n\s+enabled:) false/, '$1 true'));
    daemon.child.kill('SIGHUP');
    await daemon.waitForLine(
      (line) => line.msg === 'check status changed' && line.check_id === 'kubelet-anonymous-auth' && line.to === 'fail',
    );
    await waitForValue(base, anonymous('fail'), '1');
    await waitForValue(base, anonymous('pass'), '0');
    await waitForValue(base, 'scs_node_audit_compliant{job="scs-node-audit"}', '0');
  },
);
