// Helpers the etcd checks share: which URLs go without TLS, which file settings are unset, whether
// peer traffic can leave the host, and the evidence of a group of settings.
import type { Evidence } from '../../resolve/evidence.js';
import type { ResolvedEtcd } from '../../resolve/etcd/index.js';
import { isLoopbackUrl } from '../../resolve/etcd/urls.js';
import type { Known, Resolved } from '../../resolve/resolved.js';

/** Whether a URL is served with TLS: `https://`, or `unixs://` for a unix socket. */
export function isTlsUrl(url: string): boolean {
  return /^(https|unixs):\/\//i.test(url);
}

/** The URLs served without TLS among the known `settings`, and the settings that name them. */
export function plainUrls(settings: readonly Resolved<string[]>[]): { urls: string[]; settings: Known<string[]>[] } {
  const named = settings.filter((s): s is Known<string[]> => s.known && s.value.some((u) => !isTlsUrl(u)));
  return { urls: named.flatMap((s) => s.value.filter((u) => !isTlsUrl(u))), settings: named };
}

/** The names of the file settings known to be unset, in the order given (`cert-file`, `key-file`). */
export function unsetFiles(files: Readonly<Record<string, Resolved<string | undefined>>>): string[] {
  return Object.entries(files).flatMap(([name, s]) => (s.known && s.value === undefined ? [name] : []));
}

/**
 * When no peer traffic can leave this host: etcd listens for peers on loopback only, advertises
 * only loopback peer URLs, and every member of its initial cluster is on loopback (a
 * single-member etcd, as etcd's own defaults and many test and edge setups are). A peer on
 * another host could neither reach this member nor be reached by it. Undefined otherwise, or when
 * any of the three is not known.
 */
export function peerTrafficStaysLocal(
  etcd: Pick<ResolvedEtcd, 'listenPeerUrls' | 'initialAdvertisePeerUrls' | 'initialCluster'>,
): { urls: string[]; evidence: Evidence[] } | undefined {
  const settings = [etcd.listenPeerUrls, etcd.initialAdvertisePeerUrls, etcd.initialCluster];
  if (!settings.every((s): s is Known<string[]> => s.known && s.value.length > 0 && s.value.every(isLoopbackUrl)))
    return undefined;
  return { urls: [...new Set(settings.flatMap((s) => s.value))], evidence: knownEvidence(settings) };
}

/** The evidence of the known values among `settings`, first occurrence first, without repeats. */
export function knownEvidence(settings: readonly (Resolved<unknown> | undefined)[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const s of settings) {
    if (s?.known && !seen.has(s.evidence.detail)) {
      seen.add(s.evidence.detail);
      out.push(s.evidence);
    }
  }
  return out;
}
