// Which version each component runs, and the release table the version checks judge it by.
// Versions come from what the node shows without running anything: the container image tag
// (process or static pod manifest) and the dpkg package of a host-binary component.
import type { Evidence } from './evidence.js';
import type { ComponentName, HostSnapshot, ProcessInfo } from '../collect/types.js';
import { COMPONENTS } from '../collect/types.js';
import { BUNDLED_RELEASE_TABLE } from './releases.js';
import { readYaml } from '../formats/yaml.js';

export interface PatchRelease {
  /** `1.34.2` */
  version: string;
  /** `YYYY-MM-DD` */
  date: string;
}

export interface MinorRelease {
  /** `1.34` */
  minor: string;
  releaseDate?: string;
  /** Last day of upstream support, `YYYY-MM-DD`. */
  endOfLife: string;
  /** The last patch of a minor past end of life, when known even if its date is not. */
  finalPatch?: string;
  patches: PatchRelease[];
}

export interface ReleaseTable {
  /** Where the facts come from (shown in evidence). */
  source: string;
  /**
   * The newest day the table is known to be complete for (`YYYY-MM-DD`); patches released later
   * are unknown to it. Defaults to the newest patch date in the table.
   */
  asOf?: string;
  minors: MinorRelease[];
}

export const BUNDLED_RELEASES: ReleaseTable = BUNDLED_RELEASE_TABLE;

export class ReleaseTableError extends Error {
  readonly code = 'ERR_RELEASE_TABLE';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MINOR = /^1\.\d{1,3}$/;
const PATCH = /^1\.\d{1,3}\.\d{1,4}$/;
const MAX_TABLE_CHARS = 2_000_000;

/**
 * Parse an operator-supplied release table (YAML or JSON, same shape as ReleaseTable).
 * Every error names `origin` and the key, so a bad table is fixed without reading code.
 */
export function parseReleaseTable(text: string, origin: string): ReleaseTable {
  const fail = (key: string, problem: string): never => {
    throw new ReleaseTableError(`${origin}: ${key}: ${problem}`);
  };
  if (text.length > MAX_TABLE_CHARS) fail('(document)', `larger than ${MAX_TABLE_CHARS} characters`);
  // Our own format, not a Kubernetes file: the core schema keeps an unquoted 2026-10-27 a string
  // (YAML 1.1 would make it a timestamp).
  const read = readYaml(text, { schema: 'core', duplicateKeys: 'refuse', maxAliases: 100 });
  if (!read.ok) return fail('(document)', read.problem);
  const doc = read.value;
  if (!isRecord(doc)) return fail('(document)', 'must be a mapping with "source" and "minors"');
  const known = new Set(['source', 'asOf', 'minors']);
  for (const key of Object.keys(doc)) if (!known.has(key)) fail(key, 'unknown key');
  const source = doc.source;
  if (typeof source !== 'string' || source === '') fail('source', 'must be a non-empty string');
  const asOf = doc.asOf;
  if (asOf !== undefined && !isDate(asOf)) fail('asOf', 'must be a date YYYY-MM-DD');
  if (!Array.isArray(doc.minors) || doc.minors.length === 0) return fail('minors', 'must be a non-empty list');

  const minors: MinorRelease[] = [];
  const seen = new Set<string>();
  doc.minors.forEach((entry: unknown, i: number) => {
    const at = `minors[${i}]`;
    if (!isRecord(entry)) return fail(at, 'must be a mapping');
    const allowed = new Set(['minor', 'releaseDate', 'endOfLife', 'finalPatch', 'patches']);
    for (const key of Object.keys(entry)) if (!allowed.has(key)) fail(`${at}.${key}`, 'unknown key');
    const minor = typeof entry.minor === 'number' ? undefined : entry.minor;
    // A YAML `minor: 1.30` is the number 1.3: demand quotes rather than guess.
    if (typeof minor !== 'string' || !MINOR.test(minor))
      return fail(`${at}.minor`, 'must be a quoted string like "1.34"');
    if (seen.has(minor)) fail(`${at}.minor`, `"${minor}" listed twice`);
    seen.add(minor);
    if (!isDate(entry.endOfLife)) fail(`${at}.endOfLife`, 'must be a date YYYY-MM-DD');
    if (entry.releaseDate !== undefined && !isDate(entry.releaseDate))
      fail(`${at}.releaseDate`, 'must be a date YYYY-MM-DD');
    if (
      entry.finalPatch !== undefined &&
      !(typeof entry.finalPatch === 'string' && PATCH.test(entry.finalPatch) && minorOf(entry.finalPatch) === minor)
    ) {
      fail(`${at}.finalPatch`, `must be a patch version of ${minor} like "${minor}.3"`);
    }
    const rawPatches = entry.patches ?? [];
    if (!Array.isArray(rawPatches)) return fail(`${at}.patches`, 'must be a list');
    const patchList: PatchRelease[] = rawPatches.map((p: unknown, j: number) => {
      const pat = `${at}.patches[${j}]`;
      if (!isRecord(p)) return fail(pat, 'must be a mapping with version and date');
      if (
        typeof p.version !== 'string' ||
        !PATCH.test(p.version.replace(/^v/, '')) ||
        minorOf(p.version.replace(/^v/, '')) !== minor
      ) {
        return fail(`${pat}.version`, `must be a patch version of ${minor} like "${minor}.3"`);
      }
      if (!isDate(p.date)) return fail(`${pat}.date`, 'must be a date YYYY-MM-DD');
      return { version: p.version.replace(/^v/, ''), date: p.date };
    });
    minors.push({
      minor,
      endOfLife: entry.endOfLife as string,
      patches: patchList,
      ...(entry.releaseDate !== undefined && { releaseDate: entry.releaseDate as string }),
      ...(entry.finalPatch !== undefined && { finalPatch: entry.finalPatch as string }),
    });
  });
  return { source: source as string, minors, ...(asOf !== undefined && { asOf: asOf as string }) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDate(v: unknown): v is string {
  return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}

function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The newest day the table covers: `asOf`, else its newest patch date. */
export function tableAsOf(table: ReleaseTable): string | undefined {
  if (table.asOf) return table.asOf;
  let newest: string | undefined;
  for (const m of table.minors) for (const p of m.patches) if (!newest || p.date > newest) newest = p.date;
  return newest;
}

// ---------------------------------------------------------------------------------------------
// Versions of the running components

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

/** The table's entry for a minor, or undefined. */
export function minorRelease(table: ReleaseTable, minor: string): MinorRelease | undefined {
  return table.minors.find((m) => m.minor === minor);
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

const DAY_MS = 86_400_000;

/** Start of the day after `date` (UTC): a release supported "until 2026-10-27" is past end of life from 2026-10-28T00:00Z. */
export function endOfDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS);
}

/** Whole days from `date` (start of day, UTC) to `now`. */
export function daysSince(date: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}

/** Numeric order of `1.34`-style minors. */
export function compareMinors(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! !== bm! ? am! - bm! : an! - bn!;
}
