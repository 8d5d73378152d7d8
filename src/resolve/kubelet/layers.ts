// The kubelet's configuration layers as parsed files: the `--config` file and the `--config-dir` drop-ins,
// which the kubelet merges in order as JSON merge patches (kubernetes/kubernetes:cmd/kubelet/app/server.go).
import path from 'node:path/posix';
import type { FileRead, ProcessInfo } from '../../collect/types.js';
import { readYaml } from '../../formats/yaml.js';
import { lastOccurrence, parseFlags, type ParsedFlags } from '../flags.js';
import { KUBELET_FLAGS } from '../flag-tables/kubelet.js';
import { isJsonObject, mergePatch, type JsonObject, type JsonValue } from '../json-merge-patch.js';
import { absolutePath, fileContent } from '../resolved.js';

export type ConfigLayer = { ok: true; path: string; object: JsonObject } | { ok: false; path: string; reason: string };

type DropinLayers = { ok: true; files: ConfigLayer[] } | { ok: false; reason: string };

export interface Layers {
  flags: ParsedFlags;
  cwd: string;
  configPath: string | undefined;
  config: ConfigLayer | undefined;
  dropinDir: string | undefined;
  dropins: DropinLayers | undefined;
  /** The readable drop-ins merged in order, as the kubelet's jsonpatch.MergePatch loop does. */
  merged: JsonObject;
}

export function parseKubeletFlags(args: readonly string[]): ParsedFlags {
  return parseFlags(args, 'pflag', KUBELET_FLAGS);
}

/** A path-valued flag as an absolute path; `--config=` (empty) means not set, as in the kubelet. */
export function pathFlag(flags: ParsedFlags, name: string, cwd: string): string | undefined {
  const value = lastOccurrence(flags, name)?.value;
  return value ? absolutePath(cwd, value) : undefined;
}

/** Drop-in files in the order filepath.WalkDir visits them: per directory, by name; `.conf` only. */
export function dropinOrder(entries: readonly string[]): string[] {
  return entries
    .filter((entry) => path.basename(entry).endsWith('.conf'))
    .sort((a, b) => compareWalkOrder(a.split('/'), b.split('/')));
}

function compareWalkOrder(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = Buffer.compare(Buffer.from(a[i]!), Buffer.from(b[i]!));
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** YAML (1.1, as sigs.k8s.io/yaml reads it) or JSON text as a JSON object, or why it is not one. */
export function parseYamlObject(text: string): { ok: true; object: JsonObject } | { ok: false; problem: string } {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 100 });
  if (!read.ok) return read;
  const value = read.value;
  if (value === null) return { ok: false, problem: 'is empty' };
  const json = toJsonValue(value);
  return isJsonObject(json) ? { ok: true, object: json } : { ok: false, problem: 'is not a YAML mapping' };
}

/** YAML 1.1 can yield dates, sets, binary and bigints; the kubelet sees them as JSON, so convert. */
function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string')
    return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Set) return Object.fromEntries([...value].map((k) => [String(k), null]));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only undefined, a symbol or a function is left, and the yaml package yields none of them for a document
  return String(value);
}

function readConfigLayer(read: FileRead | undefined, file: string, role: string): ConfigLayer {
  const content = fileContent(read, `${role} ${file}`);
  if (!content.ok) return { ok: false, path: file, reason: content.reason };
  const parsed = parseYamlObject(content.file.content);
  if (!parsed.ok) return { ok: false, path: file, reason: `${role} ${file} ${parsed.problem}` };
  // The kubelet's decoder needs the kind; without it the file cannot be what the kubelet loaded.
  const kind = parsed.object['kind'];
  if (kind !== 'KubeletConfiguration') {
    const found = kind === undefined ? 'has no kind' : `has kind ${JSON.stringify(kind)}`;
    return {
      ok: false,
      path: file,
      reason: `${role} ${file} ${found}, not KubeletConfiguration; the kubelet would refuse it`,
    };
  }
  return { ok: true, path: file, object: parsed.object };
}

function readDropins(proc: ProcessInfo, dir: string): DropinLayers {
  const listing = fileContent(proc.dirs[dir], `drop-in directory ${dir} (--config-dir)`);
  if (!listing.ok) return listing;
  const files = dropinOrder(listing.file.entries).map((entry) => {
    const file = path.join(dir, entry);
    return readConfigLayer(proc.files[file], file, 'kubelet drop-in');
  });
  return { ok: true, files };
}

export function kubeletLayers(proc: ProcessInfo, flags: ParsedFlags): Layers {
  const cwd = proc.cwd || '/';
  const configPath = pathFlag(flags, 'config', cwd);
  const dropinDir = pathFlag(flags, 'config-dir', cwd);
  const config =
    configPath === undefined ? undefined : readConfigLayer(proc.files[configPath], configPath, 'kubelet config file');
  const dropins = dropinDir === undefined ? undefined : readDropins(proc, dropinDir);
  let merged: JsonValue = {};
  for (const file of dropins?.ok ? dropins.files : []) if (file.ok) merged = mergePatch(merged, file.object);
  return { flags, cwd, configPath, config, dropinDir, dropins, merged: isJsonObject(merged) ? merged : {} };
}
