// kube-controller-manager, kube-scheduler and kube-proxy: only the ports they serve matter to
// scs-0217 (the standard's port tables), so this resolver yields endpoints, not a full config.
import type { FileRequest, ProcessInfo } from '../collect/types.js';
import { KUBE_CONTROLLER_MANAGER_FLAGS } from './flag-tables/kube-controller-manager.js';
import { KUBE_PROXY_FLAGS } from './flag-tables/kube-proxy.js';
import { KUBE_SCHEDULER_FLAGS } from './flag-tables/kube-scheduler.js';
import { intFlag, parseFlags, stringFlag, type FlagOccurrence, type FlagTable, type ParsedFlags } from './flags.js';
import { COMPONENT_BASE_FLAGS } from './flag-tables/component-base.js';
import { splitHostPort } from './network.js';
import { absolutePath, defaultDetail, defaultEvidence, fileOf, type Endpoint } from './resolved.js';
import { readYaml } from '../formats/yaml.js';

export interface ResolvedOtherComponent {
  proc: ProcessInfo;
  endpoints: Endpoint[];
  /** Problems met while resolving (unreadable config, bad flag values), one sentence each. */
  warnings: string[];
}

/** Each component's complete flag table, so that `--flag value` splits as the component splits it. */
const FLAG_TABLES: Readonly<Record<string, FlagTable>> = {
  'kube-controller-manager': KUBE_CONTROLLER_MANAGER_FLAGS,
  'kube-proxy': KUBE_PROXY_FLAGS,
  'kube-scheduler': KUBE_SCHEDULER_FLAGS,
};

const MAX_CONFIG_CHARS = 1_000_000;

function flagsOf(proc: ProcessInfo): ParsedFlags {
  return parseFlags(proc.args, 'pflag', FLAG_TABLES[proc.component] ?? COMPONENT_BASE_FLAGS);
}

/** Files collect must read: the `--config` file of kube-proxy and kube-scheduler (and kcm, if given). */
export function referencedFiles(proc: ProcessInfo): FileRequest[] {
  const config = stringFlag(flagsOf(proc), 'config');
  return config && config.value !== '' ? [{ path: config.value!, kind: 'text' }] : [];
}

export function resolveOtherComponent(proc: ProcessInfo): ResolvedOtherComponent {
  const flags = flagsOf(proc);
  const warnings = [...flags.warnings];
  const endpoints =
    proc.component === 'kube-proxy'
      ? kubeProxyEndpoints(proc, flags, warnings)
      : proc.component === 'kube-controller-manager'
        ? controlPlaneEndpoints(proc, flags, warnings, { securePort: 10257 })
        : proc.component === 'kube-scheduler'
          ? controlPlaneEndpoints(proc, flags, warnings, { securePort: 10259 })
          : [];
  return { proc, endpoints, warnings };
}

function endpoint(
  proc: ProcessInfo,
  purpose: string,
  address: string,
  port: number,
  scheme: Endpoint['scheme'],
  evidence: Endpoint['evidence'],
): Endpoint {
  return { component: proc.component, pid: proc.pid, purpose, address, port, scheme, evidence };
}

function flagEvidence(o: FlagOccurrence): Endpoint['evidence'] {
  return { source: 'flag', detail: o.written };
}

/**
 * kube-controller-manager and kube-scheduler: the secure port (https) on `--bind-address`
 * (default 0.0.0.0; blank also means all interfaces), `--secure-port=0` disables it.
 * The insecure port: in old releases `--port` defaulted to 10251/10252 on `--address` 0.0.0.0
 * (plain HTTP); it was removed in 1.24. The version is not known here, so an insecure endpoint is
 * reported only when `--port` (or `--insecure-port`, whichever the build accepted) is given
 * explicitly non-zero. The default-on insecure port only exists in releases long past end of life,
 * which version-supported fails anyway.
 */
function controlPlaneEndpoints(
  proc: ProcessInfo,
  flags: ParsedFlags,
  warnings: string[],
  defaults: { securePort: number },
): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const bind = stringFlag(flags, 'bind-address');
  const bindAddress = bind ? (bind.value === '' ? '0.0.0.0' : bind.value!) : '0.0.0.0';
  const secure = intFlag(flags, 'secure-port');
  if (secure && !secure.ok) {
    warnings.push(`${secure.problem}; the component would refuse to start`);
  } else {
    const port = secure?.value ?? defaults.securePort;
    if (port !== 0) {
      const detail = [
        secure ? secure.occurrence.written : defaultDetail('--secure-port', String(defaults.securePort)),
        bind ? bind.written : defaultDetail('--bind-address', '0.0.0.0'),
      ];
      endpoints.push(
        endpoint(proc, 'secure-port', bindAddress, port, 'https', {
          source: secure || bind ? 'flag' : 'default',
          detail: detail.join('; '),
        }),
      );
    }
  }
  for (const name of ['port', 'insecure-port']) {
    const insecure = intFlag(flags, name);
    if (!insecure) continue;
    if (!insecure.ok) {
      warnings.push(insecure.problem);
      continue;
    }
    if (insecure.value === 0) continue;
    const address = stringFlag(flags, 'address');
    const host = address && address.value !== '' ? address.value! : '0.0.0.0';
    const detail = `${insecure.occurrence.written}; ${address ? address.written : defaultDetail('--address', '0.0.0.0')}`;
    endpoints.push(endpoint(proc, 'insecure-port', host, insecure.value, 'http', { source: 'flag', detail }));
  }
  return endpoints;
}

