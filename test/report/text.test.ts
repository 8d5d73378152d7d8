import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printable, renderText } from '../../src/report/text.js';
import { MIXED_CHECKS, reportCheck, sampleReport } from './sample-report.js';

const ESC = '\u001b';

describe('renderText', () => {
  const report = sampleReport(MIXED_CHECKS, { notes: ['2 kubelet processes found (pids 1, 2); audited pid 1'] });
  const text = renderText(report, { color: false });

  it('has a header with host, roles, components, versions and notes', () => {
    assert.match(text, /host cp-1/);
    assert.match(text, /roles: +control-plane, etcd/);
    assert.match(text, /kube-apiserver v1\.36\.2 \(pid 812\)/);
    assert.match(text, /^distribution: kubeadm$/m);
    assert.match(text, /etcd version unknown \(static pod manifest \/etc\/kubernetes\/manifests\/etcd.yaml\)/);
    assert.match(text, /note: +2 kubelet processes found/);
  });

  it('groups checks by component in the order kube-apiserver, etcd, kubelet, node', () => {
    const headings = text.split('\n').filter((line) => /^(kube-apiserver|etcd|kubelet|node)$/.test(line));
    assert.deepEqual(headings, ['kube-apiserver', 'etcd', 'kubelet', 'node']);
  });

  it('shows remediation and evidence for fail and unknown, not for pass', () => {
    const failBlock = text.slice(text.indexOf('FAIL'), text.indexOf('ERROR'));
    assert.match(failBlock, /evidence: +config-file: \/var\/lib\/kubelet\/config\.yaml: authentication\.anonymous\.enabled=true/);
    assert.match(failBlock, /remediation: set authentication\.anonymous\.enabled: false/);
    assert.match(text, /UNKNOWN .*network-exposure .*\n +remediation: remediation of network-exposure/);
    assert.doesNotMatch(text, /remediation of etcd-client-tls/);
  });

  it('closes with the summary line', () => {
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), '1 passed, 1 failed, 1 unknown, 1 skipped, 1 errors — NOT compliant');
  });

  it('says compliant when no MUST check fails or errors', () => {
    const ok = renderText(sampleReport([reportCheck({ id: 'a', status: 'pass' }), reportCheck({ id: 'b', level: 'SHOULD', status: 'fail' })]), { color: false });
    assert.match(ok, /1 passed, 1 failed, 0 unknown, 0 skipped, 0 errors — compliant\n$/);
  });

  it('has no escape sequences without colour, and coloured status words with it', () => {
    assert.ok(!text.includes(ESC));
    const coloured = renderText(report, { color: true });
    assert.ok(coloured.includes(`${ESC}[31mFAIL`), 'FAIL in red');
    assert.ok(coloured.includes(`${ESC}[32mPASS`), 'PASS in green');
    // Stripped of colour, the same text.
    assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), text);
  });

  it('says when no component was found', () => {
    const empty = renderText(sampleReport([reportCheck({ id: 'a', status: 'skip' })], { components: [], host: { hostname: 'h', roles: [], distribution: null } }), { color: false });
    assert.match(empty, /components: none found/);
    assert.match(empty, /roles: +none \(not a Kubernetes node\)/);
  });

  it('closes with "not a Kubernetes node", never "compliant", where nothing Kubernetes runs', () => {
    const nothing = sampleReport([reportCheck({ id: 'a', status: 'skip' })], { components: [], host: { hostname: 'h', roles: [], distribution: null } });
    const none = renderText({ ...nothing, summary: { ...nothing.summary, compliant: null } }, { color: false });
    assert.match(none, /0 passed, 0 failed, 0 unknown, 1 skipped, 0 errors — not a Kubernetes node\n$/);
    assert.doesNotMatch(none, /— compliant/);
  });

  it('never lets host data drive the terminal (escape sequences in a path)', () => {
    const hostile = reportCheck({
      id: 'kubelet-anonymous-auth',
      status: 'fail',
      message: `bad file /etc/${ESC}[2J${ESC}]0;pwned\u0007x\r\nfake line`,
      evidence: [{ source: 'config-file', detail: `/tmp/${ESC}[31mred` }],
    });
    const out = renderText(sampleReport([hostile], { notes: [`note ${ESC}[1m`], host: { hostname: `h${ESC}[0m`, roles: [], distribution: null } }), { color: false });
    assert.ok(!out.includes(ESC) && !out.includes('\u0007') && !out.includes('\r'));
    assert.match(out, /bad file \/etc\/\\x1b\[2J\\x1b\]0;pwned\\x07x\\x0d\\nfake line/);
  });
});

describe('printable', () => {
  it('keeps ordinary text, escapes C0 and C1 controls', () => {
    assert.equal(printable('kube-apiserver --flag=ü'), 'kube-apiserver --flag=ü');
    assert.equal(printable('a\u0000b\u009bc\u007f'), 'a\\x00b\\x9bc\\x7f');
  });
});
