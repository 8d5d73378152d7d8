import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printable, renderText } from '../../src/report/text.js';
import { MIXED_CHECKS, reportCheck, sampleReport } from '../support/sample-report.js';

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
    assert.match(
      failBlock,
      /evidence: +config-file: \/var\/lib\/kubelet\/config\.yaml: authentication\.anonymous\.enabled=true/,
    );
    assert.match(failBlock, /remediation: set authentication\.anonymous\.enabled: false/);
    assert.match(text, /UNKNOWN .*network-exposure .*\n +remediation: remediation of network-exposure/);
    assert.doesNotMatch(text, /remediation of etcd-client-tls/);
  });

  it('closes with the summary line', () => {
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), '1 passed, 1 failed, 1 unknown, 1 skipped, 1 errors — NOT compliant');
  });

  it('says compliant when no MUST check fails or errors', () => {
    const ok = renderText(
      sampleReport([
        reportCheck({ id: 'a', status: 'pass' }),
        reportCheck({ id: 'b', level: 'SHOULD', status: 'fail' }),
      ]),
      { color: false },
    );
    assert.match(ok, /1 passed, 1 failed, 0 unknown, 0 skipped, 0 errors — compliant\n$/);
  });

  it('has no escape sequences without colour, and coloured status words with it', () => {
    assert.ok(!text.includes(ESC));
    const coloured = renderText(report, { color: true });
    assert.ok(coloured.includes(`${ESC}[31mFAIL`), 'FAIL in red');
    assert.ok(coloured.includes(`${ESC}[32mPASS`), 'PASS in green');
    // Stripped of colour, the same text.
    // eslint-disable-next-line no-control-regex -- an ANSI colour sequence starts with ESC
    assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), text);
  });

  it('closes with what to fix: failures and errors, most severe level first, each with its remediation', () => {
    const checks = [
      reportCheck({
        id: 'kubelet-read-only-port',
        component: 'kubelet',
        level: 'SHOULD',
        status: 'fail',
        title: 'Kubelet read-only port is disabled',
        remediation: 'set readOnlyPort: 0',
      }),
      reportCheck({ id: 'etcd-client-tls', component: 'etcd', status: 'pass' }),
      reportCheck({
        id: 'kubelet-client-authn',
        component: 'kubelet',
        level: 'OPTIONAL',
        status: 'error',
        title: 'Kubelet authenticates clients',
        remediation: 'fix x509',
      }),
      reportCheck({
        id: 'apiserver-etcd-identity',
        component: 'kube-apiserver',
        level: 'RECOMMENDED',
        status: 'fail',
        title: 'own etcd identity',
        remediation: 'issue a non-root etcd client certificate',
      }),
      reportCheck({
        id: 'kubelet-anonymous-auth',
        component: 'kubelet',
        level: 'MUST',
        status: 'fail',
        title: 'Kubelet rejects anonymous requests',
        remediation: 'set authentication.anonymous.enabled: false',
      }),
      reportCheck({
        id: 'network-exposure',
        component: 'node',
        level: 'MUST',
        status: 'unknown',
        remediation: 'declare internal networks',
      }),
      reportCheck({
        id: 'etcd-peer-tls',
        component: 'etcd',
        level: 'MUST',
        status: 'fail',
        title: 'etcd peers use TLS',
        remediation: 'set --peer-cert-file',
      }),
    ];
    const rendered = renderText(sampleReport(checks), { color: false });
    const section = rendered.slice(rendered.indexOf('What to fix, most severe first:'));
    const items = section.split('\n').filter((line) => /^ {2}\d+\. /.test(line));
    // MUST (in report order), then SHOULD, RECOMMENDED, OPTIONAL; unknown and pass are not failures.
    assert.deepEqual(
      items.map((line) => /^ {2}\d+\. +(\S+) ([\w-]+):/.exec(line)!.slice(1).join(' ')),
      [
        'MUST kubelet-anonymous-auth',
        'MUST etcd-peer-tls',
        'SHOULD kubelet-read-only-port',
        'RECOMMENDED apiserver-etcd-identity',
        'OPTIONAL kubelet-client-authn',
      ],
    );
    assert.match(
      section,
      /1\. MUST kubelet-anonymous-auth: Kubelet rejects anonymous requests\n +set authentication\.anonymous\.enabled: false\n/,
    );
    assert.match(section, /kubelet-client-authn: Kubelet authenticates clients \(check error: please report it\)/);
    assert.doesNotMatch(section, /network-exposure/);
    // The summary line stays the last line, after the section.
    assert.match(rendered.trimEnd().split('\n').at(-1)!, /— NOT compliant$/);
    const clean = renderText(sampleReport([reportCheck({ id: 'a', status: 'pass' })]), { color: false });
    assert.doesNotMatch(clean, /What to fix/, 'nothing failed: no section');
  });

  it('--hide-skipped leaves out skip rows, says how many, and still counts them in the summary', () => {
    const hidden = renderText(report, { color: false, hideSkipped: true });
    assert.match(text, /SKIP +RECOMMENDED +apiserver-authz-rbac/);
    assert.doesNotMatch(hidden, /SKIP/);
    assert.match(hidden, /^1 skipped check not shown \(--hide-skipped\)\.$/m);
    assert.match(hidden, /FAIL +MUST +kubelet-anonymous-auth/);
    assert.match(hidden, /1 skipped, 1 errors — NOT compliant\n$/);
    // A group left with only skipped checks loses its heading too.
    assert.deepEqual(
      hidden.split('\n').filter((line) => /^(kube-apiserver|etcd|kubelet|node)$/.test(line)),
      ['etcd', 'kubelet', 'node'],
    );
  });

  it('says when no component was found', () => {
    const empty = renderText(
      sampleReport([reportCheck({ id: 'a', status: 'skip' })], {
        components: [],
        host: { hostname: 'h', roles: [], distribution: null },
      }),
      { color: false },
    );
    assert.match(empty, /components: none found/);
    assert.match(empty, /roles: +none \(not a Kubernetes node\)/);
  });

  it('closes with "not a Kubernetes node", never "compliant", where nothing Kubernetes runs', () => {
    const nothing = sampleReport([reportCheck({ id: 'a', status: 'skip' })], {
      components: [],
      host: { hostname: 'h', roles: [], distribution: null },
    });
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
    const out = renderText(
      sampleReport([hostile], {
        notes: [`note ${ESC}[1m`],
        host: { hostname: `h${ESC}[0m`, roles: [], distribution: null },
      }),
      { color: false },
    );
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

describe('docs/checks.md on report order', () => {
  it('claims the registry order only for the JSON report, which keeps it; the text report groups by component', async () => {
    const { CHECKS } = await import('../../src/checks/index.js');
    const { renderJson } = await import('../../src/report/json.js');
    const { repoRoot } = await import('../support/paths.js');
    const { readFileSync } = await import('node:fs');
    const docs = readFileSync(`${repoRoot}/docs/checks.md`, 'utf8');
    assert.doesNotMatch(docs, /order of every report/, 'the text report, JUnit and the status page reorder');
    assert.match(docs, /the order of the JSON report's `checks`/);
    const report = sampleReport(
      CHECKS.map((check) =>
        reportCheck({ id: check.id, level: check.level, component: check.component, status: 'pass' }),
      ),
    );
    const registryOrder = CHECKS.map((check) => check.id);
    const jsonOrder = (JSON.parse(renderJson(report)) as { checks: { id: string }[] }).checks.map((check) => check.id);
    assert.deepEqual(jsonOrder, registryOrder);
    const text = renderText(report, { color: false });
    const textOrder = registryOrder
      .filter((id) => text.includes(` ${id} `))
      .sort((a, b) => text.indexOf(` ${a} `) - text.indexOf(` ${b} `));
    assert.notDeepEqual(textOrder, registryOrder, 'text groups by component');
  });
});
