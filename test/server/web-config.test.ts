import assert from 'node:assert/strict';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { parseWebConfig, WebConfigError } from '../../src/server/web-config.js';

const FILE = '/etc/scs-node-audit/web.yml';
const files: Record<string, string> = {
  '/etc/scs-node-audit/tls.crt': 'CERT PEM',
  '/etc/scs-node-audit/tls.key': 'KEY PEM',
  '/etc/scs-node-audit/ca.crt': 'CA PEM',
};
const readFile = (path: string, key: string): string => {
  const content = files[path.startsWith('/') ? path : `/etc/scs-node-audit/${path}`];
  if (content === undefined) throw new WebConfigError(FILE, key, `cannot read ${path}`);
  return content;
};
const parse = (text: string) => parseWebConfig(text, FILE, readFile);
const hash = bcrypt.hashSync('secret', 4);

function assertRejects(text: string, key: string, pattern?: RegExp): void {
  assert.throws(
    () => parse(text),
    (error: unknown) => {
      assert.ok(error instanceof WebConfigError, String(error));
      assert.equal(error.code, 'SCS_ERR_WEB_CONFIG');
      assert.equal(error.key, key);
      if (pattern !== undefined) assert.match(error.message, pattern);
      return true;
    },
  );
}

test('an empty file means plain HTTP without auth', () => {
  assert.deepEqual(parse(''), { tls: undefined, basicAuthUsers: new Map(), headers: {} });
});

test('the exporter-toolkit example shape: TLS files relative to the config, bcrypt users, headers', () => {
  const config = parse(`tls_server_config:
  cert_file: tls.crt
  key_file: tls.key
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS13
http_server_config:
  http2: true
  headers:
    X-Frame-Options: deny
basic_auth_users:
  prometheus: '${hash}'
`);
  assert.deepEqual(config.tls, {
    cert: 'CERT PEM',
    key: 'KEY PEM',
    clientCa: 'CA PEM',
    clientAuthType: 'RequireAndVerifyClientCert',
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
  });
  assert.equal(config.basicAuthUsers.get('prometheus'), hash);
  assert.deepEqual(config.headers, { 'X-Frame-Options': 'deny' });
});

test('defaults: TLS 1.2 minimum, no client certificates', () => {
  const config = parse('tls_server_config: {cert_file: tls.crt, key_file: tls.key}\n');
  assert.equal(config.tls?.minVersion, 'TLSv1.2');
  assert.equal(config.tls.clientAuthType, 'NoClientCert');
});

test('the legacy RequireClientCert spelling means RequireAnyClientCert', () => {
  assert.equal(
    parse('tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_auth_type: RequireClientCert}\n').tls
      ?.clientAuthType,
    'RequireAnyClientCert',
  );
});

test('unknown and unsupported keys are rejected by name, never ignored', () => {
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, certfile: x}\n',
    'tls_server_config.certfile',
    /unknown key/,
  );
  assertRejects('basic_auth_user: {a: b}\n', 'basic_auth_user');
  assertRejects('rate_limit: {interval: 1s, burst: 20}\n', 'rate_limit', /not supported/);
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, cipher_suites: [TLS_AES_128_GCM_SHA256]}\n',
    'tls_server_config.cipher_suites',
  );
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_auth_type: RequireAnyClientCert, client_allowed_sans: [a]}\n',
    'tls_server_config.client_allowed_sans',
  );
  assertRejects('http_server_config: {headers: {Server: nginx}}\n', 'http_server_config.headers.Server');
  assertRejects(
    'http_server_config: {headers: {X-Frame-Options: allow}}\n',
    'http_server_config.headers.X-Frame-Options',
  );
});

test('incomplete or contradictory TLS settings are rejected', () => {
  assertRejects('tls_server_config: {key_file: tls.key}\n', 'tls_server_config.cert_file', /missing/);
  assertRejects('tls_server_config: {cert_file: tls.crt}\n', 'tls_server_config.key_file', /missing/);
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_ca_file: ca.crt}\n',
    'tls_server_config.client_auth_type',
    /without a client auth policy/,
  );
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_auth_type: RequireAndVerifyClientCert}\n',
    'tls_server_config.client_ca_file',
    /required/,
  );
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_auth_type: Always}\n',
    'tls_server_config.client_auth_type',
    /unknown value/,
  );
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, min_version: TLS1.2}\n',
    'tls_server_config.min_version',
  );
  assertRejects(
    'tls_server_config: {cert_file: tls.crt, key_file: tls.key, min_version: TLS13, max_version: TLS12}\n',
    'tls_server_config.min_version',
    /above/,
  );
  assertRejects(
    'tls_server_config: {cert_file: missing.crt, key_file: tls.key}\n',
    'tls_server_config.cert_file',
    /cannot read/,
  );
  assertRejects(
    'tls_server_config: {cert: inline, cert_file: tls.crt, key_file: tls.key}\n',
    'tls_server_config.cert_file',
    /not both/,
  );
});

test('basic_auth_users must hold bcrypt hashes, and an error never echoes the value', () => {
  assertRejects('basic_auth_users: {alice: plaintext-password}\n', 'basic_auth_users.alice', /bcrypt/);
  assert.throws(
    () => parse('basic_auth_users: {alice: plaintext-password}\n'),
    (error: Error) => !error.message.includes('plaintext-password'),
  );
  assertRejects('basic_auth_users: {alice: 12}\n', 'basic_auth_users.alice');
  assertRejects('basic_auth_users: [alice]\n', 'basic_auth_users', /mapping/);
});

test('malformed YAML and alias bombs are rejected, not crashed on', () => {
  assertRejects('tls_server_config: {cert_file: [\n', '(file)', /YAML/);
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
    ),
  ].join('\n');
  assertRejects(bomb, '(file)');
  assertRejects('just a string\n', '(file)', /mapping/);
});

// Issue 9 item 9: a name Object.prototype has (`toString`, …) was looked up with `in` or a plain
// index, so a header named toString crashed start-up ("allowed.includes is not a function").
const PROTOTYPE_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
const TLS = 'cert_file: tls.crt, key_file: tls.key';
for (const name of PROTOTYPE_KEYS) {
  test(`prototype name ${name}: refused as a key at every level, and as a TLS version or client auth type`, () => {
    assertRejects(`${name}: 1\n`, name, /unknown key/);
    assertRejects(`tls_server_config: {${TLS}, ${name}: 1}\n`, `tls_server_config.${name}`, /unknown key/);
    assertRejects(`http_server_config: {${name}: 1}\n`, `http_server_config.${name}`, /unknown key/);
    assertRejects(
      `http_server_config: {headers: {${name}: deny}}\n`,
      `http_server_config.headers.${name}`,
      /cannot be configured/,
    );
    assertRejects(
      `tls_server_config: {${TLS}, min_version: ${name}}\n`,
      'tls_server_config.min_version',
      /unknown TLS version/,
    );
    assertRejects(
      `tls_server_config: {${TLS}, max_version: ${name}}\n`,
      'tls_server_config.max_version',
      /unknown TLS version/,
    );
    assertRejects(
      `tls_server_config: {${TLS}, client_auth_type: ${name}}\n`,
      'tls_server_config.client_auth_type',
      /unknown value/,
    );
  });

  test(`prototype name ${name}: a user of that name is just a user`, () => {
    const users = parse(`basic_auth_users: {${name}: '${hash}'}\n`).basicAuthUsers;
    assert.deepEqual([...users.keys()], [name]);
  });
}
