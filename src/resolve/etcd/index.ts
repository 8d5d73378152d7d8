// etcd's effective configuration, the way etcd itself computes it (server/etcdmain/config.go,
// server/embed/config.go, pkg/flags/flag.go; etcd.io op-guide "Configuration flags"):
//
// - The command line uses Go's `flag` package: `-flag` and `--flag`, `-flag value` for non-boolean
//   flags, booleans only as `-flag` or `-flag=false`, last occurrence wins, no `_` normalisation.
// - Every flag not on the command line can come from `ETCD_<FLAG_UPPER_SNAKE>`; an empty variable
//   counts as unset.
// - `--config-file` (or, when the flag is empty, `ETCD_CONFIG_FILE`) replaces everything: etcd then
//   reads only the YAML file and ignores all other flags and variables. The file is read with
//   go-yaml v2 (YAML 1.1) into JSON-tagged structs: keys match case-insensitively, unknown keys are
//   silently ignored, TLS settings live under `client-transport-security` / `peer-transport-security`,
//   and URL lists are comma-separated strings.
import type { CertificateInfo, FileRequest, ProbeResults, ProcessInfo } from '../../collect/types.js';
import { ETCD_FLAGS } from '../flag-tables/etcd.js';
import { lastOccurrence, parseFlags } from '../flags.js';
import {
  absolutePath,
  caCertificates,
  fileOf,
  known,
  unknown,
  type Endpoint,
  type Known,
  type Resolved,
} from '../resolved.js';
import { readConfigFile, settingsFromFile, stringInFile } from './config-file.js';
import { configFileOf, settingsFromFlags } from './flags-env.js';
import { envName, type FileSettings } from './settings.js';
import { endpointsOf } from './urls.js';

export interface ResolvedEtcd {
  proc: ProcessInfo;
  /** `config-file` when `--config-file`/`ETCD_CONFIG_FILE` is set: then flags and env are ignored. */
  configSource: 'flags-and-env' | 'config-file';
  /** Absolute path of the config file, when one is used. */
  configFile?: string;
  listenClientUrls: Resolved<string[]>;
  /** `--listen-client-http-urls` (etcd ≥ 3.5): extra HTTP-only client listeners; empty by default. */
  listenClientHttpUrls: Resolved<string[]>;
  advertiseClientUrls: Resolved<string[]>;
  listenPeerUrls: Resolved<string[]>;
  initialAdvertisePeerUrls: Resolved<string[]>;
  /**
   * Peer URLs of every member `--initial-cluster` names (this one included). Without it etcd
   * bootstraps this member alone at its initial-advertise-peer-urls (embed.Config
   * InitialClusterFromName); with discovery the members are not known here. Members added after
   * bootstrap (etcdctl member add) live only in the data directory and are not seen.
   */
  initialCluster: Resolved<string[]>;
  /** Empty by default: metrics are then served on the client URLs only. */
  listenMetricsUrls: Resolved<string[]>;
  certFile: Resolved<string | undefined>;
  keyFile: Resolved<string | undefined>;
  trustedCAFile: Resolved<string | undefined>;
  peerCertFile: Resolved<string | undefined>;
  peerKeyFile: Resolved<string | undefined>;
  peerTrustedCAFile: Resolved<string | undefined>;
  clientCertAuth: Resolved<boolean>;
  peerClientCertAuth: Resolved<boolean>;
  autoTls: Resolved<boolean>;
  peerAutoTls: Resolved<boolean>;
  /** Certificates of `trusted-ca-file`; undefined when no trusted CA file is configured. */
  trustedCA: Resolved<CertificateInfo[]> | undefined;
  /** Certificates of `peer-trusted-ca-file`; undefined when none is configured. */
  peerTrustedCA: Resolved<CertificateInfo[]> | undefined;
  /** Whether etcd's authentication (ACL) is on; runtime state only a probe can see. */
  authStatus?: Resolved<boolean>;
  endpoints: Endpoint[];
  warnings: string[];
}

