// `--web.config.file`: the Prometheus exporter-toolkit web configuration format
// (prometheus/exporter-toolkit:docs/web-configuration.md), so one file secures node_exporter
// and this daemon alike. Like the toolkit we read it strictly: an unknown key is an error, and
// so is a key we do not implement, because silently ignoring a security setting is worse.
import { dirname, resolve } from 'node:path';
import type { SecureVersion } from 'node:tls';
import bcrypt from 'bcryptjs';
import { readOperatorFile } from '../collect/files.js';
import { readYaml } from '../formats/yaml.js';

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

const TLS_VERSIONS: Record<string, SecureVersion> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

/** What the server needs: PEM material already read, users with bcrypt hashes. */
export interface WebConfig {
  tls: TlsSettings | undefined;
  /** user → bcrypt hash; empty means no basic auth. */
  basicAuthUsers: ReadonlyMap<string, string>;
  /** Extra response headers from `http_server_config.headers`. */
  headers: Readonly<Record<string, string>>;
}

export interface TlsSettings {
  cert: string;
  key: string;
  clientCa: string | undefined;
  clientAuthType: ClientAuthType;
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
}

export class WebConfigError extends Error {
  readonly code = 'SCS_ERR_WEB_CONFIG';
  constructor(
    readonly file: string,
    readonly key: string,
    problem: string,
  ) {
    super(`${file}: ${key}: ${problem}`);
    this.name = 'WebConfigError';
  }
}

const TOP_LEVEL_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users'];
const TLS_KEYS = [
  'cert',
  'key',
  'client_ca',
  'cert_file',
  'key_file',
  'client_ca_file',
  'client_auth_type',
  'min_version',
  'max_version',
];
// Known to the toolkit but not implemented here; rejected by name rather than ignored.
const UNSUPPORTED_KEYS: Record<string, string> = {
  rate_limit: 'rate limiting is not supported by scs-node-audit; remove it or put a proxy in front',
  'tls_server_config.cipher_suites': 'Go cipher suite names are not supported; Node.js uses OpenSSL defaults',
  'tls_server_config.curve_preferences': 'not supported; Node.js uses OpenSSL defaults',
  'tls_server_config.prefer_server_cipher_suites': 'not supported',
  'tls_server_config.client_allowed_sans': 'not supported; use a client CA that issues only to allowed clients',
};
// The toolkit accepts these header names and, where listed, only these values.
const ALLOWED_HEADERS: Record<string, string[] | undefined> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

/** Reads and validates the file, and the certificate files it names (relative to its directory). */
export function readWebConfig(file: string): WebConfig {
  const text = readTextFile(file, file, '(file)');
  return parseWebConfig(text, file, (path, key) => readTextFile(resolve(dirname(file), path), file, key));
}

// The one bounded, non-blocking reader of operator files: a FIFO here froze start-up and SIGHUP,
// and `cert_file: /dev/zero` grew the daemon to gigabytes.
function readTextFile(path: string, configFile: string, key: string): string {
  const read = readOperatorFile(path);
  if (!read.ok) throw new WebConfigError(configFile, key, `cannot read ${path}: ${read.reason}`);
  return read.text;
}

/** Pure: text → WebConfig; `readFile(path, key)` supplies the files named by `*_file` keys. */
export function parseWebConfig(text: string, file: string, readFile: (path: string, key: string) => string): WebConfig {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 10 });
  if (!read.ok) throw new WebConfigError(file, '(file)', read.problem);
  const root = read.value;
  if (root === null || root === undefined) return { tls: undefined, basicAuthUsers: new Map(), headers: {} };
  const top = expectMapping(root, file, '(file)');
  rejectUnknownKeys(top, TOP_LEVEL_KEYS, file, '');

  return {
    tls:
      top.tls_server_config === undefined || top.tls_server_config === null
        ? undefined
        : parseTls(expectMapping(top.tls_server_config, file, 'tls_server_config'), file, readFile),
    basicAuthUsers: parseUsers(top.basic_auth_users, file),
    headers: parseHttpServerConfig(top.http_server_config, file),
  };
}

