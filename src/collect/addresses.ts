// The host's own addresses, from the kernel's tables (no netlink, no child process), and the
// canonical text form every address in the snapshot uses.

/** Dotted quad of four bytes in network order. */
export function formatIpv4(bytes: ArrayLike<number>): string {
  return `${bytes[0]!}.${bytes[1]!}.${bytes[2]!}.${bytes[3]!}`;
}

/**
 * RFC 5952 text of 16 bytes in network order: lowercase, no leading zeros, the longest run of
 * two or more zero groups (the first on a tie) as `::`; IPv4-mapped as `::ffff:10.0.0.5`.
 */
export function formatIpv6(bytes: ArrayLike<number>): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4([bytes[12] ?? 0, bytes[13] ?? 0, bytes[14] ?? 0, bytes[15] ?? 0])}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Bytes of a hex string (`hex.length / 2` of them), or undefined if it is not hex. */
export function hexBytes(hex: string): number[] | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

/**
 * IPv4 addresses of the host: the `/32 host LOCAL` leaves of `net/fib_trie` (its Local table
 * lists every address configured on an interface; Main repeats them, so they are deduplicated).
 */
export function parseFibTrie(text: string): string[] {
  const addresses = new Set<string>();
  let leaf: string | undefined;
  for (const line of text.split('\n')) {
    const leafMatch = /^[\s|]*\|--\s+(\d+\.\d+\.\d+\.\d+)\s*$/.exec(line);
    if (leafMatch) {
      leaf = leafMatch[1];
      continue;
    }
    if (/^[\s|]*\+--/.test(line) || /^\S/.test(line)) {
      leaf = undefined;
      continue;
    }
    if (leaf !== undefined && /^\s*\/32\s+host\s+LOCAL\s*$/.test(line)) addresses.add(leaf);
  }
  return [...addresses];
}

/** IPv6 addresses from `net/if_inet6`: 32 hex digits in network order, then ifindex, prefix, scope, flags, name. */
export function parseIfInet6(text: string): string[] {
  const addresses = new Set<string>();
  for (const line of text.split('\n')) {
    const hex = line.trim().split(/\s+/)[0] ?? '';
    if (hex.length !== 32) continue;
    const bytes = hexBytes(hex);
    if (bytes) addresses.add(formatIpv6(bytes));
  }
  return [...addresses];
}
