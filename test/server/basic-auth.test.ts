import assert from 'node:assert/strict';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import {
  createBasicAuthVerifier,
  MAX_RUNNING_HASH_CHECKS,
  MAX_WAITING_HASH_CHECKS,
  parseBasicAuthorization,
} from '../../src/server/basic-auth.js';

const users = new Map([['prometheus', bcrypt.hashSync('s3cret pass:word', 4)]]);
const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('right credentials pass; wrong password, unknown user and missing header do not', async () => {
  const verify = createBasicAuthVerifier(() => users);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed');
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed', 'cached answer is the same');
  assert.equal(await verify(header('prometheus', 'wrong')), 'denied');
  assert.equal(await verify(header('admin', 's3cret pass:word')), 'denied');
  assert.equal(await verify(undefined), 'denied');
  assert.equal(await verify('Bearer abc'), 'denied');
  assert.equal(await verify('Basic !!!'), 'denied');
});

test('$2y$ hashes (htpasswd -B) verify like $2b$', async () => {
  const verify = createBasicAuthVerifier(
    () => new Map([['alice', bcrypt.hashSync('pw', 4).replace(/^\$2b\$/, '$2y$')]]),
  );
  assert.equal(await verify(header('alice', 'pw')), 'allowed');
});

test("passwords past bcrypt's 72 bytes never match a hash of their prefix", async () => {
  const long = 'x'.repeat(80);
  const verify = createBasicAuthVerifier(() => new Map([['alice', bcrypt.hashSync(long.slice(0, 72), 4)]]));
  assert.equal(await verify(header('alice', long.slice(0, 72))), 'allowed');
  assert.equal(await verify(header('alice', long)), 'denied');
});

test('a reloaded user table takes effect on the next request', async () => {
  let table = users;
  const verify = createBasicAuthVerifier(() => table);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed');
  table = new Map([['prometheus', bcrypt.hashSync('rotated', 4)]]);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'denied');
  assert.equal(await verify(header('prometheus', 'rotated')), 'allowed');
});

test('the header parser splits at the first colon (passwords may contain colons)', () => {
  assert.deepEqual(parseBasicAuthorization(header('u', 'a:b')), { user: 'u', password: 'a:b' });
  assert.deepEqual(parseBasicAuthorization(`basic   ${Buffer.from('u:p').toString('base64')}`), {
    user: 'u',
    password: 'p',
  });
  assert.equal(parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
});

test('a flood of wrong passwords: checks beyond the bound are "busy" at once, a cached right one is allowed at once', async () => {
  const verify = createBasicAuthVerifier(() => users);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed');
  const flood = Array.from({ length: 40 }, (_, i) => verify(header('prometheus', `guess-${i}`)));
  // Asked while the flood holds every check slot: answered from the cache, not queued.
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed');
  const verdicts = await Promise.all(flood);
  assert.equal(
    verdicts.filter((v) => v === 'denied').length,
    MAX_RUNNING_HASH_CHECKS + MAX_WAITING_HASH_CHECKS,
    'checked ones are denied',
  );
  assert.equal(verdicts.filter((v) => v === 'busy').length, 40 - MAX_RUNNING_HASH_CHECKS - MAX_WAITING_HASH_CHECKS);
});

test('wrong passwords do not push the right one out of the cache', async () => {
  const verify = createBasicAuthVerifier(() => users);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), 'allowed');
  // One at a time, so none is "busy": more distinct wrong passwords than the cache holds.
  for (let i = 0; i < 300; i += 1) assert.equal(await verify(header('prometheus', `guess-${i}`)), 'denied');
  let answered: string | undefined;
  const right = verify(header('prometheus', 's3cret pass:word')).then((v) => (answered = v));
  // Cached: decided without a bcrypt check, before any timer or I/O callback could run one.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(answered, 'allowed');
  await right;
});
