// Admission in the kube-apiserver: which plugins run, and the PodSecurity plugin's cluster-wide
// defaults from `--admission-control-config-file`.
import type { Evidence } from '../evidence.js';
import type { ProcessInfo } from '../../collect/types.js';
import {
  listFlag,
  occurrencesOf,
  parseGoBool,
  splitCsv,
  stringFlag,
  type FlagOccurrence,
  type ParsedFlags,
} from '../flags.js';
import {
  parseAdmissionConfig,
  parsePodSecurityConfig,
  parseYaml,
  readText,
  type AdmissionPluginEntry,
  type Parsed,
  type PodSecurityDefaults,
} from './config-files.js';
import { absolutePath, known, unknown, type Resolved } from '../resolved.js';

/**
 * Plugins on by default (kubernetes/kubernetes:pkg/kubeapiserver/options/plugins.go,
 * DefaultOffAdmissionPlugins) in a supported release (1.25 or later). Of these only PodSecurity
 * matters to a check and depends on the release; resolveAdmissionPlugins follows the apiserver's
 * version for it (podSecurityByRelease). NodeRestriction is NOT on by default (kubernetes/kubeadm#2075).
 * Plugins added later (ValidatingAdmissionPolicy, ClusterTrustBundleAttest, …) matter to no check.
 */
export const DEFAULT_ON_ADMISSION_PLUGINS: readonly string[] = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'StorageObjectInUseProtection',
  'Priority',
  'TaintNodesByCondition',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodSecurity',
];

/** What the apiserver's version is known to be, for version-dependent defaults. */
export type ApiserverRelease =
  | { kind: 'known'; minor: number; version: string; evidence: Evidence }
  /** The command line itself proves a release before 1.20 (a non-zero --insecure-port). */
  | { kind: 'legacy'; evidence: Evidence }
  | { kind: 'unknown'; reason: string };

export interface AdmissionPlugins {
  /** Effective plugins, sorted. */
  enabled: string[];
  /** Plugins whose state this host cannot tell (PodSecurity on an apiserver of unknown version), with the reason. */
  undetermined: Record<string, string>;
  /** `defaults`: no admission flag; `enable-disable`: the current flags; `admission-control`: the deprecated complete list. */
  mode: 'defaults' | 'enable-disable' | 'admission-control';
  /** Why a plugin is on or off, for every plugin a flag names or the defaults turn on. */
  provenance: Record<string, Evidence>;
}

function written(occurrences: FlagOccurrence[]): string {
  return occurrences.map((o) => o.written).join(' ');
}

/**
 * (default-on ∪ `--enable-admission-plugins`) \ `--disable-admission-plugins`, or exactly the
 * deprecated `--admission-control` list. Order does not matter (since 1.10). Combinations the
 * apiserver refuses to start with are unknown: the running process cannot have them, so argv is
 * not what it runs with.
 */
export function resolveAdmissionPlugins(
  flags: ParsedFlags,
  release: ApiserverRelease = { kind: 'unknown', reason: 'the apiserver version is not known' },
): Resolved<AdmissionPlugins> {
  const listed = resolveListedPlugins(flags);
  if (!listed.known) return listed;
  return known(podSecurityByRelease(listed.value, flags, release), listed.evidence);
}

/** What the admission flags alone select, with PodSecurity as in a release where it is on by default. */
function resolveListedPlugins(flags: ParsedFlags): Resolved<AdmissionPlugins> {
  const legacy = listFlag(flags, 'admission-control');
  const enable = listFlag(flags, 'enable-admission-plugins');
  const disable = listFlag(flags, 'disable-admission-plugins');
  const provenance: Record<string, Evidence> = {};

  if (legacy.occurrences.length > 0) {
    if (enable.occurrences.length > 0 || disable.occurrences.length > 0) {
      return unknown(
        `${written(legacy.occurrences)} is given together with --enable/--disable-admission-plugins; the apiserver refuses to start with both, so this command line is not the one it runs with`,
      );
    }
    for (const name of legacy.values) provenance[name] = { source: 'flag', detail: written(legacy.occurrences) };
    const enabled = [...new Set(legacy.values)].sort();
    return known(
      { enabled, undetermined: {}, mode: 'admission-control', provenance },
      { source: 'flag', detail: written(legacy.occurrences) },
    );
  }

  const both = enable.values.filter((name) => disable.values.includes(name));
  if (both.length > 0) {
    return unknown(
      `${both.join(', ')} appear(s) in both --enable-admission-plugins and --disable-admission-plugins; the apiserver refuses to start with that, so this command line is not the one it runs with`,
    );
  }
  const defaults = DEFAULT_ON_ADMISSION_PLUGINS;
  for (const name of defaults)
    provenance[name] = { source: 'default', detail: `${name} is on by default (not in --disable-admission-plugins)` };
  for (const o of [...enable.occurrences, ...disable.occurrences]) {
    for (const name of splitCsv(o.value ?? '')) provenance[name] = { source: 'flag', detail: o.written };
  }

  const enabled = [...new Set([...defaults, ...enable.values])].filter((name) => !disable.values.includes(name)).sort();
  const all = [...enable.occurrences, ...disable.occurrences].sort((a, b) => a.index - b.index);
  const mode = all.length > 0 ? 'enable-disable' : 'defaults';
  return known(
    { enabled, undetermined: {}, mode, provenance },
    all.length > 0
      ? { source: 'flag', detail: written(all) }
      : { source: 'default', detail: 'default admission plugins (no admission flag)' },
  );
}