export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const flags = parseFlags(proc.args, 'goflag', ETCD_FLAGS);
  const requests: FileRequest[] = [];
  const configFile = configFileOf(flags, proc.env);
  let caFiles: (string | undefined)[];
  if (configFile) {
    requests.push({ path: configFile.path, kind: 'text' });
    const parsed = readConfigFile(proc, configFile.path);
    caFiles = parsed.ok
      ? [stringInFile(parsed.root, 'trusted-ca-file'), stringInFile(parsed.root, 'peer-trusted-ca-file')]
      : [];
  } else {
    caFiles = ['trusted-ca-file', 'peer-trusted-ca-file'].map(
      (name) => lastOccurrence(flags, name)?.value || proc.env[envName(name)] || undefined,
    );
  }
  for (const ca of new Set(caFiles)) if (ca) requests.push({ path: ca, kind: 'certificate' });
  return requests;
}

function caOf(
  proc: ProcessInfo,
  file: Resolved<string | undefined>,
  setting: string,
): Resolved<CertificateInfo[]> | undefined {
  if (!file.known) return unknown(file.reason);
  if (file.value === undefined) return undefined;
  const path = absolutePath(proc.cwd, file.value);
  return caCertificates(fileOf(proc, file.value), `${setting} ${path}`, `${path} (${setting})`);
}

export function resolveEtcd(proc: ProcessInfo, probes?: ProbeResults): ResolvedEtcd {
  const flags = parseFlags(proc.args, 'goflag', ETCD_FLAGS);
  const warnings = [...flags.warnings];
  const configFile = configFileOf(flags, proc.env);
  const authStatus = authStatusOf(probes);

  let settings: FileSettings | { problem: string };
  let configPath: string | undefined;
  if (configFile) {
    const read = readConfigFile(proc, configFile.path);
    configPath = absolutePath(proc.cwd, configFile.path);
    settings = read.ok ? settingsFromFile(read.root, read.path) : { problem: read.reason };
    // Names only: values of ignored flags (--discovery-password, tokens) never reach a report.
    const ignored = [...new Set(flags.occurrences.filter((o) => o.name !== 'config-file').map((o) => `--${o.name}`))];
    const ignoredEnv = Object.keys(proc.env).filter((k) => k.startsWith('ETCD_') && k !== 'ETCD_CONFIG_FILE');
    if (ignored.length > 0 || ignoredEnv.length > 0) {
      warnings.push(
        `etcd uses ${configPath} (${configFile.evidence.detail}) and ignores every other flag and ETCD_* variable: ${[...ignored, ...ignoredEnv].join(' ')}`,
      );
    }
  } else if (proc.environUnreadable !== undefined) {
    // An ETCD_CONFIG_FILE there would make etcd ignore the whole command line, and any ETCD_*
    // variable could set what the command line leaves out: nothing can be decided.
    settings = {
      problem: `the environment of etcd pid ${proc.pid} could not be read (${proc.environUnreadable}): ETCD_* variables (ETCD_CONFIG_FILE among them) may change every setting`,
    };
  } else if (flags.positionals.length > 0) {
    // etcdmain rejects any non-flag argument ("%q is not a valid flag") and exits, so a process
    // with this argv does not run with what its argv says (a wrapper, or a stale manifest).
    settings = {
      problem: `etcd refuses to start with the non-flag argument "${flags.positionals[0]!}" (Go flag parsing stops there; a boolean takes its value only as -flag=value), so pid ${proc.pid}'s argv is not etcd's effective configuration`,
    };
  } else {
    settings = settingsFromFlags(proc, flags, warnings);
  }

  if ('problem' in settings) {
    return unresolved(
      proc,
      settings.problem,
      configFile ? 'config-file' : 'flags-and-env',
      configPath,
      warnings,
      authStatus,
    );
  }
  for (const warning of settings.warnings) warnings.push(warning);

  const { strings, bools, urls } = settings;
  const endpoints = [
    ...endpointsOf(proc, urls['listen-client-urls'], 'client', warnings),
    ...endpointsOf(proc, urls['listen-client-http-urls'], 'client', warnings),
    ...endpointsOf(proc, urls['listen-peer-urls'], 'peer', warnings),
    ...endpointsOf(proc, urls['listen-metrics-urls'], 'metrics', warnings),
  ];
  return {
    proc,
    configSource: configFile ? 'config-file' : 'flags-and-env',
    ...(configPath !== undefined && { configFile: configPath }),
    listenClientUrls: urls['listen-client-urls'],
    listenClientHttpUrls: urls['listen-client-http-urls'],
    advertiseClientUrls: urls['advertise-client-urls'],
    listenPeerUrls: urls['listen-peer-urls'],
    initialAdvertisePeerUrls: urls['initial-advertise-peer-urls'],
    initialCluster: settings.initialCluster,
    listenMetricsUrls: urls['listen-metrics-urls'],
    certFile: strings['cert-file'],
    keyFile: strings['key-file'],
    trustedCAFile: strings['trusted-ca-file'],
    peerCertFile: strings['peer-cert-file'],
    peerKeyFile: strings['peer-key-file'],
    peerTrustedCAFile: strings['peer-trusted-ca-file'],
    clientCertAuth: bools['client-cert-auth'],
    peerClientCertAuth: bools['peer-client-cert-auth'],
    autoTls: bools['auto-tls'],
    peerAutoTls: bools['peer-auto-tls'],
    trustedCA: caOf(proc, strings['trusted-ca-file'], 'trusted-ca-file'),
    peerTrustedCA: caOf(proc, strings['peer-trusted-ca-file'], 'peer-trusted-ca-file'),
    ...(authStatus && { authStatus }),
    endpoints,
    warnings,
  };
}

