// Issue 9 item 4: files within the read caps whose parse took minutes and GiBs — the tool's own
// config, a static pod manifest, a kubelet config — are decided quickly through the real CLI:
// the tool's config exits 2 naming the file and the bound, a component file makes its checks
// `unknown` naming the file, and an unrelated huge manifest changes no verdict.
// The spawn timeout only guards against a hang; speed is measured in bench/hostile-parse.ts.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { clockModule, copyFixture, expectedStatuses, GOLDEN_TIME, parseReport, runCli } from '../support/cli.js';

const FIXTURE = 'kubeadm-1.34-control-plane';
const EXPECTED = expectedStatuses(FIXTURE);
const GUARD_MS = 60_000;
/** 40,000 keys, 642 KiB: 9 s per parse before, and parsed three times per audit. */
const FORTY_THOUSAND_KEYS = Array.from({ length: 40_000 }, (_, i) => `key${String(i).padStart(6, '0')}: value`).join(
  '\n',
);
const workDirs: string[] = [];
after(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

function fixtureCopy(): { root: string; clock: string } {
  const { work, root } = copyFixture(FIXTURE, 'scs-parse-bounds-');
  workDirs.push(work);
  return { root, clock: clockModule(work, GOLDEN_TIME) };
}

function audit(root: string, clock: string) {
  const run = runCli(['--once', '--root', root, '--config', path.join(root, 'audit-config.yaml'), '--format', 'json'], {
    nodeArgs: ['--import', clock],
    timeoutMs: GUARD_MS,
  });
  assert.equal(run.signal, null, 'the audit ended');
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return parseReport(run);
}

describe('parse work within the read caps', () => {
  it("the tool's own 1 MiB config (one flow mapping): exit 2 naming the file and the bound", () => {
    const { root } = fixtureCopy();
    const file = path.join(root, 'huge-config.yaml');
    writeFileSync(file, `{${Array.from({ length: 90_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`);
    const run = runCli(['--once', '--config', file], { timeoutMs: GUARD_MS });
    assert.equal(run.signal, null, 'the run ended');
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`${file.replaceAll('/', '\\/')} is too large to read as YAML \\(more than \\d+ tokens\\)`),
    );
  });

  it('a 40,000-key file in /etc/kubernetes/manifests changes no verdict', () => {
    const { root, clock } = fixtureCopy();
    writeFileSync(path.join(root, 'etc/kubernetes/manifests/huge.yaml'), FORTY_THOUSAND_KEYS);
    const report = audit(root, clock);
    assert.deepEqual(Object.fromEntries(report.checks.map((c) => [c.id, c.status])), EXPECTED);
  });

  it('a 40,000-key kubelet config: the checks that read it are unknown, naming the file and the bound', () => {
    const { root, clock } = fixtureCopy();
    writeFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), `kind: KubeletConfiguration\n${FORTY_THOUSAND_KEYS}`);
    const report = audit(root, clock);
    for (const id of ['kubelet-anonymous-auth', 'kubelet-authz-webhook', 'kubelet-read-only-port']) {
      const check = report.checks.find((c) => c.id === id)!;
      assert.equal(check.status, 'unknown', `${id}: ${check.message}`);
      assert.match(
        `${check.message} ${check.evidence.map((e) => e.detail).join(' ')}`,
        /\/var\/lib\/kubelet\/config\.yaml is too large to read as YAML/,
        id,
      );
    }
  });
});
