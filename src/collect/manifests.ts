// Static pod manifests: what the kubelet would run, read when the process itself is not visible
// (and for the image tag, which names the version of a containerised component).
import path from 'node:path/posix';
import { CONFIG_MAX_BYTES, readDirListing, readTextFile, type FileRoot } from './files.js';
import { recogniseComponent } from './proc.js';
import { readYaml } from '../formats/yaml.js';
import { COMPONENTS, type ComponentName, type StaticPodManifest } from './types.js';

export const MANIFEST_DIRS = ['/etc/kubernetes/manifests', '/var/lib/rancher/rke2/agent/pod-manifests'];
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const MAX_ALIASES = 100;

export interface ParsedManifest {
  component?: ComponentName;
  image?: string;
  /** `command` + `args` of the component's container. */
  argv?: string[];
  /** The arguments the component parses (after the binary, and after `hyperkube <sub>`). */
  args?: string[];
  /** Set when the container was recognised by its image only, so argv[0] is a guess. */
  warning?: string;
  error?: string;
}

export interface ManifestRead {
  manifest: StaticPodManifest;
  parsed: ParsedManifest;
}

function isComponent(name: string): name is ComponentName {
  return (COMPONENTS as readonly string[]).includes(name);
}

/** `registry.k8s.io/kube-apiserver:v1.33.1@sha256:…` → `kube-apiserver`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? last : last.slice(0, colon);
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return undefined;
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The component container of a static pod manifest (YAML 1.1, as the kubelet reads it; JSON is YAML). */
export function parseStaticPodManifest(text: string): ParsedManifest {
  const read = readYaml(text, { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: MAX_ALIASES });
  if (!read.ok) return { error: read.problem };
  const pod = read.value;
  const spec = isRecord(pod) ? pod['spec'] : undefined;
  const containers = isRecord(spec) ? spec['containers'] : undefined;
  if (!Array.isArray(containers)) return { error: 'has no spec.containers list' };
  for (const container of containers) {
    if (!isRecord(container)) continue;
    const command = stringList(container['command']);
    const args = stringList(container['args']);
    const image = typeof container['image'] === 'string' ? container['image'] : undefined;
    if (command === undefined || args === undefined) {
      return { error: 'has a container whose command or args is not a list of strings' };
    }
    const argv = [...command, ...args];
    const byCommand = recogniseComponent(argv);
    if (byCommand)
      return { component: byCommand.component, argv, args: byCommand.args, ...(image !== undefined && { image }) };
    const byImage = image === undefined ? undefined : imageName(image);
    if (byImage !== undefined && isComponent(byImage)) {
      if (command.length === 0) {
        // No command: the image's entrypoint is the component binary, args are its arguments.
        return { component: byImage, image, argv: [byImage, ...args], args };
      }
      return {
        component: byImage,
        image,
        argv,
        args: argv.slice(1),
        warning: `the container command ${JSON.stringify(command[0])} is not the ${byImage} binary (a wrapper?), so its arguments may not be the component's flags`,
      };
    }
  }
  return {};
}

/** Every manifest in the known static pod directories under `root`, sorted by path. */
export function readManifests(root: FileRoot): ManifestRead[] {
  const reads: ManifestRead[] = [];
  for (const dir of MANIFEST_DIRS) {
    const { read: listing } = readDirListing(root, dir);
    if (!listing.ok) continue;
    // The kubelet skips hidden files (editor swap files, `..data` of a mounted ConfigMap).
    const files = listing.entries.filter(
      (e) => !e.includes('/') && !e.startsWith('.') && MANIFEST_EXTENSIONS.includes(path.extname(e)),
    );
    for (const file of files) {
      const manifestPath = path.join(dir, file);
      const text = readTextFile(root, manifestPath, CONFIG_MAX_BYTES);
      const parsed: ParsedManifest = text.ok ? parseStaticPodManifest(text.content) : { error: text.detail };
      const manifest: StaticPodManifest = {
        path: manifestPath,
        ...(parsed.component !== undefined && { component: parsed.component }),
        ...(parsed.image !== undefined && { image: parsed.image }),
        ...(parsed.error !== undefined && { error: text.ok ? `${manifestPath} ${parsed.error}` : parsed.error }),
      };
      reads.push({ manifest, parsed });
    }
  }
  return reads;
}
