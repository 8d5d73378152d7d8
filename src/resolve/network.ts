// Address classification for network exposure: which bind addresses a component listens on,
// and whether those are loopback, internal or public. Pure functions over text, no DNS.

/** How far an address reaches. `wildcard` means "every address of the host". */
export type AddressClass = 'wildcard' | 'loopback' | 'link-local' | 'private' | 'public';

export interface IpAddress {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: number[];
}

export interface Cidr {
  text: string;
  network: IpAddress;
  prefixLength: number;
}

/** Parse an IPv4 or IPv6 literal (`[::1]`, `fe80::1%eth0` accepted); IPv4-mapped IPv6 stays IPv6 here. */
export function parseIp(text: string): IpAddress | undefined {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone !== -1) t = t.slice(0, zone);
  if (t.includes(':')) return parseIpv6(t);
  const v4 = parseIpv4(t);
  return v4 && { family: 4, bytes: v4 };
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    // Go's net.ParseIP rejects leading zeros ("010.0.0.1"), which some parsers read as octal.
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): IpAddress | undefined {
  let head = text;
  let tail: number[] = [];
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) supplies the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const explicit = left.length + right.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...left, ...tail];
  }
  return { family: 6, bytes: groups.flatMap((g) => [g >> 8, g & 0xff]) };
}

/** `::ffff:a.b.c.d` is the IPv4 address a.b.c.d as a dual-stack socket sees it. */
export function unmapIpv4(ip: IpAddress): IpAddress {
  if (
    ip.family === 6 &&
    ip.bytes.slice(0, 10).every((b) => b === 0) &&
    ip.bytes[10] === 0xff &&
    ip.bytes[11] === 0xff
  ) {
    return { family: 4, bytes: ip.bytes.slice(12) };
  }
  return ip;
}

function inPrefix(ip: IpAddress, network: IpAddress, prefixLength: number): boolean {
  if (ip.family !== network.family) return false;
  for (let bit = 0; bit < prefixLength; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((ip.bytes[byte]! & mask) !== (network.bytes[byte]! & mask)) return false;
  }
  return true;
}

