import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributionReadme } from '../scripts/distribution-table.js';

test('the README table of default-install verdicts per distribution is generated from the fixtures and current', () => {
  const readme = distributionReadme();
  assert.equal(
    readme.current,
    readme.expected,
    'run `node --import tsx scripts/distribution-table.ts` and commit the result',
  );
});
