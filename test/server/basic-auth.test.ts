import assert from 'node:assert/strict';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { createBasicAuthVerifier, parseBasicAuthorization } from '../../src/server/basic-auth.js';

const users = new Map([['prometheus', bcrypt.hashSync('s3cret pass:word', 4)]]);
const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('right credentials pass; wrong password, unknown user and missing header do not', async () => {
  const verify = createBasicAuthVerifier(() => users);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), true);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), true, 'cached answer is the same');
  assert.equal(await verify(header('prometheus', 'wrong')), false);
  assert.equal(await verify(header('admin', 's3cret pass:word')), false);
  assert.equal(await verify(undefined), false);
  assert.equal(await verify('Bearer abc'), false);
  assert.equal(await verify('Basic !!!'), false);
});

test('$2y$ hashes (htpasswd -B) verify like $2b$', async () => {
  const verify = createBasicAuthVerifier(() => new Map([['alice', bcrypt.hashSync('pw', 4).replace(/^\$2b\$/, '$2y$')]]));
  assert.equal(await verify(header('alice', 'pw')), true);
});

test('passwords past bcrypt\'s 72 bytes never match a hash of their prefix', async () => {
  const long = 'x'.repeat(80);
  const verify = createBasicAuthVerifier(() => new Map([['alice', bcrypt.hashSync(long.slice(0, 72), 4)]]));
  assert.equal(await verify(header('alice', long.slice(0, 72))), true);
  assert.equal(await verify(header('alice', long)), false);
});

test('a reloaded user table takes effect on the next request', async () => {
  let table = users;
  const verify = createBasicAuthVerifier(() => table);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), true);
  table = new Map([['prometheus', bcrypt.hashSync('rotated', 4)]]);
  assert.equal(await verify(header('prometheus', 's3cret pass:word')), false);
  assert.equal(await verify(header('prometheus', 'rotated')), true);
});

test('the header parser splits at the first colon (passwords may contain colons)', () => {
  assert.deepEqual(parseBasicAuthorization(header('u', 'a:b')), { user: 'u', password: 'a:b' });
  assert.deepEqual(parseBasicAuthorization(`basic   ${Buffer.from('u:p').toString('base64')}`), { user: 'u', password: 'p' });
  assert.equal(parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
});