/**
 * PodSecurity by release (KEP-2579, kubernetes/enhancements#2579; kubernetes.io "Pod Security
 * Admission" and "Feature Gates (removed)"): no plugin before 1.22; 1.22 alpha behind the
 * PodSecurity feature gate, off by default; 1.23 beta, on by default, and 1.23/1.24 turn it off with
 * --feature-gates=PodSecurity=false; from 1.25 GA with the gate locked on (the apiserver refuses
 * false); the gate is gone from 1.28 (the apiserver refuses any value). Only a plugin the flags
 * leave on can run, so a plugin they turn off stays off whatever the release.
 */
function podSecurityByRelease(
  plugins: AdmissionPlugins,
  flags: ParsedFlags,
  release: ApiserverRelease,
): AdmissionPlugins {
  const name = 'PodSecurity';
  if (!plugins.enabled.includes(name)) return plugins;
  const listedBy = plugins.provenance[name]!;
  const explicit = listedBy.source === 'flag';
  const gate = podSecurityGate(flags);
  const off = (detail: string): AdmissionPlugins => ({
    ...plugins,
    enabled: plugins.enabled.filter((n) => n !== name),
    provenance: {
      ...plugins.provenance,
      [name]: { source: gate.set ? 'flag' : release.kind === 'unknown' ? 'default' : release.evidence.source, detail },
    },
  });
  const on = (detail: string): AdmissionPlugins => ({
    ...plugins,
    provenance: { ...plugins.provenance, [name]: { source: listedBy.source, detail } },
  });
  const cannotTell = (reason: string): AdmissionPlugins => ({
    ...plugins,
    enabled: plugins.enabled.filter((n) => n !== name),
    undetermined: { ...plugins.undetermined, [name]: reason },
  });

  if (gate.problem !== undefined)
    return cannotTell(
      `${gate.problem}; the apiserver refuses to start with it, so this command line is not the one it runs with`,
    );
  if (release.kind === 'legacy')
    return explicit
      ? cannotTell(
          `${listedBy.detail} names PodSecurity, which releases before 1.22 do not know (${release.evidence.detail}); such an apiserver refuses to start`,
        )
      : off(`no PodSecurity plugin before 1.22, and ${release.evidence.detail}`);
  if (release.kind === 'known') {
    const { minor, version } = release;
    const from = `${version} (${release.evidence.detail})`;
    if (minor < 22)
      return explicit
        ? cannotTell(
            `${listedBy.detail} names PodSecurity, which ${from} does not know; the apiserver refuses to start with it`,
          )
        : off(`no PodSecurity plugin before 1.22: the apiserver is ${from}`);
    if (gate.set && minor >= 28)
      return cannotTell(
        `${gate.written} names the PodSecurity feature gate, which ${from} no longer has; the apiserver refuses to start with it`,
      );
    if (gate.set && gate.value === false && minor >= 25)
      return cannotTell(`${gate.written}: PodSecurity is locked on in ${from}; the apiserver refuses to start with it`);
    if (gate.set && gate.value === false)
      return off(`${gate.written} turns PodSecurity off (${from}; possible in 1.22–1.24)`);
    if (minor === 22 && !gate.value)
      return off(`PodSecurity is alpha in ${from}: off unless --feature-gates=PodSecurity=true`);
    return on(
      `${listedBy.detail}; ${minor === 22 ? `${gate.written} turns it on in ${from}` : `on by default from 1.23, the apiserver is ${from}`}`,
    );
  }
  // The version is unknown: what still holds for every release this command line could start.
  if (gate.set && gate.value === false)
    return off(
      `${gate.written} turns PodSecurity off (only 1.22–1.24 accept it; later releases refuse to start with it)`,
    );
  if (explicit && gate.set && gate.value === true)
    return on(
      `${listedBy.detail} and ${gate.written}: PodSecurity runs on any release that starts with these flags (1.22–1.27)`,
    );
  return cannotTell(
    `PodSecurity is on by default only from 1.23 (alpha and off by default in 1.22, absent before), and the apiserver version is not known: ${release.reason}`,
  );
}

