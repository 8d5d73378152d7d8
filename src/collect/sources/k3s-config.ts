// Rebuilding the command lines k3s gives its components when the journal holds no `Running …`
// line of the running k3s: k3s's own settings (config files, environment, command line), then its
// built-in arguments for that minor (k3s-defaults.ts) with the operator's `--<component>-arg`s
// merged in the way k3s merges them. Pure: texts in, argv out; sources/k3s.ts does the reading.
import { parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
import { K3S_DEFAULTS, k3sMinor, type K3sDefaultsInput, type K3sRebuiltComponent } from './k3s-defaults.js';

/** One k3s setting as k3s's CLI parser sees it, and where it was written. */
export interface K3sSetting {
  name: string;
  value: string;
  /** `/etc/rancher/k3s/config.yaml`, `environment K3S_DATA_DIR`, `command line (/etc/systemd/system/k3s.service)`. */
  from: string;
}

export interface K3sConfigFile {
  path: string;
  text: string;
}

export type K3sConfigMerge = { ok: true; settings: K3sSetting[] } | { ok: false; problem: string };

/** A YAML scalar as k3s's `convert.ToString` writes it. */
function scalarText(node: Node | null): string | undefined {
  if (node === null) return '';
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function lineOf(text: string, offset: number | undefined): number {
  return offset === undefined ? 1 : text.slice(0, offset).split('\n').length;
}

/**
 * The config files merged as k3s merges them (k3s-io/k3s:pkg/configfilearg/parser.go
 * `readConfigFile`): the files in the order given (the main file, then `config.yaml.d/*.yaml|yml`
 * by name); a key seen again replaces the earlier value, a key ending in `+` appends to it; every
 * key keeps the place it was first seen; a list becomes one `--key=value` per item. The result is
 * put before the command-line flags, so those win (a scalar) or add to it (a list).
 */
export function mergeK3sConfig(files: readonly K3sConfigFile[]): K3sConfigMerge {
  const order: string[] = [];
  const values = new Map<string, { items: string[]; list: boolean; from: string[] }>();
  for (const file of files) {
    const doc = parseDocument(file.text, { uniqueKeys: false });
    const error = doc.errors[0];
    if (error !== undefined) {
      return {
        ok: false,
        problem: `${file.path} line ${error.linePos?.[0].line ?? lineOf(file.text, error.pos[0])}: not valid YAML (${error.message.split('\n')[0]!})`,
      };
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    if (!isMap(contents)) return { ok: false, problem: `${file.path}: not a mapping of k3s flags to values` };
    for (const pair of contents.items) {
      const keyNode = pair.key as Node | null;
      const rawKey = scalarText(keyNode);
      const line = lineOf(file.text, keyNode?.range?.[0]);
      if (rawKey === undefined || rawKey === '')
        return { ok: false, problem: `${file.path} line ${line}: a key that is not a flag name` };
      const append = rawKey.endsWith('+');
      const key = append ? rawKey.slice(0, -1) : rawKey;
      const valueNode = pair.value as Node | null;
      let items: string[];
      let list = false;
      if (isSeq(valueNode)) {
        list = true;
        items = [];
        for (const item of valueNode.items) {
          const text = scalarText(item as Node | null);
          if (text === undefined)
            return {
              ok: false,
              problem: `${file.path} line ${line}: ${rawKey} holds a list item that is not a plain value`,
            };
          items.push(text);
        }
      } else {
        const text = scalarText(valueNode);
        if (text === undefined)
          return {
            ok: false,
            problem: `${file.path} line ${line}: ${rawKey} holds a mapping, which k3s does not take as a flag value`,
          };
        items = [text];
      }
      if (!values.has(key)) order.push(key);
      const old = values.get(key);
      values.set(
        key,
        append && old !== undefined
          ? { items: [...old.items, ...items], list: true, from: [...old.from, ...items.map(() => file.path)] }
          : { items, list, from: items.map(() => file.path) },
      );
    }
  }
  const settings: K3sSetting[] = [];
  for (const key of order) {
    const value = values.get(key)!;
    value.items.forEach((item, i) => settings.push({ name: key, value: item, from: value.from[i]! }));
  }
  return { ok: true, settings };
}

/** k3s flags that take no value (k3s-io/k3s:pkg/cli/cmds/server.go, agent.go `BoolFlag`s) among those modelled here. */
const BOOLEAN_FLAGS = new Set([
  'cluster-init',
  'secrets-encryption',
  'protect-kernel-defaults',
  'disable-apiserver',
  'disable-scheduler',
  'disable-controller-manager',
  'disable-etcd',
  'disable-kube-proxy',
  'disable-cloud-controller',
  'disable-agent',
  'debug',
  'rootless',
  'prefer-bundled-bin',
  'disable-network-policy',
  'disable-helm-controller',
  'embedded-registry',
  'supervisor-metrics',
  'selinux',
]);
/** One-letter aliases k3s defines for the flags read here. */
const ALIASES: Record<string, string> = { c: 'config', d: 'data-dir' };

/** `--name=value`, `--name value` and bare booleans of a k3s command line (urfave/cli grammar). */
export function parseK3sArgs(args: readonly string[], from: string): K3sSetting[] {
  const settings: K3sSetting[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const match = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match || arg === '--' || arg === '-') continue;
    const name = ALIASES[match[1]!] ?? match[1]!;
    let value = match[2];
    if (value === undefined) {
      if (BOOLEAN_FLAGS.has(name)) value = 'true';
      else if (i + 1 < args.length) value = args[(i += 1)]!;
      else value = '';
    }
    settings.push({ name, value, from });
  }
  return settings;
}

/** k3s environment variables for flags modelled here (their `EnvVar:` in pkg/cli/cmds). */
export const K3S_ENV_FLAGS: Readonly<Record<string, string>> = {
  K3S_CONFIG_FILE: 'config',
  K3S_DATA_DIR: 'data-dir',
  K3S_DATASTORE_ENDPOINT: 'datastore-endpoint',
  K3S_DATASTORE_CAFILE: 'datastore-cafile',
  K3S_DATASTORE_CERTFILE: 'datastore-certfile',
  K3S_DATASTORE_KEYFILE: 'datastore-keyfile',
  K3S_CLUSTER_INIT: 'cluster-init',
  K3S_NODE_NAME: 'node-name',
  K3S_SECRETS_ENCRYPTION: 'secrets-encryption',
};

/** The last value of a scalar setting. */
export function lastSetting(settings: readonly K3sSetting[], name: string): K3sSetting | undefined {
  return settings.findLast((s) => s.name === name);
}

function flagOn(settings: readonly K3sSetting[], name: string): boolean {
  const value = lastSetting(settings, name)?.value.toLowerCase();
  return value === 'true' || value === '1' || value === 't';
}

function listSetting(settings: readonly K3sSetting[], name: string): K3sSetting[] {
  return settings.filter((s) => s.name === name);
}

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

export type K3sRebuild =
  { ok: true; defaultsOf: string; components: K3sRebuiltArgs[] } | { ok: false; problem: string };

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
      provenance: provenanceOf(merged, defaultFrom, settingsUsed(settings)),
    };
  });
  return { ok: true, defaultsOf: `k3s ${input.version} built-in defaults (${entry.source})`, components };
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
  shaping: readonly string[],
): string {
  const operator = merged.filter((m) => m.from !== defaultFrom).map((m) => `${m.arg} from ${m.from}`);
  const parts = [
    operator.length > 0 ? `set by the operator: ${operator.join(', ')}` : 'no argument set by the operator',
    `every other argument is a ${defaultFrom}`,
  ];
  if (shaping.length > 0) parts.push(`shaped by k3s settings ${shaping.join(', ')}`);
  return `command line rebuilt (no journal line of the running k3s): ${parts.join('; ')}`;
}
