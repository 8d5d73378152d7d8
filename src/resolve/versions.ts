// Which version each component runs. Versions come from what the node shows without running
// anything: the container image tag (process or static pod manifest), the dpkg package of a
// host-binary component, a distribution's own record, and the apiserver's answer to a probe.
// The release table they are judged by is in release-table.ts.
import type { Evidence } from './evidence.js';
import type { ComponentName, HostSnapshot, ProcessInfo } from '../collect/types.js';
import { COMPONENTS } from '../collect/types.js';
import type { ReleaseTable } from './release-table.js';

/** A version number as the component reports it; etcd's numbers are not Kubernetes numbers. */
export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1`, `beta.0`, `alpha.2`: a pre-release precedes the release of the same number. */
  prerelease?: string;
}

export interface ComponentVersion {
  component: ComponentName;
  /** The audited process (0 when taken from a manifest). */
  pid: number;
  /** `kubernetes` versions are judged by the release table; `etcd` versions are only reported. */
  scheme: 'kubernetes' | 'etcd';
  /** Normalised: `v1.34.2` (`v1.35.0-rc.1` for a pre-release), `3.5.21` for etcd. */
  version?: string;
  parsed?: ParsedVersion;
  /** `1.34` */
  minor?: string;
  /** Where the version came from; present with `version`. */
  evidence?: Evidence;
  /** Why the version is unknown and what would tell it; present without `version`. */
  reason?: string;
}

export interface ResolvedVersions {
  /** One entry per detected component, in COMPONENTS order. */
  components: ComponentVersion[];
  /** The table the version checks use (bundled or the operator's). */
  releases: ReleaseTable;
}

const KUBERNETES_TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:-((?:alpha|beta|rc)\.?\d*))?(?:[-+_.].*)?$/;
const ETCD_TAG = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+_].*)?$/;

/**
 * The tag of an image reference, without digest: `registry.k8s.io/kube-apiserver:v1.34.2`,
 * `registry:5000/etcd:3.5.21-0@sha256:…`. `undefined` for an untagged reference.
 */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

/** Parse a Kubernetes version from an image tag or package version (`v1.31.4-rke2r1-build…`, `1.34.2-1.1`). */
export function parseKubernetesVersion(text: string): ParsedVersion | undefined {
  const m = KUBERNETES_TAG.exec(text.trim());
  if (!m) return undefined;
  const v: ParsedVersion = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  if (v.major !== 1) return undefined;
  return m[4] ? { ...v, prerelease: m[4] } : v;
}

export function parseEtcdVersion(text: string): ParsedVersion | undefined {
  const m = ETCD_TAG.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function formatKubernetesVersion(v: ParsedVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

/** -1, 0, 1 like a comparator; a pre-release sorts before the release of the same number. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.prerelease === b.prerelease) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** Debian version `1:1.34.2-1.1` → upstream `1.34.2`. */
function debianUpstream(version: string): string {
  return version.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

export function resolveVersions(snapshot: HostSnapshot, releases: ReleaseTable): ResolvedVersions {
  const components: ComponentVersion[] = [];
  for (const component of COMPONENTS) {
    const procs = snapshot.processes.filter((p) => p.component === component);
    if (procs.length === 0) continue;
    components.push(withProbedVersion(snapshot, versionOfComponent(snapshot, component, procs)));
  }
  return { components, releases };
}

/**
 * The kube-apiserver's own `GET /version` (a live probe) shows the version that runs: it wins over
 * an image tag or a package, which a process not restarted since an upgrade may not match.
 */
function withProbedVersion(snapshot: HostSnapshot, configured: ComponentVersion): ComponentVersion {
  if (configured.component !== 'kube-apiserver') return configured;
  const probe = snapshot.probes?.records?.find((r) => r.probe === 'apiserver-version' && r.version !== undefined);
  const answered = probe?.version;
  const parsed = answered === undefined ? undefined : parseKubernetesVersion(answered);
  if (!probe || answered === undefined || !parsed) return configured;
  const version = formatKubernetesVersion(parsed);
  const disagreement =
    configured.version !== undefined && configured.version !== version
      ? ` (${configured.evidence?.detail ?? 'the configuration'} says ${configured.version}, but the running apiserver answers ${version})`
      : '';
  const { reason: _reason, ...rest } = configured;
  return {
    ...rest,
    pid: probe.pid,
    parsed,
    version,
    minor: `${parsed.major}.${parsed.minor}`,
    evidence: { source: 'probe', detail: `${probe.target}: gitVersion ${answered}${disagreement}` },
  };
}

function versionOfComponent(snapshot: HostSnapshot, component: ComponentName, procs: ProcessInfo[]): ComponentVersion {
  const scheme = component === 'etcd' ? 'etcd' : 'kubernetes';
  const parseVersion = scheme === 'etcd' ? parseEtcdVersion : parseKubernetesVersion;
  const problems: string[] = [];
  const found = (proc: ProcessInfo, parsed: ParsedVersion, evidence: Evidence): ComponentVersion => ({
    component,
    pid: proc.pid,
    scheme,
    parsed,
    version: scheme === 'etcd' ? `${parsed.major}.${parsed.minor}.${parsed.patch}` : formatKubernetesVersion(parsed),
    minor: `${parsed.major}.${parsed.minor}`,
    evidence,
  });

  for (const proc of procs) {
    if (proc.image === undefined) continue;
    const tag = imageTag(proc.image);
    const parsed = tag === undefined ? undefined : parseVersion(tag);
    const where = proc.manifestPath ? `${proc.manifestPath}: image ${proc.image}` : `image ${proc.image}`;
    if (parsed) return found(proc, parsed, { source: 'static-pod-manifest', detail: where });
    problems.push(`${where} has no version tag`);
  }
  const manifest = snapshot.manifests.find((m) => m.component === component && m.image !== undefined);
  const image = manifest?.image;
  if (manifest && image !== undefined) {
    const tag = imageTag(image);
    const parsed = tag === undefined ? undefined : parseVersion(tag);
    if (parsed)
      return found(procs[0]!, parsed, { source: 'static-pod-manifest', detail: `${manifest.path}: image ${image}` });
    problems.push(`${manifest.path}: image ${image} has no version tag`);
  }
  // Inside a distribution's process (k3s): the Kubernetes version it embeds is its own release
  // number, as its record says (`Starting k3s v1.33.4+k3s1`). Its etcd has another version.
  const embedded = scheme === 'kubernetes' ? procs.find((p) => p.origin?.version !== undefined) : undefined;
  if (embedded?.origin?.version !== undefined) {
    const parsed = parseVersion(embedded.origin.version);
    const detail = `${embedded.origin.distribution} ${embedded.origin.version}, which runs ${component} in pid ${embedded.pid} (${embedded.origin.paths.join(', ')})`;
    if (parsed) return found(embedded, parsed, { source: 'distribution', detail });
    problems.push(`${detail}: not a Kubernetes version`);
  }
  // A host binary (no container image): the distribution package that installed it. The package
  // can be newer than a process that was not restarted after an upgrade; the evidence says so.
  const packaged = snapshot.packages[component];
  if (packaged !== undefined && procs.some((p) => p.image === undefined)) {
    const parsed = parseVersion(debianUpstream(packaged));
    const proc = procs.find((p) => p.image === undefined)!;
    if (parsed) {
      return found(proc, parsed, {
        source: 'package',
        detail: `dpkg package ${component} ${packaged} (installed version; a process started before an upgrade may still run the older one)`,
      });
    }
    problems.push(
      `dpkg package ${component} has version "${packaged}", which is not a ${scheme === 'etcd' ? 'etcd' : 'Kubernetes'} version`,
    );
  }
  const reason =
    problems.length > 0
      ? problems.join('; ')
      : `no container image tag and no dpkg package "${component}" (a static pod image tag or the installing package would tell)`;
  return { component, pid: procs[0]!.pid, scheme, reason };
}

/** Components whose Kubernetes version the version checks judge (DESIGN §3); kube-proxy is reported only. */
export const VERSION_JUDGED: ReadonlySet<ComponentName> = new Set([
  'kube-apiserver',
  'kubelet',
  'kube-controller-manager',
  'kube-scheduler',
]);

/** A component whose version is known: resolve sets `version`, `parsed`, `minor` and `evidence` together. */
export type KnownComponentVersion = ComponentVersion &
  Required<Pick<ComponentVersion, 'version' | 'parsed' | 'minor' | 'evidence'>>;

export function hasKnownVersion(c: ComponentVersion): c is KnownComponentVersion {
  return c.version !== undefined && c.parsed !== undefined && c.minor !== undefined && c.evidence !== undefined;
}

/** A component whose version is unknown, with why, for messages: `kubelet (no container image tag …)`. */
export function unknownVersionLabel(c: ComponentVersion): string {
  return `${c.component} (${c.reason ?? 'no version found'})`;
}

/**
 * The components the version checks judge (VERSION_JUDGED), in report order: those with a known
 * version, and the labels of those without one. Both empty when none of them is on this node.
 */
export function judgedVersions(versions: ResolvedVersions): { known: KnownComponentVersion[]; unknown: string[] } {
  const judged = versions.components.filter((c) => VERSION_JUDGED.has(c.component));
  return {
    known: judged.filter(hasKnownVersion),
    unknown: judged.filter((c) => !hasKnownVersion(c)).map(unknownVersionLabel),
  };
}
