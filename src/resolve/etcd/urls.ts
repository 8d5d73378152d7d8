// etcd's listen URLs as the ports it serves: scheme, bind address and port of each URL.
import type { ProcessInfo } from '../../collect/types.js';
import type { Endpoint, Resolved } from '../resolved.js';

interface ParsedUrl {
  scheme: string;
  host: string;
  port: number | undefined;
}

function parseUrl(text: string): ParsedUrl | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(text);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.replace(/^.*@/, '');
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(authority);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : splitHostPort(authority);
  const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : undefined;
  return { scheme, host, port: port !== undefined && port <= 65535 ? port : undefined };
}

function splitHostPort(authority: string): [string, string | undefined] {
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? [authority, undefined] : [authority.slice(0, colon), authority.slice(colon + 1)];
}

function bindAddress(host: string): string {
  if (host === '' || host === '0.0.0.0') return '0.0.0.0';
  return host.toLowerCase();
}

export function endpointsOf(
  proc: ProcessInfo,
  urls: Resolved<string[]>,
  purpose: string,
  warnings: string[],
): Endpoint[] {
  if (!urls.known) return [];
  const endpoints: Endpoint[] = [];
  for (const text of urls.value) {
    const url = parseUrl(text);
    // unix:// and unixs:// sockets are not TCP ports; etcd refuses URLs without a port.
    if (url && (url.scheme === 'unix' || url.scheme === 'unixs')) continue;
    if (!url || (url.scheme !== 'http' && url.scheme !== 'https') || url.port === undefined) {
      warnings.push(`${purpose} URL "${text}" is not a valid http(s)://host:port URL (${urls.evidence.detail})`);
      continue;
    }
    endpoints.push({
      component: 'etcd',
      pid: proc.pid,
      purpose,
      address: bindAddress(url.host),
      port: url.port,
      scheme: url.scheme,
      evidence: urls.evidence,
    });
  }
  return endpoints;
}

/** Loopback binds (`localhost`, 127.0.0.0/8, ::1), as etcd's single-member defaults are. */
export function isLoopbackUrl(url: string): boolean {
  const host = parseUrl(url)?.host.toLowerCase();
  return host !== undefined && (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}