/**
 * The auth probe's answer, worded after the request that gave it (its record's target): etcd 3.5
 * and later answer AuthStatus, etcd 3.4 only Authenticate, over its HTTP gateway or gRPC.
 */
function authStatusOf(probes: ProbeResults | undefined): Known<boolean> | undefined {
  const answer = probes?.etcd;
  if (!answer) return undefined;
  const record = probes.records?.find((r) => r.probe === 'etcd-auth-enabled' && r.outcome === 'response');
  const asked = record?.target ?? `AuthStatus at ${answer.endpoint}`;
  return known(answer.authEnabled, { source: 'probe', detail: `${asked}: enabled=${answer.authEnabled}` });
}

/** Everything Unknown for one reason (config file unreadable or malformed, argv etcd rejects). */
function unresolved(
  proc: ProcessInfo,
  reason: string,
  configSource: ResolvedEtcd['configSource'],
  configPath: string | undefined,
  warnings: string[],
  authStatus: Known<boolean> | undefined,
): ResolvedEtcd {
  const u = unknown(reason);
  return {
    proc,
    configSource,
    ...(configPath !== undefined && { configFile: configPath }),
    listenClientUrls: u,
    listenClientHttpUrls: u,
    advertiseClientUrls: u,
    listenPeerUrls: u,
    initialAdvertisePeerUrls: u,
    initialCluster: u,
    listenMetricsUrls: u,
    certFile: u,
    keyFile: u,
    trustedCAFile: u,
    peerCertFile: u,
    peerKeyFile: u,
    peerTrustedCAFile: u,
    clientCertAuth: u,
    peerClientCertAuth: u,
    autoTls: u,
    peerAutoTls: u,
    trustedCA: u,
    peerTrustedCA: u,
    // The probe asks etcd itself, so its answer stands even when the configuration cannot be read.
    ...(authStatus && { authStatus }),
    endpoints: [],
    warnings: [...warnings, reason],
  };
}
