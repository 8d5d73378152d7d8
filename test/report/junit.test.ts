import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, renderJunit } from '../../src/report/junit.js';
import { MIXED_CHECKS, reportCheck, sampleReport } from '../support/sample-report.js';

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: Element[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+);)/, `bare & in ${JSON.stringify(text)}`);
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

/** A strict little parser for the subset we emit: fails on anything not well-formed. */
function parseXml(xml: string): Element {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  // XML 1.0 Char production: tab, LF, CR, U+0020+ minus surrogates and U+FFFE/FFFF.
  // eslint-disable-next-line no-control-regex -- finding the characters XML cannot carry is the point
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/, 'character not allowed in XML 1.0');
  assert.doesNotMatch(xml, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'lone surrogate');
  const tokens = xml
    .slice(xml.indexOf('\n') + 1)
    .split(/(<[^<>]*>)/)
    .filter((t) => t !== '');
  const root: Element = { name: '#root', attributes: {}, text: '', children: [] };
  const stack = [root];
  for (const token of tokens) {
    const top = stack.at(-1)!;
    if (!token.startsWith('<')) {
      assert.ok(!token.includes('>') || !token.includes(']]>'), 'raw ]]> in text');
      top.text += unescape(token);
      continue;
    }
    const close = /^<\/([\w-]+)>$/.exec(token);
    if (close) {
      assert.equal(close[1], top.name, 'mismatched close tag');
      stack.pop();
      continue;
    }
    const open = /^<([\w-]+)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    assert.ok(open, `malformed tag ${token}`);
    const attributes: Record<string, string> = {};
    for (const [, key, value] of open[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) {
      assert.ok(!(key! in attributes), `duplicate attribute ${key}`);
      attributes[key!] = unescape(value!);
    }
    const element: Element = { name: open[1]!, attributes, text: '', children: [] };
    top.children.push(element);
    if (open[3] !== '/') stack.push(element);
  }
  assert.equal(stack.length, 1, 'unclosed element');
  assert.equal(root.children.length, 1);
  return root.children[0]!;
}

describe('renderJunit', () => {
  const suites = parseXml(renderJunit(sampleReport(MIXED_CHECKS)));

  it('has one testsuite per component, in report order, with counts', () => {
    assert.equal(suites.name, 'testsuites');
    assert.deepEqual(
      suites.children.map((s) => s.attributes.name),
      ['kube-apiserver', 'etcd', 'kubelet', 'node'],
    );
    assert.deepEqual(suites.attributes.tests, '5');
    assert.deepEqual(
      [suites.attributes.failures, suites.attributes.errors, suites.attributes.skipped],
      ['1', '1', '2'],
    );
    const kubelet = suites.children.find((s) => s.attributes.name === 'kubelet')!;
    assert.deepEqual(
      [kubelet.attributes.tests, kubelet.attributes.failures, kubelet.attributes.errors, kubelet.attributes.skipped],
      ['2', '1', '1', '0'],
    );
    assert.equal(kubelet.attributes.hostname, 'cp-1');
  });

  it('has one testcase per check: classname = component, name = check id', () => {
    const cases = suites.children.flatMap((s) => s.children);
    assert.deepEqual(
      cases.map((c) => [c.attributes.classname, c.attributes.name]),
      [
        ['kube-apiserver', 'apiserver-authz-rbac'],
        ['etcd', 'etcd-client-tls'],
        ['kubelet', 'kubelet-anonymous-auth'],
        ['kubelet', 'kubelet-client-authn'],
        ['node', 'network-exposure'],
      ],
    );
  });

  it('maps statuses: fail → failure, error → error, skip and unknown → skipped, pass → nothing', () => {
    const byId = new Map(suites.children.flatMap((s) => s.children).map((c) => [c.attributes.name, c]));
    assert.deepEqual(byId.get('etcd-client-tls')!.children, []);
    const failure = byId.get('kubelet-anonymous-auth')!.children[0]!;
    assert.equal(failure.name, 'failure');
    assert.equal(failure.attributes.message, 'anonymous requests are allowed');
    assert.equal(failure.attributes.type, 'MUST');
    assert.match(
      failure.text,
      /evidence: config-file: \/var\/lib\/kubelet\/config\.yaml: authentication\.anonymous\.enabled=true/,
    );
    assert.match(failure.text, /remediation: set authentication\.anonymous\.enabled: false/);
    assert.equal(byId.get('kubelet-client-authn')!.children[0]!.name, 'error');
    assert.equal(byId.get('apiserver-authz-rbac')!.children[0]!.name, 'skipped');
    const unknown = byId.get('network-exposure')!.children[0]!;
    assert.equal(unknown.name, 'skipped');
    assert.equal(unknown.attributes.message, 'unknown: listeners beyond loopback: 0.0.0.0:10250');
  });

  it('escapes hostile strings so the document stays well-formed and says the same', () => {
    const hostile = `a"b'c<d>e&f]]>g</failure><x y="1">\n\ttab\r`;
    const report = sampleReport(
      [
        reportCheck({
          id: 'kubelet-anonymous-auth',
          status: 'fail',
          message: hostile,
          evidence: [{ source: 'config-file', detail: hostile }],
        }),
        reportCheck({
          id: 'kubelet-authz-webhook',
          status: 'unknown',
          message: `nul\u0000 esc\u001b[31m bell\u0007 lone\ud800 ffff\uffff`,
        }),
      ],
      { host: { hostname: `<host&"'>`, roles: [], distribution: null } },
    );
    const xml = renderJunit(report);
    const parsed = parseXml(xml);
    const [failing, unknown] = parsed.children[0]!.children;
    assert.equal(failing!.children[0]!.attributes.message, hostile);
    assert.ok(
      failing!.children[0]!.text.includes(`evidence: config-file: a"b'c<d>e&f]]>g</failure><x y="1">\n\ttab\r`),
    );
    assert.equal(parsed.children[0]!.attributes.hostname, `<host&"'>`);
    assert.equal(
      unknown!.children[0]!.attributes.message,
      'unknown: nul\\x00 esc\\x1b[31m bell\\x07 lone\\ud800 ffff\\uffff',
    );
  });

  it('keeps a valid surrogate pair (a real character) intact', () => {
    assert.equal(escapeXml('pod 🚀'), 'pod 🚀');
  });
});
