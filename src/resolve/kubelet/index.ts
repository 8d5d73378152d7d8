// The kubelet's effective configuration, computed the way kubernetes/kubernetes:cmd/kubelet/app/server.go
// does: flags are parsed onto the legacy command-line defaults; `--config` replaces them with the
// file plus the v1beta1 defaults; `--config-dir` drop-ins are merged on top as JSON merge patches;
// then the explicitly given flags are applied again and win (kubeletConfigFlagPrecedence, and
// loadConfigFile/mergeKubeletConfigurations in the same file).
import path from 'node:path/posix';
import type { CertificateInfo, FileRequest, ProcessInfo } from '../../collect/types.js';
import { booleansOf, lastOccurrence, type ParsedFlags } from '../flags.js';
import { KUBELET_FLAGS } from '../flag-tables/kubelet.js';
import { caCertificates, known, unknown, type Endpoint, type Resolved } from '../resolved.js';
import { resolveClientCertificate, kubeconfigUser } from './kubeconfig.js';
import { dropinOrder, kubeletLayers, parseKubeletFlags, pathFlag } from './layers.js';
import { publicValue, resolveClientCAFile, resolveSetting } from './precedence.js';
import { SETTINGS, type Setting, type SettingValue } from './settings.js';

/**
 * Kubelet flags that take no separate value token (`--anonymous-auth false` is the bare flag
 * followed by a stray argument), derived from the complete table in flag-tables/kubelet.ts.
 */
export const KUBELET_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(booleansOf(KUBELET_FLAGS));

export interface ResolvedKubelet {
  proc: ProcessInfo;
  flags: ParsedFlags;
  /** Absolute path of `--config`, when given. */
  configFile: string | undefined;
  /** Absolute path of `--config-dir`, when given. */
  configDir: string | undefined;
  anonymousAuth: Resolved<boolean>;
  authorizationMode: Resolved<string>;
  webhookAuthentication: Resolved<boolean>;
  /** Absolute path of the x509 client CA file; `undefined` when x509 client authentication is off. */
  x509ClientCAFile: Resolved<string | undefined>;
  /** The certificates in that client CA file (the cluster CA on kubeadm nodes); undefined when none is set. */
  clusterCA: Resolved<CertificateInfo[]> | undefined;
  readOnlyPort: Resolved<number>;
  address: Resolved<string>;
  port: Resolved<number>;
  healthzBindAddress: Resolved<string>;
  healthzPort: Resolved<number>;
  /** Absolute path of `--kubeconfig`; undefined for a standalone kubelet. */
  kubeconfig: string | undefined;
  /** The certificate the kubelet presents to the API server (the kubeconfig user's). */
  clientCertificate: Resolved<CertificateInfo>;
  /** `--hostname-override` as the kubelet uses it; undefined when the node name is the host name. */
  nodeName: Resolved<string> | undefined;
  endpoints: Endpoint[];
  warnings: string[];
}

function resolveClusterCA(
  proc: ProcessInfo,
  caFile: Resolved<string | undefined>,
): Resolved<CertificateInfo[]> | undefined {
  if (!caFile.known) return unknown(caFile.reason);
  if (caFile.value === undefined) return undefined;
  return caCertificates(proc.files[caFile.value], `client CA file ${caFile.value}`, caFile.value);
}

/** `--hostname-override` trimmed and lower-cased as nodeutil.GetHostname does. */
function resolveNodeName(flags: ParsedFlags): Resolved<string> | undefined {
  const flag = lastOccurrence(flags, 'hostname-override');
  if (flag === undefined || flag.value === '') return undefined;
  if (flag.value === undefined) return unknown(`${flag.written}: no value; the kubelet would refuse to start with it`);
  // collect decodes invalid UTF-8 as U+FFFD: the name the kubelet really has is then unknowable,
  // and comparing the substitute with a certificate's CN would invent a verdict.
  if (flag.value.includes('\uFFFD'))
    return unknown(`${flag.written}: the value is not valid UTF-8, so the node name is not known`);
  const name = flag.value.trim().toLowerCase();
  if (name === '') return unknown(`${flag.written}: an empty host name; the kubelet would refuse to start with it`);
  return known(name, { source: 'flag', detail: flag.written });
}

