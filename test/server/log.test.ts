import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error', format: 'logfmt' | 'json') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format,
    write: (line) => lines.push(line),
    now: () => new Date('2026-11-29T10:00:00.000Z'),
  });
  return { logger, lines };
}

test('logfmt: one line per event, values quoted when they contain spaces, quotes or newlines', () => {
  const { logger, lines } = capture('info', 'logfmt');
  logger.info('check status changed', { check_id: 'kubelet-anonymous-auth', from: 'pass', to: 'fail' });
  logger.warn('odd', { err: 'line one\nline "two"', empty: '', missing: undefined, count: 3, ok: true });
  assert.deepEqual(lines, [
    'ts=2026-11-29T10:00:00.000Z level=info msg="check status changed" check_id=kubelet-anonymous-auth from=pass to=fail\n',
    'ts=2026-11-29T10:00:00.000Z level=warn msg=odd err="line one\\nline \\"two\\"" empty="" count=3 ok=true\n',
  ]);
});

test('json: one object per line with the same fields', () => {
  const { logger, lines } = capture('debug', 'json');
  logger.debug('audit finished', { compliant: false, duration_ms: 12.5, err: 'a\nb' });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.endsWith('\n') && !lines[0]!.slice(0, -1).includes('\n'));
  assert.deepEqual(JSON.parse(lines[0]!), {
    ts: '2026-11-29T10:00:00.000Z',
    level: 'debug',
    msg: 'audit finished',
    compliant: false,
    duration_ms: 12.5,
    err: 'a\nb',
  });
});

test('--log.level drops events below it', () => {
  const { logger, lines } = capture('warn', 'logfmt');
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  assert.deepEqual(
    lines.map((line) => line.split(' ')[1]),
    ['level=warn', 'level=error'],
  );
});

test('logfmt keys are sanitised so a field name cannot forge another field', () => {
  const { logger, lines } = capture('info', 'logfmt');
  logger.info('x', { 'a b=c': 'v' });
  assert.match(lines[0]!, / a_b_c=v\n$/);
});
