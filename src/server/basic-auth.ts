// HTTP basic auth against the bcrypt hashes of the web config (`basic_auth_users`).
import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Resolves true when the Authorization header names a configured user with the right password. */
export type BasicAuthVerifier = (authorization: string | undefined) => Promise<boolean>;

// bcrypt only reads the first 72 bytes; a longer password would match a prefix, so it never matches.
const BCRYPT_MAX_PASSWORD_BYTES = 72;
const CACHE_ENTRIES = 256;

/**
 * A verifier over `users()` (read per request, so a reloaded web config takes effect).
 * bcrypt in pure JS costs ~100 ms at cost 10, and Prometheus sends the same credentials on every
 * scrape, so results are cached under an HMAC with a per-process random key: the cache holds
 * no password and no hash, and an entry is only found with the same user, password and hash.
 */
export function createBasicAuthVerifier(users: () => ReadonlyMap<string, string>): BasicAuthVerifier {
  const cacheKey = randomBytes(32);
  const cache = new Map<string, boolean>();

  return async (authorization) => {
    const credentials = parseBasicAuthorization(authorization);
    if (credentials === undefined) return false;
    const table = users();
    const configured = table.get(credentials.user);
    // An unknown user is checked against a real hash anyway, so the response time does not
    // tell which user names exist (the same defence as the exporter-toolkit's fixed hash).
    const hash = configured ?? table.values().next().value;
    if (hash === undefined) return false;
    if (Buffer.byteLength(credentials.password) > BCRYPT_MAX_PASSWORD_BYTES) return false;

    const key = createHmac('sha256', cacheKey).update(`${credentials.user}\0${hash}\0${credentials.password}`).digest('base64');
    let matches = cache.get(key);
    if (matches === undefined) {
      // bcryptjs compares the computed and stored hashes in constant time.
      matches = await bcrypt.compare(credentials.password, hash);
      if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(key, matches);
    }
    return matches && configured !== undefined;
  };
}

export function parseBasicAuthorization(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

