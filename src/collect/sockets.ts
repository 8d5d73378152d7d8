// Listening TCP sockets from `net/tcp` and `net/tcp6` in the kernel's text format.
import { formatIpv4, formatIpv6, hexBytes } from './addresses.js';
import type { Listener } from './types.js';

const TCP_LISTEN = '0A';

export type ByteOrder = 'LE' | 'BE';

/**
 * The kernel prints each 32-bit word of an address with `%08X` of its in-memory value, so on a
 * little-endian machine `127.0.0.1` reads `0100007F`; the port is already in host order.
 */
function wordsToBytes(hex: string, byteOrder: ByteOrder): number[] | undefined {
  const bytes = hexBytes(hex);
  if (bytes === undefined || bytes.length % 4 !== 0) return undefined;
  if (byteOrder === 'BE') return bytes;
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) for (const byte of bytes.slice(i, i + 4).reverse()) out.push(byte);
  return out;
}

/** `0100007F:0050` → `{address: '127.0.0.1', port: 80}`. */
export function parseSocketAddress(
  text: string,
  byteOrder: ByteOrder = 'LE',
): { address: string; port: number } | undefined {
  const [hexAddress = '', hexPort = ''] = text.split(':');
  if (!/^[0-9A-Fa-f]{4}$/.test(hexPort)) return undefined;
  const bytes = wordsToBytes(hexAddress, byteOrder);
  if (bytes === undefined) return undefined;
  const port = parseInt(hexPort, 16);
  if (bytes.length === 4) return { address: formatIpv4(bytes), port };
  if (bytes.length === 16) return { address: formatIpv6(bytes), port };
  return undefined;
}

/**
 * The LISTEN sockets of a `net/tcp` or `net/tcp6` text. Lines that do not have the kernel's shape
 * are skipped: the header, and anything a fake tree gets wrong, which then simply lists less.
 */
export function parseProcNetTcp(
  text: string,
  transport: Listener['transport'],
  byteOrder: ByteOrder = 'LE',
): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode …
    if (fields.length < 10 || !/^\d+:$/.test(fields[0] ?? '')) continue;
    if (fields[3]?.toUpperCase() !== TCP_LISTEN) continue;
    const local = parseSocketAddress(fields[1] ?? '', byteOrder);
    const inode = Number(fields[9]);
    if (local === undefined || !Number.isSafeInteger(inode)) continue;
    listeners.push({ transport, address: local.address, port: local.port, inode });
  }
  return listeners;
}