interface BindSetting {
  /** `undefined` when the endpoint is disabled (empty flag value). */
  hostPort: string | undefined;
  evidence: Endpoint['evidence'];
}

/**
 * kube-proxy: metrics (default 127.0.0.1:10249) and healthz (default 0.0.0.0:10256), both plain
 * HTTP. With `--config`, kube-proxy ignores these flags ("This parameter is ignored if a config
 * file is specified by --config"), so the KubeProxyConfiguration fields decide; an empty or
 * absent field takes the default, an address without port gets the default port appended.
 */
function kubeProxyEndpoints(proc: ProcessInfo, flags: ParsedFlags, warnings: string[]): Endpoint[] {
  const settings = kubeProxyBindSettings(proc, flags, warnings);
  if (!settings) return [];
  const endpoints: Endpoint[] = [];
  for (const [purpose, setting, defaultPort] of [
    ['metrics', settings.metrics, 10249],
    ['healthz', settings.healthz, 10256],
  ] as const) {
    if (setting.hostPort === undefined) continue;
    const split = splitHostPort(setting.hostPort);
    if (!split) {
      warnings.push(`${setting.evidence.detail}: "${setting.hostPort}" is not an address with port`);
      continue;
    }
    endpoints.push(
      endpoint(
        proc,
        purpose,
        split.host === '' ? '0.0.0.0' : split.host,
        split.port ?? defaultPort,
        'http',
        setting.evidence,
      ),
    );
  }
  return endpoints;
}

function kubeProxyBindSettings(
  proc: ProcessInfo,
  flags: ParsedFlags,
  warnings: string[],
): { metrics: BindSetting; healthz: BindSetting } | undefined {
  const config = stringFlag(flags, 'config');
  if (config && config.value !== '') {
    const path = absolutePath(proc.cwd, config.value!);
    return readKubeProxyConfig(proc, config.value!, path, warnings);
  }
  const fromFlag = (name: string, fallback: string, deprecatedPort: string): BindSetting => {
    const o = stringFlag(flags, name);
    const portFlag = intFlag(flags, deprecatedPort);
    if (o) return { hostPort: o.value === '' ? undefined : o.value, evidence: flagEvidence(o) };
    // Before --*-bind-address carried the port, --healthz-port/--metrics-port did (0 disables).
    if (portFlag?.ok) {
      const host = fallback.slice(0, fallback.lastIndexOf(':'));
      return portFlag.value === 0
        ? { hostPort: undefined, evidence: flagEvidence(portFlag.occurrence) }
        : { hostPort: `${host}:${portFlag.value}`, evidence: flagEvidence(portFlag.occurrence) };
    }
    return { hostPort: fallback, evidence: defaultEvidence(`--${name}`, fallback) };
  };
  return {
    metrics: fromFlag('metrics-bind-address', '127.0.0.1:10249', 'metrics-port'),
    healthz: fromFlag('healthz-bind-address', '0.0.0.0:10256', 'healthz-port'),
  };
}

function readKubeProxyConfig(
  proc: ProcessInfo,
  written: string,
  path: string,
  warnings: string[],
): { metrics: BindSetting; healthz: BindSetting } | undefined {
  const read = fileOf(proc, written);
  if (!read) {
    warnings.push(`kube-proxy --config ${path} was not read; its metrics and healthz addresses are unknown`);
    return undefined;
  }
  if (!read.ok) {
    warnings.push(`kube-proxy --config ${read.detail}; its metrics and healthz addresses are unknown`);
    return undefined;
  }
  if (read.content.length > MAX_CONFIG_CHARS) {
    warnings.push(`kube-proxy --config ${path} is too large to parse`);
    return undefined;
  }
  const parsed = readYaml(read.content, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 100 });
  if (!parsed.ok) {
    warnings.push(`kube-proxy --config ${path} ${parsed.problem}`);
    return undefined;
  }
  const doc = parsed.value ?? {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    warnings.push(`kube-proxy --config ${path} is not a KubeProxyConfiguration object`);
    return undefined;
  }
  const fields = doc as Record<string, unknown>;
  const field = (key: string, fallback: string): BindSetting | undefined => {
    const value = fields[key];
    if (value === undefined || value === null || value === '') {
      return { hostPort: fallback, evidence: defaultEvidence(key, fallback, `not set in ${path}`) };
    }
    if (typeof value !== 'string') {
      warnings.push(`${path}: ${key} is not a string`);
      return undefined;
    }
    return { hostPort: value, evidence: { source: 'config-file', detail: `${path}: ${key}=${value}` } };
  };
  const metrics = field('metricsBindAddress', '127.0.0.1:10249');
  const healthz = field('healthzBindAddress', '0.0.0.0:10256');
  return metrics && healthz ? { metrics, healthz } : undefined;
}
