// Parsers and validators of single config values (durations, CIDRs, listen addresses, dates,
// URLs): pure functions, text in, a value or the reason it is wrong out.
import { MIN_INTERVAL_MS } from '../server/audit-loop.js';
import { MIN_PUBLIC_DECLARED_PREFIX, parseCidr, publicAddressIn, unmapCidr } from '../resolve/network.js';
import { MAX_INTERVAL_MS } from './settings.js';

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go `time.ParseDuration` syntax (`60s`, `5m`, `1m30s`, `1.5h`), in milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(amount) * DURATION_UNITS_MS[unit!]!;
  return total;
}

/**
 * node:net's isIP, loaded when an address is validated: node:net costs ~20 ms to load, and most
 * runs (the defaults, `--once`) validate no address.
 */
function isIP(text: string): number {
  return process.getBuiltinModule('node:net').isIP(text);
}

/** Why `text` is not a CIDR, or undefined when it is one (`10.0.0.0/8`, `fd00::/8`). */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return 'needs a prefix length, e.g. 10.0.0.0/8';
  const family = isIP(text.slice(0, slash));
  if (family === 0) return `"${text.slice(0, slash)}" is not an IP address`;
  const prefix = text.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0–${max}`;
  return undefined;
}

/** Why `text` is not `ADDR:PORT`, or undefined (`127.0.0.1:20217`, `[::1]:20217`, `localhost:20217`, `:20217` for every interface). */
export function listenProblem(text: string): string | undefined {
  const match = /^(\[([^\]]*)\]|[^:[\]]*):(\d{1,5})$/.exec(text);
  if (!match) return 'must be ADDR:PORT, e.g. 127.0.0.1:20217 or [::1]:20217';
  const [, host, bracketed, port] = match;
  // Port 0 (the kernel picks a free one) is for tests; it is never a useful default.
  if (Number(port) > 65535) return 'port must be 0–65535';
  if (bracketed !== undefined) return isIP(bracketed) === 6 ? undefined : `"${bracketed}" is not an IPv6 address`;
  if (host === '' || isIP(host!) === 4) return undefined;
  return /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host!)
    ? undefined
    : `"${host!}" is not an address or host name`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `text` is not a calendar date `YYYY-MM-DD` (2027-02-30 is not one), or undefined. */
export function dateProblem(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return `"${text}" is not a date YYYY-MM-DD`;
  const date = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    return `"${text}" is not a calendar date`;
  return undefined;
}

/** Why `text` is not an http(s) URL we can fetch, or undefined. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${text}" must be an http:// or https:// URL`;
  // Credentials in the URL would end up in logs and notes.
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  return undefined;
}

/** Why a valid CIDR may not stand under its key: a public range in internalCIDRs, or the Internet itself in either. */
export function cidrScopeProblem(text: string, scope: 'internal' | 'public'): string | undefined {
  const parsed = parseCidr(text);
  if (parsed === undefined) return 'is not a CIDR';
  const cidr = unmapCidr(parsed);
  const publicAddress = publicAddressIn(cidr);
  if (publicAddress === undefined) return undefined;
  if (scope === 'internal') {
    return `covers public addresses (e.g. ${publicAddress}); internalCIDRs takes only private (RFC 1918, RFC 6598 100.64.0.0/10, RFC 4193 fc00::/7), loopback and link-local ranges. A public range firewalled from the Internet goes under network.publicCIDRsDeclaredInternal`;
  }
  const minimum = MIN_PUBLIC_DECLARED_PREFIX[cidr.network.family];
  if (cidr.prefixLength < minimum)
    return `is shorter than /${minimum}: it declares a good part of the Internet internal`;
  return undefined;
}

export function durationProblem(text: string, minMs = MIN_INTERVAL_MS): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return `"${text}" is not a duration (use Go syntax: 30s, 5m, 1h30m)`;
  if (ms < minMs) return `"${text}" is shorter than the minimum ${minMs === MIN_INTERVAL_MS ? '5s' : `${minMs}ms`}`;
  if (ms > MAX_INTERVAL_MS) return `"${text}" is longer than the maximum 24h`;
  return undefined;
}

/** How a wrong value reads in an error message: its kind, and the value itself when short. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects, lists and null returned above; a number or boolean prints as itself
  return `${typeof value} ${String(value)}`;
}
