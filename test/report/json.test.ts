import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJson } from '../../src/report/json.js';
import { MIXED_CHECKS, REPORT_KEYS, sampleReport } from '../support/sample-report.js';

describe('renderJson', () => {
  it('emits DESIGN §4 keys in order, 2-space indented, newline-terminated', () => {
    const text = renderJson(sampleReport(MIXED_CHECKS));
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^\{\n {2}"schemaVersion": 1,\n {2}"tool": \{\n {4}"name": "scs-node-audit"/);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), REPORT_KEYS);
    const checks = doc.checks as Record<string, unknown>[];
    assert.deepEqual(Object.keys(checks[0]!), [
      'id',
      'title',
      'level',
      'component',
      'status',
      'message',
      'evidence',
      'remediation',
    ]);
    assert.deepEqual(Object.keys(doc.summary as object), [
      'pass',
      'fail',
      'skip',
      'unknown',
      'error',
      'compliant',
      'waived',
    ]);
    assert.deepEqual(Object.keys((doc.components as object[])[0]!), ['name', 'pid', 'version', 'source', 'origin']);
  });

  it('drops properties outside the schema (a Finding carries messageId)', () => {
    const withExtra = MIXED_CHECKS.map((c) => ({ ...c, messageId: 'internal', secret: 'x' }));
    const doc = JSON.parse(renderJson(sampleReport(withExtra))) as { checks: Record<string, unknown>[] };
    for (const check of doc.checks) assert.ok(!('messageId' in check) && !('secret' in check));
  });

  it('keeps a null version (unknown) as null, not a string', () => {
    const doc = JSON.parse(renderJson(sampleReport([]))) as { components: { version: unknown }[] };
    assert.equal(doc.components[1]!.version, null);
  });
});
