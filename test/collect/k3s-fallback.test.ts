// A k3s host whose journal holds no `Running …` line of the running k3s, through the real
// pipeline: the rebuilt command lines decide, a journal line (when present) always wins, and a
// config file another user could write, bad YAML or an unknown version give unknown, naming it.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../../src/audit.js';
import { defaultConfig } from '../../src/config.js';
import type { Report } from '../../src/report/types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOSTS = [path.join(HERE, '../fixtures/hosts'), path.join(HERE, '../../../test/fixtures/hosts')].find((dir) =>
  existsSync(dir),
)!;
const NOW = new Date('2026-11-29T10:00:00Z');
const work = mkdtempSync(path.join(tmpdir(), 'scs-k3s-fallback-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A copy of a fixture, changed by `edit`, audited. */
function auditCopy(fixture: string, name: string, edit: (root: string) => void): Report {
  const root = path.join(work, name);
  cpSync(path.join(HOSTS, fixture), root, { recursive: true, verbatimSymlinks: true });
  edit(root);
  return runAudit({ root, now: NOW, config: defaultConfig() });
}

function statusOf(report: Report, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

function componentChecks(report: Report, component: string): Report['checks'] {
  return report.checks.filter((c) => c.component === component);
}

describe('k3s without a journal line: the rebuilt command line decides', () => {
  const report = auditCopy('k3s-server-config-only', 'as-is', () => {});

  it('the kubelet-arg+ in config.yaml.d makes the read-only port fail; the defaults pass the rest', () => {
    assert.equal(statusOf(report, 'kubelet-read-only-port'), 'fail');
    assert.equal(statusOf(report, 'apiserver-authz-policy'), 'pass');
    assert.equal(statusOf(report, 'apiserver-pod-security-enforce'), 'pass');
  });

  it('says where the command lines came from: the files read and the built-in defaults of that version', () => {
    const apiserver = report.components.find((c) => c.name === 'kube-apiserver');
    assert.match(
      apiserver?.origin ?? '',
      /^inside k3s pid 1207: its command line rebuilt from its settings and built-in defaults \(\/etc\/systemd\/system\/k3s\.service, \/etc\/rancher\/k3s\/config\.yaml, \/etc\/rancher\/k3s\/config\.yaml\.d\/50-metrics\.yaml\)$/,
    );
    assert.ok(
      report.notes.some(
        (n) =>
          n.includes('--read-only-port=10255 from /etc/rancher/k3s/config.yaml.d/50-metrics.yaml') &&
          n.includes('every other argument is a k3s v1.33.4+k3s1 built-in default (k3s-io/k3s'),
      ),
      report.notes.join('\n'),
    );
  });
});

describe('k3s: a journal line of the running process always wins over config files', () => {
  // k3s-server's journal holds the running pid's lines; a config written since (not yet applied) must not decide.
  const report = auditCopy('k3s-server', 'journal-wins', (root) => {
    mkdirSync(path.join(root, 'etc/rancher/k3s'), { recursive: true });
    writeFileSync(
      path.join(root, 'etc/rancher/k3s/config.yaml'),
      'kube-apiserver-arg:\n- authorization-mode=AlwaysAllow\n',
    );
  });

  it('judges the logged command line', () => {
    assert.equal(statusOf(report, 'apiserver-authz-policy'), 'pass');
    assert.match(report.components.find((c) => c.name === 'kube-apiserver')?.origin ?? '', /from the journal/);
  });
});

describe('k3s config files another user could have written are not trusted (promise 2)', () => {
  for (const [how, edit] of [
    ['writable by others', (file: string) => chmodSync(file, 0o666)],
    ['owned by uid 1000', (file: string) => chownSync(file, 1000, 1000)],
  ] as const) {
    it(`a drop-in ${how}: the components are unknown, naming the file, never pass`, () => {
      const report = auditCopy('k3s-server-config-only', `weak-${how.replace(/\W/g, '-')}`, (root) =>
        edit(path.join(root, 'etc/rancher/k3s/config.yaml.d/50-metrics.yaml')),
      );
      const kubelet = componentChecks(report, 'kubelet');
      assert.deepEqual([...new Set(kubelet.map((c) => c.status))], ['unknown']);
      assert.match(
        kubelet[0]!.message,
        /\/etc\/rancher\/k3s\/config\.yaml\.d\/50-metrics\.yaml is (writable by group or others|owned by uid 1000)/,
      );
      assert.equal(report.summary.compliant, false);
    });
  }

  it('a config directory writable by others makes its files untrusted too', () => {
    const report = auditCopy('k3s-server-config-only', 'weak-dir', (root) =>
      chmodSync(path.join(root, 'etc/rancher/k3s/config.yaml.d'), 0o777),
    );
    assert.match(
      componentChecks(report, 'kube-apiserver')[0]!.message,
      /\/etc\/rancher\/k3s\/config\.yaml\.d is writable by group or others \(mode 0777\)/,
    );
  });
});

describe('k3s config that cannot be used gives unknown, naming why', () => {
  it('bad YAML: names the file and the line', () => {
    const report = auditCopy('k3s-server-config-only', 'bad-yaml', (root) =>
      writeFileSync(
        path.join(root, 'etc/rancher/k3s/config.yaml.d/50-metrics.yaml'),
        'kubelet-arg+:\n  - read-only-port=10255\n bad: [\n',
      ),
    );
    const apiserver = componentChecks(report, 'kube-apiserver');
    assert.deepEqual([...new Set(apiserver.map((c) => c.status))], ['unknown']);
    assert.match(
      apiserver[0]!.message,
      /\/etc\/rancher\/k3s\/config\.yaml\.d\/50-metrics\.yaml line \d+: not valid YAML/,
    );
  });

  it('a k3s version with no defaults table: names the version', () => {
    const report = auditCopy('k3s-server-no-journal', 'old-version', (root) =>
      writeFileSync(path.join(root, 'usr/local/bin/k3s'), 'ELF stand-in v1.29.15+k3s1\n'),
    );
    const kubelet = componentChecks(report, 'kubelet');
    assert.deepEqual([...new Set(kubelet.map((c) => c.status))], ['unknown']);
    assert.match(kubelet[0]!.message, /no table of k3s's built-in defaults for v1\.29\.15\+k3s1/);
  });

  it('no version anywhere (no journal line, a binary naming none): unknown, saying so', () => {
    const report = auditCopy('k3s-server-no-journal', 'no-version', (root) =>
      writeFileSync(path.join(root, 'usr/local/bin/k3s'), 'ELF stand-in\n'),
    );
    const apiserver = componentChecks(report, 'kube-apiserver');
    assert.deepEqual([...new Set(apiserver.map((c) => c.status))], ['unknown']);
    assert.match(
      apiserver[0]!.message,
      /no "Running kube-apiserver" line of k3s pid 1207.*the k3s version is not known.*names no k3s version/,
    );
  });

  it('a binary naming two versions says nothing about the version', () => {
    const report = auditCopy('k3s-server-no-journal', 'two-versions', (root) =>
      writeFileSync(path.join(root, 'usr/local/bin/k3s'), 'v1.33.4+k3s1 and v1.34.1+k3s1\n'),
    );
    assert.match(
      componentChecks(report, 'kubelet')[0]!.message,
      /names several k3s versions \(v1\.33\.4\+k3s1, v1\.34\.1\+k3s1\)/,
    );
  });
});

describe('k3s picks its config file from --config or K3S_CONFIG_FILE, and so does the rebuild', () => {
  const ALT = 'kubelet-arg:\n- read-only-port=0\n';
  it('K3S_CONFIG_FILE in the running k3s environment names the file; the default one is not read', () => {
    const report = auditCopy('k3s-server-config-only', 'env-config', (root) => {
      writeFileSync(
        path.join(root, 'proc/1207/environ'),
        'PATH=/usr/bin\0K3S_CONFIG_FILE=/etc/k3s-alt.yaml\0K3S_TOKEN=never-read\0',
      );
      writeFileSync(path.join(root, 'etc/k3s-alt.yaml'), ALT);
      // config.yaml.d belongs to the default file only: drop it so only the named file can decide.
      rmSync(path.join(root, 'etc/rancher/k3s/config.yaml.d'), { recursive: true });
    });
    assert.equal(statusOf(report, 'kubelet-read-only-port'), 'pass');
    assert.equal(statusOf(report, 'apiserver-pod-security-enforce'), 'unknown'); // config.yaml (with psa.yaml) was not read
    assert.match(report.components.find((c) => c.name === 'kubelet')?.origin ?? '', /\/etc\/k3s-alt\.yaml/);
    assert.ok(!JSON.stringify(report).includes('never-read'));
  });

  it('--config on the unit command line names the file; a missing one gives unknown naming it', () => {
    const report = auditCopy('k3s-server-config-only', 'cli-config-missing', (root) => {
      const unit = path.join(root, 'etc/systemd/system/k3s.service');
      writeFileSync(unit, '[Service]\nExecStart=/usr/local/bin/k3s server --config /etc/k3s-missing.yaml\n');
    });
    const kubelet = componentChecks(report, 'kubelet');
    assert.deepEqual([...new Set(kubelet.map((c) => c.status))], ['unknown']);
    assert.match(
      kubelet[0]!.message,
      /\/etc\/k3s-missing\.yaml \(command line \(\/etc\/systemd\/system\/k3s\.service\)\) does not exist/,
    );
  });

  it('a command-line flag wins over the config file (--data-dir moves every built-in path)', () => {
    const report = auditCopy('k3s-server-config-only', 'cli-over-file', (root) => {
      writeFileSync(
        path.join(root, 'etc/rancher/k3s/config.yaml.d/60-data-dir.yaml'),
        'data-dir: /srv/k3s-from-file\n',
      );
      writeFileSync(
        path.join(root, 'etc/systemd/system/k3s.service'),
        '[Service]\nExecStart=/usr/local/bin/k3s server --data-dir=/srv/k3s-from-cli\n',
      );
    });
    const evidence = report.checks
      .find((c) => c.id === 'apiserver-authn-second-method')!
      .evidence.map((e) => e.detail)
      .join('\n');
    assert.match(evidence, /--client-ca-file=\/srv\/k3s-from-cli\/server\/tls\/client-ca\.crt/);
  });
});