function prefix(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad built-in prefix ${text}`);
  return c;
}

// Ranges that are not reachable from the Internet by design. Chosen deliberately:
// - RFC 1918 and RFC 6598 (CGNAT, 100.64.0.0/10: providers use it inside their networks) and
//   RFC 4193 ULAs (fc00::/7) are internal.
// - The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are NOT
//   treated as internal: nothing routes them, but no operator's network owns them either, and
//   examples use them to stand for public addresses. Treating them as public means a copied
//   example config fails loudly instead of passing quietly; a real host never carries them.
const LOOPBACK = [prefix('127.0.0.0/8'), prefix('::1/128')];
const LINK_LOCAL = [prefix('169.254.0.0/16'), prefix('fe80::/10')];
const PRIVATE = [
  prefix('10.0.0.0/8'),
  prefix('172.16.0.0/12'),
  prefix('192.168.0.0/16'),
  prefix('100.64.0.0/10'),
  prefix('fc00::/7'),
];

/**
 * Classify a bind or host address. `localhost` is loopback (components resolve it to 127.0.0.1/::1);
 * an empty host (`:10249`) and the unspecified addresses are wildcards. Anything unparsable is
 * `undefined`, so the caller cannot mistake it for something harmless.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  const t = text.trim();
  if (t === '' || t === '*') return 'wildcard';
  if (t.toLowerCase() === 'localhost') return 'loopback';
  const parsed = parseIp(t);
  if (!parsed) return undefined;
  const ip = unmapIpv4(parsed);
  if (ip.bytes.every((b) => b === 0)) return 'wildcard';
  if (LOOPBACK.some((c) => inPrefix(ip, c.network, c.prefixLength))) return 'loopback';
  if (LINK_LOCAL.some((c) => inPrefix(ip, c.network, c.prefixLength))) return 'link-local';
  if (PRIVATE.some((c) => inPrefix(ip, c.network, c.prefixLength))) return 'private';
  return 'public';
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128), as Go's ParseCIDR; host bits are masked. */
export function parseCidr(text: string): Cidr | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const ip = parseIp(slash === -1 ? t : t.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const lengthText = slash === -1 ? String(max) : t.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > max) return undefined;
  return { text: t, network: ip, prefixLength };
}

// ---- which declared ranges may count as internal -----------------------------------------------

/**
 * The shortest prefixes `network.publicCIDRsDeclaredInternal` accepts. The largest networks one
 * organisation holds are IPv4 /8s (legacy class A assignments) and IPv6 allocations of about /19
 * (RIRs themselves get /12s from IANA); a shorter prefix declares a good part of the Internet
 * internal, which no firewall in front of a node can make true.
 */
export const MIN_PUBLIC_DECLARED_PREFIX = { 4: 8, 6: 16 } as const;

function lastAddress(network: IpAddress, prefixLength: number): number[] {
  return network.bytes.map((byte, index) => {
    const bitsInByte = Math.min(8, Math.max(0, prefixLength - index * 8));
    return byte | (0xff >> bitsInByte);
  });
}

/** `bytes` ± 1 with carry, or undefined past either end of the address space. */
function step(bytes: readonly number[], delta: 1 | -1): number[] | undefined {
  const out = [...bytes];
  for (let i = out.length - 1; i >= 0; i--) {
    const next = out[i]! + delta;
    if (next >= 0 && next <= 255) {
      out[i] = next;
      return out;
    }
    out[i] = delta === 1 ? 0 : 255;
  }
  return undefined;
}

function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return groups
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/:{3,}/, '::');
}

/** A CIDR inside `::ffff:0:0/96` as the IPv4 CIDR it stands for; any other CIDR unchanged. */
export function unmapCidr(cidr: Cidr): Cidr {
  if (cidr.network.family !== 6 || cidr.prefixLength < 96) return cidr;
  const v4 = unmapIpv4(cidr.network);
  return v4.family === 4 ? { text: cidr.text, network: v4, prefixLength: cidr.prefixLength - 96 } : cidr;
}

/**
 * A public address inside `cidr`, or undefined when every address in it is loopback, link-local,
 * private (RFC 1918, RFC 6598 shared space, RFC 4193 unique local) or the unspecified address:
 * the ranges `classifyAddress` does not call public. Documentation, benchmarking and reserved
 * ranges of the RFC 6890 special-purpose registries belong to no operator and count as public
 * there, so they do here.
 */
export function publicAddressIn(declared: Cidr): string | undefined {
  const cidr = unmapCidr(declared);
  const { family } = cidr.network;
  const inside = (bytes: number[] | undefined): bytes is number[] =>
    bytes !== undefined && inPrefix({ family, bytes }, cidr.network, cidr.prefixLength);
  const nonPublic = [...LOOPBACK, ...LINK_LOCAL, ...PRIVATE].filter((c) => c.network.family === family);
  if (nonPublic.some((c) => cidr.prefixLength >= c.prefixLength && inPrefix(cidr.network, c.network, c.prefixLength)))
    return undefined;
  // CIDRs nest or are disjoint. Disjoint from every non-public range: its first or last address
  // is public. Around one: it holds an address right before or after that range, and those
  // neighbours are all public.
  const candidates = [cidr.network.bytes, lastAddress(cidr.network, cidr.prefixLength)];
  for (const c of nonPublic)
    candidates.push(step(c.network.bytes, -1) ?? [], step(lastAddress(c.network, c.prefixLength), 1) ?? []);
  for (const bytes of candidates) {
    if (bytes.length === 0 || !inside(bytes)) continue;
    const text = formatIp({ family, bytes });
    if (classifyAddress(text) === 'public') return text;
  }
  return undefined;
}

/** Whether `address` lies in `cidr`; IPv4-mapped IPv6 addresses match IPv4 CIDRs. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const parsed = parseIp(address);
  if (!parsed) return false;
  const ip = cidr.network.family === 4 ? unmapIpv4(parsed) : parsed;
  return inPrefix(ip, cidr.network, cidr.prefixLength);
}

export function inAnyCidr(address: string, cidrs: readonly Cidr[]): boolean {
  return cidrs.some((c) => cidrContains(c, address));
}

/** Parse the operator's CIDR list; entries that do not parse are returned separately, never matched. */
export function parseCidrs(texts: readonly string[]): { cidrs: Cidr[]; invalid: string[] } {
  const cidrs: Cidr[] = [];
  const invalid: string[] = [];
  for (const t of texts) {
    const c = parseCidr(t);
    if (c) cidrs.push(c);
    else invalid.push(t);
  }
  return { cidrs, invalid };
}

/**
 * Split `host:port` as Go's net.SplitHostPort: `0.0.0.0:10249`, `[::]:10249`, `:10249`.
 * A bare host without a port is returned with `port: undefined` (KubeProxyConfiguration accepts
 * an address without port and appends the default).
 */
export function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  const t = text.trim();
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close === -1) return undefined;
    const host = t.slice(1, close);
    const rest = t.slice(close + 1);
    if (rest === '') return { host, port: undefined };
    if (!rest.startsWith(':')) return undefined;
    const port = parsePort(rest.slice(1));
    return port === undefined ? undefined : { host, port };
  }
  const colons = t.split(':').length - 1;
  if (colons === 0) return { host: t, port: undefined };
  // More than one colon without brackets is a bare IPv6 address.
  if (colons > 1) return parseIp(t) ? { host: t, port: undefined } : undefined;
  const i = t.indexOf(':');
  const port = parsePort(t.slice(i + 1));
  return port === undefined ? undefined : { host: t.slice(0, i), port };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** `host:port` for messages, bracketing IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/** How far one bound address reaches, given the host's addresses and the operator's internal CIDRs. */
export type Exposure =
  | { kind: 'loopback' }
  /** Only addresses inside the declared internal CIDRs (or link-local, which never leaves the link). */
  | { kind: 'internal'; addresses: string[] }
  /** At least one public address outside the declared CIDRs. */
  | { kind: 'public'; addresses: string[] }
  /** Non-public addresses the operator has not declared internal, or addresses that cannot be told. */
  | { kind: 'undeclared'; addresses: string[] };

/**
 * Exposure of a socket bound to `address`. A wildcard exposes every host address: an IPv4 socket
 * (`tcp`, 0.0.0.0) only the IPv4 ones; an IPv6 or configured wildcard also the IPv4 ones, since Go
 * listens dual-stack on an unspecified address. An address the operator declares internal counts as
 * internal even when it is public (a routed provider network behind its own firewall): the
 * declaration is the operator's to make.
 */
export function exposureOf(
  address: string,
  family: 'tcp' | 'tcp6' | 'any',
  hostAddresses: readonly string[],
  cidrs: readonly Cidr[],
): Exposure {
  const cls = classifyAddress(address);
  if (cls === 'loopback') return { kind: 'loopback' };
  let reached: string[];
  if (cls === 'wildcard') {
    reached = hostAddresses.filter((a) => {
      const ip = parseIp(a);
      if (!ip) return true;
      return family !== 'tcp' || unmapIpv4(ip).family === 4;
    });
    reached = reached.filter((a) => classifyAddress(a) !== 'loopback');
    if (reached.length === 0 && hostAddresses.length === 0)
      return { kind: 'undeclared', addresses: ['(host addresses unknown)'] };
    if (reached.length === 0) return { kind: 'loopback' };
  } else {
    reached = [address];
  }
  const publicOnes: string[] = [];
  const undeclared: string[] = [];
  for (const a of reached) {
    if (inAnyCidr(a, cidrs)) continue;
    const c = classifyAddress(a);
    if (c === 'public') publicOnes.push(a);
    else if (c !== 'link-local' && c !== 'loopback') undeclared.push(a);
  }
  if (publicOnes.length > 0) return { kind: 'public', addresses: publicOnes };
  if (undeclared.length > 0) return { kind: 'undeclared', addresses: undeclared };
  return { kind: 'internal', addresses: reached };
}