/** `--feature-gates` entries for PodSecurity: pflag mapStringBool, repeated flags merge, the last value wins. */
function podSecurityGate(flags: ParsedFlags): { set: boolean; value?: boolean; written: string; problem?: string } {
  let gate: { set: boolean; value?: boolean; written: string; problem?: string } = { set: false, written: '' };
  for (const o of occurrencesOf(flags, 'feature-gates')) {
    for (const entry of splitCsv(o.value ?? '')) {
      const [key, text] = entry.split('=', 2).map((part) => part.trim());
      if (key !== 'PodSecurity') continue;
      const value = text === undefined ? undefined : parseGoBool(text);
      gate =
        value === undefined
          ? { set: true, written: o.written, problem: `${o.written}: "${entry}" is not a feature gate setting` }
          : { set: true, value, written: o.written };
    }
  }
  return gate;
}

export interface PodSecurity extends PodSecurityDefaults {
  /** Where the defaults were read, e.g. `/etc/kubernetes/admission.yaml: plugins[PodSecurity].configuration`. */
  location: string;
  /** The admission configuration file, when the apiserver has one. */
  admissionConfigFile?: string;
  /** The file and key an operator sets to change the cluster-wide enforce level, in words. */
  enforceKey: string;
}

function admissionConfigOf(
  proc: ProcessInfo,
  flags: ParsedFlags,
): { flag: FlagOccurrence; entries: Parsed<AdmissionPluginEntry[]> } | undefined {
  const flag = stringFlag(flags, 'admission-control-config-file');
  if (!flag || flag.value === '') return undefined;
  const text = readText(proc, flag.value!, 'admission configuration');
  return { flag, entries: text.ok ? parseAdmissionConfig(text.value.content, text.value.path) : text };
}

/** Files named by `plugins[].path` of the admission configuration, once collect has read it. */
export function admissionPluginPaths(proc: ProcessInfo, flags: ParsedFlags): string[] {
  const config = admissionConfigOf(proc, flags);
  if (!config?.entries.ok) return [];
  return config.entries.value.flatMap((e) => (e.path !== undefined && e.configuration === undefined ? [e.path] : []));
}

const NO_EXEMPTIONS = { usernames: [], runtimeClasses: [], namespaces: [] };

/**
 * PodSecurity's cluster-wide defaults. Without configuration every mode defaults to `privileged`
 * (reported as unset); namespaces may still set their own levels with labels, which is the checks'
 * business. The first `plugins[]` entry named PodSecurity counts; inline `configuration:` wins
 * over `path:` (k8s.io/apiserver admission config.go).
 */
export function resolvePodSecurity(proc: ProcessInfo, flags: ParsedFlags): Resolved<PodSecurity> {
  const config = admissionConfigOf(proc, flags);
  if (!config) {
    const enforceKey =
      'defaults.enforce of a PodSecurityConfiguration in an AdmissionConfiguration passed with --admission-control-config-file';
    return known(
      { exemptions: NO_EXEMPTIONS, location: 'no --admission-control-config-file', enforceKey },
      { source: 'default', detail: 'no --admission-control-config-file: PodSecurity defaults enforce=privileged' },
    );
  }
  const file = absolutePath(proc.cwd, config.flag.value!);
  if (!config.entries.ok) return unknown(config.entries.reason);
  const entry = config.entries.value.find((e) => e.name === 'PodSecurity');
  if (!entry || (entry.configuration === undefined && entry.path === undefined)) {
    const location = `${file}: no PodSecurity configuration in plugins`;
    const enforceKey = `defaults.enforce of a PodSecurity plugin configuration added to plugins in ${file}`;
    return known(
      { exemptions: NO_EXEMPTIONS, location, admissionConfigFile: file, enforceKey },
      { source: 'config-file', detail: `${location}, so enforce=privileged` },
    );
  }

  let where: string;
  let parsed: Parsed<PodSecurityDefaults>;
  if (entry.configuration !== undefined) {
    where = `${file}: plugins[PodSecurity].configuration`;
    parsed = parsePodSecurityConfig(entry.configuration, where);
  } else {
    where = `${entry.path!} (plugins[PodSecurity].path in ${file})`;
    const text = readText(proc, entry.path!, 'PodSecurity configuration');
    if (!text.ok) return unknown(text.reason);
    // An empty file is the default configuration (pod-security-admission LoadFromData).
    const doc =
      text.value.content === ''
        ? ok({ kind: 'PodSecurityConfiguration', apiVersion: 'pod-security.admission.config.k8s.io/v1' })
        : parseYaml(text.value.content, entry.path!);
    parsed = doc.ok ? parsePodSecurityConfig(doc.value, where) : doc;
  }
  if (!parsed.ok) return unknown(parsed.reason);
  const d = parsed.value;
  const detail = `${where}: defaults.enforce=${d.enforce ?? '(unset: privileged)'} audit=${d.audit ?? '(unset)'} warn=${d.warn ?? '(unset)'}`;
  const enforceKey =
    entry.configuration !== undefined
      ? `defaults.enforce in ${file} (plugins[PodSecurity].configuration)`
      : `defaults.enforce in ${entry.path!}`;
  return known({ ...d, location: where, admissionConfigFile: file, enforceKey }, { source: 'config-file', detail });
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}
