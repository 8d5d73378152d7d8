// k3s's own settings as k3s's CLI sees them, for rebuilding the command lines it gives its
// components (sources/k3s-rebuild.ts): its config files merged the way k3s merges them, and the
// flag grammar of its command line and environment. Pure: texts in, settings out; sources/k3s.ts
// does the reading.
import { parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';

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

export function flagOn(settings: readonly K3sSetting[], name: string): boolean {
  const value = lastSetting(settings, name)?.value.toLowerCase();
  return value === 'true' || value === '1' || value === 't';
}

export function listSetting(settings: readonly K3sSetting[], name: string): K3sSetting[] {
  return settings.filter((s) => s.name === name);
}
