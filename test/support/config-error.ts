// The ConfigError a config or flag problem throws, for tests that assert its code and key.
import assert from 'node:assert/strict';
import type { ConfigError } from '../../src/config.js';

export function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    return error as ConfigError;
  }
  assert.fail('expected a ConfigError');
}
