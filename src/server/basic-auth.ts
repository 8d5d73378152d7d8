// HTTP basic auth against the bcrypt hashes of the web config (`basic_auth_users`).
import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * `allowed`: a configured user with the right password; `denied`: anything else; `busy`: the hash
 * checks are all taken, so this request was not checked at all (the server answers 429).
 */
export type BasicAuthVerdict = 'allowed' | 'denied' | 'busy';
export type BasicAuthVerifier = (authorization: string | undefined) => Promise<BasicAuthVerdict>;

// bcrypt only reads the first 72 bytes; a longer password would match a prefix, so it never matches.
const BCRYPT_MAX_PASSWORD_BYTES = 72;
const CACHE_ENTRIES = 256;

/**
 * How many bcrypt checks run at once and how many may wait for one. One at a time, as the
 * exporter-toolkit does (prometheus/exporter-toolkit:web/handler.go, bcryptMtx). bcryptjs is pure
 * JavaScript on the event loop (it yields after each 100 ms of work), so each running check
 * delays every response; a cost-10 check takes ~100 ms, so 1 + 8 bounds the wait of a checked
 * request to about a second. The toolkit's waiters queue without bound; ours get 429 at once.
 */
export const MAX_RUNNING_HASH_CHECKS = 1;
export const MAX_WAITING_HASH_CHECKS = 8;

/**
 * A verifier over `users()` (read per request, so a reloaded web config takes effect).
 * Prometheus sends the same credentials on every scrape, so checks are cached by user, hash and
 * password as in the exporter-toolkit (web/handler.go), here under an HMAC with a per-process
 * random key: the cache holds no password and no hash. Unlike the toolkit only successes are
 * cached: a stream of wrong passwords could otherwise push the scraper's entry out, and a cached
 * scrape never waits for a hash check, however many wrong passwords are being tried.
 */
export function createBasicAuthVerifier(users: () => ReadonlyMap<string, string>): BasicAuthVerifier {
  const cacheKey = randomBytes(32);
  const cache = new Set<string>();
  const checks = createCheckSlots(MAX_RUNNING_HASH_CHECKS, MAX_WAITING_HASH_CHECKS);

  return async (authorization) => {
    const credentials = parseBasicAuthorization(authorization);
    if (credentials === undefined) return 'denied';
    const table = users();
    const configured = table.get(credentials.user);
    // An unknown user is checked against a real hash anyway, so the response time does not
    // tell which user names exist (the same defence as the exporter-toolkit's fixed hash).
    const hash = configured ?? table.values().next().value;
    if (hash === undefined) return 'denied';
    if (Buffer.byteLength(credentials.password) > BCRYPT_MAX_PASSWORD_BYTES) return 'denied';

    const key = createHmac('sha256', cacheKey)
      .update(`${credentials.user}\0${hash}\0${credentials.password}`)
      .digest('base64');
    if (configured !== undefined && cache.has(key)) return 'allowed';
    // bcryptjs compares the computed and stored hashes in constant time.
    const matches = await checks.run(() => bcrypt.compare(credentials.password, hash));
    if (matches === BUSY) return 'busy';
    if (!matches || configured === undefined) return 'denied';
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.values().next().value!);
    cache.add(key);
    return 'allowed';
  };
}

const BUSY = Symbol('busy');

/** At most `running` tasks at once, at most `waiting` queued behind them; others get BUSY at once. */
function createCheckSlots(running: number, waiting: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T | typeof BUSY> {
      if (active >= running) {
        if (queue.length >= waiting) return BUSY;
        await new Promise<void>((resolve) => queue.push(resolve));
      } else {
        active += 1;
      }
      try {
        return await task();
      } finally {
        // Hand the slot straight to the next waiter, or free it.
        const next = queue.shift();
        if (next === undefined) active -= 1;
        else next();
      }
    },
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
