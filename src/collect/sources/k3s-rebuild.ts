// Rebuilding the command lines k3s gives its components when the journal holds no `Running …`
// line of the running k3s: k3s's own settings (config files, environment, command line), then its
// built-in arguments for that minor (k3s-defaults.ts) with the operator's `--<component>-arg`s
// merged in the way k3s merges them. Pure: texts in, argv out; sources/k3s.ts does the reading.
//
// k3s's settings (config files, flags, environment) are parsed in sources/k3s-config.ts.
import { K3S_DEFAULTS, k3sMinor, type K3sDefaultsInput, type K3sRebuiltComponent } from './k3s-defaults.js';
import { flagOn, lastSetting, listSetting, type K3sSetting } from './k3s-config.js';

/** The flags each component takes from the operator, in k3s's names. */
const EXTRA_ARG_FLAG: Record<K3sRebuiltComponent, string> = {
  'kube-apiserver': 'kube-apiserver-arg',
  'kube-controller-manager': 'kube-controller-manager-arg',
  'kube-scheduler': 'kube-scheduler-arg',
  kubelet: 'kubelet-arg',
  'kube-proxy': 'kube-proxy-arg',
};

/**
 * The default arguments with the operator's extra ones merged in, as k3s's `util.GetArgs`
 * (k3s-io/k3s:pkg/util/args.go) does: `name=value` replaces the default, `name+=value` appends
 * to it, `name-=value` prepends to it; each value becomes its own `--name=value`; sorted by name.
 * Returns each argument with where it came from.
 */
export function mergeComponentArgs(
  defaults: Readonly<Record<string, string>>,
  extra: readonly K3sSetting[],
  defaultFrom: string,
): Array<{ arg: string; from: string }> {
  const initial = new Map(Object.entries(defaults));
  const multi = new Map<string, Array<{ value: string; from: string }>>();
  for (const setting of extra) {
    const [rawName = '', ...rest] = setting.value.replace(/^--/, '').split('=');
    const value = rest.length > 0 ? rest.join('=') : 'true';
    const name = rawName.replace(/[-+]+$/, '');
    const fromInitial = initial.has(name) ? [{ value: initial.get(name)!, from: defaultFrom }] : [];
    const existing = multi.get(name) ?? [];
    const mine = { value, from: setting.from };
    const merged = rawName.endsWith('+')
      ? [...fromInitial, ...existing, mine]
      : rawName.endsWith('-')
        ? [mine, ...fromInitial, ...existing]
        : [...existing, mine];
    initial.delete(name);
    multi.set(name, merged);
  }
  for (const [name, value] of initial) multi.set(name, [{ value, from: defaultFrom }]);
  return [...multi.keys()]
    .sort()
    .flatMap((name) => multi.get(name)!.map(({ value, from }) => ({ arg: `--${name}=${value}`, from })));
}

export interface K3sRebuildInput {
  role: 'server' | 'agent';
  /** `v1.33.4+k3s1`; undefined when no record said. */
  version: string | undefined;
  /** Environment, then config files, then command line: the order k3s lets them win. */
  settings: readonly K3sSetting[];
  /** Whether the server keeps its state in embedded etcd (`--cluster-init`, or `server/db/etcd` exists). */
  embeddedEtcd: boolean;
}

export interface K3sRebuiltArgs {
  component: K3sRebuiltComponent;
  args: string[];
  /** In words: which arguments came from the operator's settings, and from which file. */
  provenance: string;
}

export type K3sRebuild = { ok: true; components: K3sRebuiltArgs[] } | { ok: false; problem: string };

/** `--etcd-servers` and its TLS files (server.go `setupStorageBackend`; kine serves `unix://kine.sock`). */
function storageArgs(settings: readonly K3sSetting[], server: string, embeddedEtcd: boolean): Record<string, string> {
  const endpoint = lastSetting(settings, 'datastore-endpoint')?.value ?? '';
  if (/^https?:\/\//i.test(endpoint)) {
    const tls: Record<string, string> = {};
    for (const [k3sName, flag] of [
      ['datastore-cafile', 'etcd-cafile'],
      ['datastore-certfile', 'etcd-certfile'],
      ['datastore-keyfile', 'etcd-keyfile'],
    ] as const) {
      const value = lastSetting(settings, k3sName)?.value;
      if (value) tls[flag] = value;
    }
    // Credentials in the URL (user:password@) never reach a report.
    return { 'etcd-servers': endpoint.replace(/\/\/[^@/]*@/g, '//'), ...tls };
  }
  if (endpoint === '' && (embeddedEtcd || flagOn(settings, 'cluster-init'))) {
    return {
      'etcd-servers': 'https://127.0.0.1:2379',
      'etcd-cafile': `${server}/tls/etcd/server-ca.crt`,
      'etcd-certfile': `${server}/tls/etcd/client.crt`,
      'etcd-keyfile': `${server}/tls/etcd/client.key`,
    };
  }
  return { 'etcd-servers': 'unix://kine.sock' };
}

function portSetting(settings: readonly K3sSetting[], name: string, fallback: number): number | string {
  const setting = lastSetting(settings, name);
  if (setting === undefined) return fallback;
  const port = Number(setting.value);
  return Number.isInteger(port) && port > 0 && port < 65535
    ? port
    : `--${name}=${setting.value} (${setting.from}) is not a port`;
}