function kubeletEndpoints(
  pid: number,
  values: Pick<ResolvedKubelet, 'address' | 'port' | 'readOnlyPort' | 'healthzBindAddress' | 'healthzPort'>,
  warnings: string[],
): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const add = (
    purpose: string,
    address: Resolved<string>,
    port: Resolved<number>,
    scheme: Endpoint['scheme'],
  ): void => {
    if (!address.known || !port.known) {
      const reason = [address, port].flatMap((r) => (r.known ? [] : [r.reason])).join('; ');
      warnings.push(`kubelet ${purpose} endpoint unknown: ${reason}`);
      return;
    }
    if (port.value === 0) return;
    const detail =
      address.evidence.detail === port.evidence.detail
        ? port.evidence.detail
        : `${address.evidence.detail}; ${port.evidence.detail}`;
    endpoints.push({
      component: 'kubelet',
      pid,
      purpose,
      address: address.value,
      port: port.value,
      scheme,
      evidence: { source: port.evidence.source, detail },
    });
  };
  add('secure-port', values.address, values.port, 'https');
  add('read-only-port', values.address, values.readOnlyPort, 'http');
  add('healthz', values.healthzBindAddress, values.healthzPort, 'http');
  return endpoints;
}

/** The files the kubelet references, given what collect has read so far (called until nothing is new). */
export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const flags = parseKubeletFlags(proc.args);
  const layers = kubeletLayers(proc, flags);
  const requests: FileRequest[] = [];
  if (layers.configPath !== undefined) requests.push({ path: layers.configPath, kind: 'text' });
  if (layers.dropinDir !== undefined) {
    requests.push({ path: layers.dropinDir, kind: 'dir' });
    const listing = proc.dirs[layers.dropinDir];
    if (listing?.ok)
      for (const entry of dropinOrder(listing.entries))
        requests.push({ path: path.join(layers.dropinDir, entry), kind: 'text' });
  }
  const kubeconfig = pathFlag(flags, 'kubeconfig', layers.cwd);
  if (kubeconfig !== undefined) {
    requests.push({ path: kubeconfig, kind: 'kubeconfig' });
    const user = kubeconfigUser(proc, kubeconfig);
    if (user.ok && user.certificatePath !== undefined && user.certificateData === undefined) {
      requests.push({ path: user.certificatePath, kind: 'certificate' });
    }
  }
  const caFile = resolveClientCAFile(layers);
  if (caFile.known && caFile.value !== undefined) requests.push({ path: caFile.value, kind: 'certificate' });
  // The same file can be named twice (a CA file that is also the kubeconfig's certificate): ask once.
  return [...new Map(requests.map((r) => [`${r.kind}:${r.path}`, r])).values()];
}

export function resolveKubelet(proc: ProcessInfo): ResolvedKubelet {
  const flags = parseKubeletFlags(proc.args);
  const layers = kubeletLayers(proc, flags);
  const warnings = flags.warnings.map((w) => `kubelet command line: ${w}`);
  if (flags.positionals.length > 0) {
    warnings.push(
      `the kubelet refuses to start with a non-flag argument ("${flags.positionals[0]!}"); this command line was read as written, with bare boolean flags true`,
    );
  }
  const setting = <T extends SettingValue>(s: Setting<T>): Resolved<T> => publicValue(resolveSetting(layers, s));
  const values = {
    anonymousAuth: setting(SETTINGS.anonymousAuth),
    authorizationMode: setting(SETTINGS.authorizationMode),
    webhookAuthentication: setting(SETTINGS.webhookAuthentication),
    readOnlyPort: setting(SETTINGS.readOnlyPort),
    address: setting(SETTINGS.address),
    port: setting(SETTINGS.port),
    healthzBindAddress: setting(SETTINGS.healthzBindAddress),
    healthzPort: setting(SETTINGS.healthzPort),
  };
  const x509ClientCAFile = resolveClientCAFile(layers);
  const clusterCA = resolveClusterCA(proc, x509ClientCAFile);
  const kubeconfig = pathFlag(flags, 'kubeconfig', layers.cwd);
  const nodeName = resolveNodeName(flags);
  return {
    proc,
    flags,
    configFile: layers.configPath,
    configDir: layers.dropinDir,
    ...values,
    x509ClientCAFile,
    clusterCA,
    kubeconfig,
    clientCertificate: resolveClientCertificate(proc, kubeconfig),
    nodeName,
    endpoints: kubeletEndpoints(proc.pid, values, warnings),
    warnings,
  };
}