function parseTls(
  tls: Record<string, unknown>,
  file: string,
  readFile: (path: string, key: string) => string,
): TlsSettings {
  rejectUnknownKeys(tls, TLS_KEYS, file, 'tls_server_config.');
  const key = (name: string) => `tls_server_config.${name}`;
  const material = (inline: string, path: string): string | undefined => {
    const inlineValue = optionalString(tls[inline], file, key(inline));
    const pathValue = optionalString(tls[path], file, key(path));
    if (inlineValue !== undefined && pathValue !== undefined)
      throw new WebConfigError(file, key(path), `set either ${inline} or ${path}, not both`);
    return pathValue !== undefined ? readFile(pathValue, key(path)) : inlineValue;
  };

  const cert = material('cert', 'cert_file');
  const privateKey = material('key', 'key_file');
  if (cert === undefined) throw new WebConfigError(file, key('cert_file'), 'missing one of cert or cert_file');
  if (privateKey === undefined) throw new WebConfigError(file, key('key_file'), 'missing one of key or key_file');
  const clientCa = material('client_ca', 'client_ca_file');

  const clientAuthType = optionalString(tls.client_auth_type, file, key('client_auth_type')) ?? 'NoClientCert';
  // The toolkit's legacy spelling of RequireAnyClientCert.
  const normalisedAuthType = clientAuthType === 'RequireClientCert' ? 'RequireAnyClientCert' : clientAuthType;
  if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(normalisedAuthType)) {
    throw new WebConfigError(
      file,
      key('client_auth_type'),
      `unknown value ${JSON.stringify(clientAuthType)}, expected one of ${CLIENT_AUTH_TYPES.join(', ')}`,
    );
  }
  const authType = normalisedAuthType as ClientAuthType;
  if (clientCa !== undefined && authType === 'NoClientCert') {
    throw new WebConfigError(file, key('client_auth_type'), 'client CA configured without a client auth policy');
  }
  // Go would fall back to the system roots here; a node exporter trusting every public CA
  // for client authentication is never what an operator means, so we refuse.
  if (clientCa === undefined && (authType === 'VerifyClientCertIfGiven' || authType === 'RequireAndVerifyClientCert')) {
    throw new WebConfigError(file, key('client_ca_file'), `required when client_auth_type is ${authType}`);
  }

  const minVersion = tlsVersion(tls.min_version, 'TLS12', file, key('min_version'));
  const maxVersion = tlsVersion(tls.max_version, 'TLS13', file, key('max_version'));
  const order = Object.values(TLS_VERSIONS);
  if (order.indexOf(minVersion) > order.indexOf(maxVersion)) {
    throw new WebConfigError(file, key('min_version'), 'is above max_version');
  }
  return { cert, key: privateKey, clientCa, clientAuthType: authType, minVersion, maxVersion };
}

function tlsVersion(value: unknown, fallback: string, file: string, key: string): SecureVersion {
  const name = optionalString(value, file, key) ?? fallback;
  const version = Object.hasOwn(TLS_VERSIONS, name) ? TLS_VERSIONS[name] : undefined;
  if (version === undefined)
    throw new WebConfigError(
      file,
      key,
      `unknown TLS version ${JSON.stringify(name)}, expected one of ${Object.keys(TLS_VERSIONS).join(', ')}`,
    );
  return version;
}

function parseUsers(value: unknown, file: string): ReadonlyMap<string, string> {
  if (value === undefined || value === null) return new Map();
  const users = expectMapping(value, file, 'basic_auth_users');
  const result = new Map<string, string>();
  for (const [user, hash] of Object.entries(users)) {
    const key = `basic_auth_users.${user}`;
    if (typeof hash !== 'string') throw new WebConfigError(file, key, 'must be a bcrypt hash string');
    // Never echo the hash: it is a secret.
    if (!isBcryptHash(hash)) throw new WebConfigError(file, key, 'is not a bcrypt hash ($2a$, $2b$ or $2y$)');
    result.set(user, hash);
  }
  return result;
}

export function isBcryptHash(hash: string): boolean {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  const rounds = bcrypt.getRounds(hash);
  return rounds >= 4 && rounds <= 31;
}

function parseHttpServerConfig(value: unknown, file: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const config = expectMapping(value, file, 'http_server_config');
  rejectUnknownKeys(config, ['http2', 'headers'], file, 'http_server_config.');
  // http2 is accepted for compatibility with shared files; this server speaks HTTP/1.1.
  if (config.http2 !== undefined && typeof config.http2 !== 'boolean')
    throw new WebConfigError(file, 'http_server_config.http2', 'must be a boolean');
  if (config.headers === undefined || config.headers === null) return {};
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(expectMapping(config.headers, file, 'http_server_config.headers'))) {
    const key = `http_server_config.headers.${name}`;
    // Own keys only: `toString` is `in` every object and would find Object.prototype's function.
    if (!Object.hasOwn(ALLOWED_HEADERS, name)) throw new WebConfigError(file, key, 'this header cannot be configured');
    if (typeof headerValue !== 'string' || /[\r\n]/.test(headerValue))
      throw new WebConfigError(file, key, 'must be a one-line string');
    const allowed = ALLOWED_HEADERS[name];
    if (allowed !== undefined && !allowed.includes(headerValue))
      throw new WebConfigError(file, key, `must be one of ${allowed.join(', ')}`);
    if (headerValue !== '') headers[name] = headerValue;
  }
  return headers;
}

function expectMapping(value: unknown, file: string, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WebConfigError(file, key, 'must be a mapping');
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, file: string, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new WebConfigError(file, key, 'must be a string');
  return value;
}

function rejectUnknownKeys(mapping: Record<string, unknown>, known: string[], file: string, prefix: string): void {
  for (const name of Object.keys(mapping)) {
    const key = `${prefix}${name}`;
    const unsupported = Object.hasOwn(UNSUPPORTED_KEYS, key) ? UNSUPPORTED_KEYS[key] : undefined;
    if (unsupported !== undefined) throw new WebConfigError(file, key, unsupported);
    if (!known.includes(name)) throw new WebConfigError(file, key, 'unknown key');
  }
}