/** Which components a k3s of this role runs, after its `--disable-*` flags. */
function runningComponents(role: K3sRebuildInput['role'], settings: readonly K3sSetting[]): K3sRebuiltComponent[] {
  const agent: K3sRebuiltComponent[] = flagOn(settings, 'disable-agent')
    ? []
    : ['kubelet', ...(flagOn(settings, 'disable-kube-proxy') ? [] : ['kube-proxy' as const])];
  if (role === 'agent') return agent;
  const control: K3sRebuiltComponent[] = [];
  if (!flagOn(settings, 'disable-apiserver')) control.push('kube-apiserver');
  if (!flagOn(settings, 'disable-controller-manager')) control.push('kube-controller-manager');
  if (!flagOn(settings, 'disable-scheduler')) control.push('kube-scheduler');
  return [...control, ...agent];
}

/** The command line k3s gives each component it runs, rebuilt from its settings and its built-in defaults for that minor. */
export function rebuildK3sCommandLines(input: K3sRebuildInput): K3sRebuild {
  if (input.version === undefined)
    return {
      ok: false,
      problem:
        'the k3s version is not known (no "Starting k3s" line of this process, and the binary did not say), so its built-in defaults are not known',
    };
  const minor = k3sMinor(input.version);
  const entry = minor === undefined ? undefined : K3S_DEFAULTS[minor];
  if (entry === undefined)
    return { ok: false, problem: `the audit has no table of k3s's built-in defaults for ${input.version}` };
  const { settings } = input;
  const port = portSetting(settings, 'https-listen-port', 6443);
  if (typeof port === 'string') return { ok: false, problem: port };
  const dataDir = lastSetting(settings, 'data-dir')?.value || '/var/lib/rancher/k3s';
  const nodeIps = listSetting(settings, 'node-ip')
    .flatMap((s) => s.value.split(','))
    .filter((v) => v !== '');
  const extraApiserverArgs = listSetting(settings, 'kube-apiserver-arg').map((s) => s.value);
  const defaultsInput: K3sDefaultsInput = {
    dataDir,
    httpsListenPort: port,
    clusterDomain: lastSetting(settings, 'cluster-domain')?.value || 'cluster.local',
    clusterCidr:
      listSetting(settings, 'cluster-cidr')
        .map((s) => s.value)
        .join(',') || '10.42.0.0/16',
    serviceCidr:
      listSetting(settings, 'service-cidr')
        .map((s) => s.value)
        .join(',') || '10.43.0.0/16',
    serviceNodePortRange: lastSetting(settings, 'service-node-port-range')?.value || '30000-32767',
    nodeLabels: listSetting(settings, 'node-label').map((s) => s.value),
    storage: storageArgs(settings, `${dataDir}/server`, input.embeddedEtcd),
    secretsEncryption: flagOn(settings, 'secrets-encryption'),
    egressSelectorDisabled: lastSetting(settings, 'egress-selector-mode')?.value === 'disabled',
    disableCloudController: flagOn(settings, 'disable-cloud-controller'),
    extraApiserverArgs,
  };
  const advertise = lastSetting(settings, 'advertise-address')?.value || nodeIps[0];
  if (advertise !== undefined) defaultsInput.advertiseAddress = advertise;
  const nodeName = lastSetting(settings, 'node-name')?.value;
  if (nodeName) defaultsInput.nodeName = nodeName;
  if (nodeIps.length > 0) defaultsInput.nodeIp = nodeIps.join(',');

  const defaultFrom = `k3s ${input.version} built-in default`;
  const components = runningComponents(input.role, settings).map((component): K3sRebuiltArgs => {
    const extra = listSetting(settings, EXTRA_ARG_FLAG[component]);
    const merged = mergeComponentArgs(entry.args[component](defaultsInput), extra, defaultFrom);
    return {
      component,
      args: merged.map((m) => m.arg),
      provenance: provenanceOf(merged, defaultFrom, entry.source, settingsUsed(settings)),
    };
  });
  return { ok: true, components };
}

/** k3s settings that change built-in arguments, named with their file, for the provenance line. */
const SHAPING = [
  'data-dir',
  'https-listen-port',
  'cluster-domain',
  'cluster-cidr',
  'service-cidr',
  'service-node-port-range',
  'node-label',
  'node-ip',
  'node-name',
  'advertise-address',
  'datastore-endpoint',
  'datastore-cafile',
  'datastore-certfile',
  'datastore-keyfile',
  'cluster-init',
  'secrets-encryption',
  'egress-selector-mode',
  'disable-cloud-controller',
];

function settingsUsed(settings: readonly K3sSetting[]): string[] {
  return SHAPING.flatMap((name) => {
    const last = lastSetting(settings, name);
    // A datastore endpoint may hold credentials: its name and file are said, never its value.
    return last === undefined
      ? []
      : [`--${name}${name === 'datastore-endpoint' ? '' : `=${last.value}`} (${last.from})`];
  });
}

function provenanceOf(
  merged: ReadonlyArray<{ arg: string; from: string }>,
  defaultFrom: string,
  defaultsSource: string,
  shaping: readonly string[],
): string {
  const operator = merged.filter((m) => m.from !== defaultFrom).map((m) => `${m.arg} from ${m.from}`);
  const parts = [
    operator.length > 0 ? `set by the operator: ${operator.join(', ')}` : 'no argument set by the operator',
    `every other argument is a ${defaultFrom} (${defaultsSource})`,
  ];
  if (shaping.length > 0) parts.push(`shaped by k3s settings ${shaping.join(', ')}`);
  return `command line rebuilt (no journal line of the running k3s): ${parts.join('; ')}`;
}
