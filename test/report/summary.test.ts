import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compliance, isCompliant, summarize, summaryLine } from '../../src/report/summary.js';
import { MIXED_CHECKS } from '../support/sample-report.js';

const KUBERNETES = { kubernetes: true, notJudged: 0 };

describe('summarize', () => {
  it('counts every status', () => {
    assert.deepEqual(summarize(MIXED_CHECKS, KUBERNETES), {
      pass: 1,
      fail: 1,
      skip: 1,
      unknown: 1,
      error: 1,
      compliant: false,
      waived: 0,
    });
    assert.deepEqual(summarize([], KUBERNETES), {
      pass: 0,
      fail: 0,
      skip: 0,
      unknown: 0,
      error: 0,
      compliant: true,
      waived: 0,
    });
  });

  it('compliant is null where no Kubernetes runs, false while a running component was not judged', () => {
    const passing = [{ level: 'MUST', status: 'pass' }] as const;
    assert.equal(compliance(passing, { kubernetes: false, notJudged: 0 }), null);
    assert.equal(compliance([], { kubernetes: false, notJudged: 0 }), null);
    assert.equal(compliance(passing, { kubernetes: true, notJudged: 1 }), false);
    assert.equal(compliance(passing, KUBERNETES), true);
    assert.equal(
      summaryLine(summarize([], { kubernetes: false, notJudged: 0 })),
      '0 passed, 0 failed, 0 unknown, 0 skipped, 0 errors — not a Kubernetes node',
    );
  });

  const cases = [
    { name: 'MUST fail', level: 'MUST', status: 'fail', compliant: false },
    { name: 'MUST error (no verdict is not a pass)', level: 'MUST', status: 'error', compliant: false },
    { name: 'MUST unknown', level: 'MUST', status: 'unknown', compliant: true },
    { name: 'MUST skip', level: 'MUST', status: 'skip', compliant: true },
    { name: 'SHOULD fail', level: 'SHOULD', status: 'fail', compliant: true },
    { name: 'RECOMMENDED error', level: 'RECOMMENDED', status: 'error', compliant: true },
  ] as const;
  for (const c of cases) {
    it(`compliant: ${c.name} → ${c.compliant}`, () => {
      assert.equal(
        isCompliant([
          { level: c.level, status: c.status },
          { level: 'MUST', status: 'pass' },
        ]),
        c.compliant,
      );
    });
  }

  it('renders the closing line', () => {
    assert.equal(
      summaryLine(summarize(MIXED_CHECKS, KUBERNETES)),
      '1 passed, 1 failed, 1 unknown, 1 skipped, 1 errors — NOT compliant',
    );
  });
});
