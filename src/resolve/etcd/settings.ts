// etcd's settings: which ones the audit reads, their defaults (etcd's embed.NewConfig, the same for flags
// and config file), and where each TLS setting lives in the YAML config file
// (etcd-io/etcd:server/embed/config.go, etcd-io/etcd:server/etcdmain/config.go).
import type { Evidence } from '../evidence.js';
import { defaultEvidence, known, unknown, type Resolved } from '../resolved.js';

/** Defaults of etcd's NewConfig(); the same for flags and config file. */
export const DEFAULTS = {
  'listen-client-urls': ['http://localhost:2379'],
  'advertise-client-urls': ['http://localhost:2379'],
  'listen-peer-urls': ['http://localhost:2380'],
  'initial-advertise-peer-urls': ['http://localhost:2380'],
  'listen-client-http-urls': [],
  'listen-metrics-urls': [],
} as const satisfies Record<string, readonly string[]>;

export type UrlSetting = keyof typeof DEFAULTS;

export const STRING_SETTINGS = [
  'cert-file',
  'key-file',
  'trusted-ca-file',
  'peer-cert-file',
  'peer-key-file',
  'peer-trusted-ca-file',
] as const;

export type StringSetting = (typeof STRING_SETTINGS)[number];

export const BOOL_SETTINGS = ['client-cert-auth', 'peer-client-cert-auth', 'auto-tls', 'peer-auto-tls'] as const;

export type BoolSetting = (typeof BOOL_SETTINGS)[number];

/** Where each TLS flag lives in the YAML config file. */
export const FILE_PATHS: Record<StringSetting | BoolSetting, readonly [string, string]> = {
  'cert-file': ['client-transport-security', 'cert-file'],
  'key-file': ['client-transport-security', 'key-file'],
  'trusted-ca-file': ['client-transport-security', 'trusted-ca-file'],
  'client-cert-auth': ['client-transport-security', 'client-cert-auth'],
  'auto-tls': ['client-transport-security', 'auto-tls'],
  'peer-cert-file': ['peer-transport-security', 'cert-file'],
  'peer-key-file': ['peer-transport-security', 'key-file'],
  'peer-trusted-ca-file': ['peer-transport-security', 'trusted-ca-file'],
  'peer-client-cert-auth': ['peer-transport-security', 'client-cert-auth'],
  'peer-auto-tls': ['peer-transport-security', 'auto-tls'],
};

export function envName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replaceAll('-', '_')}`;
}

export interface FileSettings {
  strings: Record<StringSetting, Resolved<string | undefined>>;
  bools: Record<BoolSetting, Resolved<boolean>>;
  urls: Record<UrlSetting, Resolved<string[]>>;
  initialCluster: Resolved<string[]>;
  warnings: string[];
}

/** Settings that make etcd find its members elsewhere (etcdmain: they disable the default initial-cluster). */
export const DISCOVERY_SETTINGS = ['discovery', 'discovery-srv', 'discovery-endpoints'] as const;

/**
 * The members' peer URLs from `initial-cluster` (`name=url,name=url`, a name may repeat for
 * several URLs), else from discovery (unknown here), else this member alone.
 * `discovery` names the setting only: a discovery URL carries a token.
 */
export function initialClusterOf(
  written: { text: string; evidence: Evidence } | undefined,
  discovery: string | undefined,
  advertise: Resolved<string[]>,
): Resolved<string[]> {
  if (written)
    return known(
      splitUrls(written.text).map((member) => member.slice(member.indexOf('=') + 1)),
      written.evidence,
    );
  if (discovery !== undefined)
    return unknown(`etcd finds its members by ${discovery}, so which members exist cannot be told from this host`);
  if (!advertise.known) return advertise;
  return known(
    advertise.value,
    defaultEvidence('initial-cluster', undefined, `not set: this member alone, at ${advertise.value.join(',')}`),
  );
}

export function splitUrls(text: string): string[] {
  return text
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}
