// One audit, start to end: collect → resolve → evaluate → the DESIGN §4 report.
// No rendering and no exit codes here: cli.ts and the daemon decide what to do with the report.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHECKS } from './checks/index.js';
import { evaluateViews } from './checks/run.js';
import { isSelectAll, selectChecks, type Selection } from './checks/select.js';
import type { Finding, Level } from './checks/types.js';
import { collectHost, type CollectOptions } from './collect/index.js';
import { describeOrigin } from './collect/origin.js';
import { COMPONENTS, type ComponentName, type HostSnapshot } from './collect/types.js';
import type { AuditConfig, FailOn } from './config.js';
import { referencedFiles } from './resolve/references.js';
import { resolveViews, type ResolvedHost } from './resolve/index.js';
import { withYamlMemo } from './formats/yaml.js';
import { FAILING_LEVELS, summarize } from './report/summary.js';
import type { Report, ReportCheck, ReportComponent, ReportDistribution, ReportSelection } from './report/types.js';
import { applyWaivers, countsAsFailure } from './report/waivers.js';
import { tableAsOf } from './resolve/release-table.js';

/** Kept equal to package.json's version by test/cli.test.ts (a bundle has no package.json to read). */
export const TOOL_VERSION = '0.1.0';

export interface AuditOptions {
  root: string;
  /** `<root>/proc` when not given. */
  proc?: string;
  /** The audit's clock (release-age checks); now when not given. */
  now?: Date;
  config: AuditConfig;
  /** The collect stage; a test passes a fake that returns a prepared snapshot. */
  collect?: typeof collectForAudit;
}

const CONTROL_PLANE: readonly ComponentName[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** Note added when nothing Kubernetes runs here, unless collect already said so. */
export const NO_COMPONENT_NOTE =
  'not a Kubernetes node: no Kubernetes component or distribution found on this host (looked for kube-apiserver, etcd, kubelet, kube-controller-manager, kube-scheduler, kube-proxy, k3s, RKE2, k0s, MicroK8s); every check is skipped';

/**
 * The host as collect reads it, told by resolve which files each process names (collect imports
 * nothing from a later stage; the audit joins the two).
 */
export function collectForAudit(options: CollectOptions): HostSnapshot {
  return collectHost({ ...options, references: referencedFiles });
}

/**
 * Run one audit. Throws only when the audit cannot run at all (collect's `PROC_UNREADABLE`, a bug);
 * anything wrong with the host's own data becomes a finding instead.
 */
export function runAudit(options: AuditOptions): Report {
  return auditWithFindings(options).report;
}

/**
 * The report and the findings it was made from, which also carry each check's message id (the
 * report leaves it out); test/hosts.test.ts records those ids in every fixture's expected.json.
 */
export function auditWithFindings(options: AuditOptions): { report: Report; findings: readonly Finding[] } {
  return withYamlMemo(() => auditOnce(options));
}

function auditOnce(options: AuditOptions): { report: Report; findings: readonly Finding[] } {
  const startedAt = options.now ?? new Date();
  const start = performance.now();
  const collect = options.collect ?? collectForAudit;
  const snapshot = collect({
    root: options.root,
    proc: options.proc ?? path.join(options.root, 'proc'),
    now: startedAt,
  });
  const views = resolveViews(snapshot, { releases: options.config.releaseTable });
  const host = views[0]!;
  const context = {
    now: startedAt,
    internalCIDRs: [...options.config.network.internalCIDRs],
    publicCIDRsDeclaredInternal: [...options.config.network.publicCIDRsDeclaredInternal],
    strictAuthentication: options.config.authentication.strict,
  };
  const selected = selectChecks(CHECKS, options.config.selection);
  const findings = evaluateViews(selected, views, context);
  const components = detectedComponents(host);

  const notes = [...snapshot.notes, ...host.notes];
  const kubernetes = components.length > 0 || snapshot.distributions.length > 0;
  if (!kubernetes && !notes.some((n) => n.startsWith('not a Kubernetes node'))) notes.push(NO_COMPONENT_NOTE);

  const waived = applyWaivers(findings.map(reportCheck), options.config.waivers, startedAt);
  notes.push(...waived.notes);
  const checks = waived.checks;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'scs-node-audit', version: TOOL_VERSION },
    standard: { id: 'scs-0217', version: 'v1' },
    host: {
      hostname: snapshot.hostname,
      roles: rolesOf(components.map((c) => c.name)),
      distribution: kubernetes ? distributionOf(snapshot) : null,
    },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round((performance.now() - start) * 10) / 10,
    components,
    checks,
    notes,
    summary: summarize(checks, { kubernetes, notJudged: Object.keys(host.distribution.notEstablished).length }),
    waivers: waived.waivers,
    selection: reportSelection(
      options.config.selection,
      selected.map((c) => c.id),
    ),
    releaseTable: { source: options.config.releaseTable.source, asOf: tableAsOf(options.config.releaseTable) ?? null },
  };
  return { report, findings };
}

/** `null` when every check ran (the usual case); else the criteria and the ids left out. */
function reportSelection(selection: Selection, selectedIds: readonly string[]): ReportSelection | null {
  if (isSelectAll(selection)) return null;
  return {
    checks: selection.checks && [...selection.checks],
    skip: [...selection.skip],
    levels: selection.levels && [...selection.levels],
    components: selection.components && [...selection.components],
    notSelected: CHECKS.map((c) => c.id).filter((id) => !selectedIds.includes(id)),
  };
}

/** The distribution's own process first (it knows its version), then any installed one, then a marker file. */
function distributionOf(snapshot: HostSnapshot): ReportDistribution {
  const sign =
    snapshot.distributions.find((s) => s.pid !== undefined && s.version !== undefined) ??
    snapshot.distributions.find((s) => s.pid !== undefined) ??
    snapshot.distributions[0];
  if (sign) return { name: sign.name, version: sign.version ?? null };
  return { name: snapshot.platform?.name ?? 'unknown', version: null };
}

function reportCheck(finding: Finding): ReportCheck {
  const { messageId: _messageId, ...check } = finding;
  return check;
}

/**
 * Each component present, in COMPONENTS order, with its version and its first (trusted-first)
 * process; `processes` lists every candidate when there are several or one is suspicious.
 */
function detectedComponents(host: ResolvedHost): ReportComponent[] {
  return COMPONENTS.flatMap((name) => {
    const proc = host.audited[name];
    if (!proc) return [];
    const candidates = host.candidates[name] ?? [];
    const listed = candidates.length > 1 || candidates.some((c) => !c.identity.trusted);
    const processes = candidates.map((c) => ({
      pid: c.proc.pid,
      trusted: c.identity.trusted,
      ...(c.identity.reasons.length > 0 && { reasons: c.identity.reasons }),
    }));
    return [
      {
        name,
        pid: proc.pid,
        version: componentVersion(host, name),
        source: proc.source,
        origin: describeOrigin(proc),
        ...(listed && { processes }),
      },
    ];
  });
}

function componentVersion(host: ResolvedHost, name: ComponentName): string | null {
  return host.versions.components.find((v) => v.component === name)?.version ?? null;
}

/** `control-plane` for apiserver/controller-manager/scheduler, `etcd`, and `worker` for a kubelet without control plane. */
export function rolesOf(components: readonly ComponentName[]): string[] {
  const present = new Set(components);
  const controlPlane = CONTROL_PLANE.some((c) => present.has(c));
  const roles: string[] = [];
  if (controlPlane) roles.push('control-plane');
  if (present.has('etcd')) roles.push('etcd');
  if (present.has('kubelet') && !controlPlane) roles.push('worker');
  return roles;
}

/**
 * Exit code of `--once` by `--fail-on` (DESIGN §1): 1 when a check at a failing level has status
 * `fail` or `error` (an error means the verdict is missing, which must not read as success), or
 * when the summary says NOT compliant (a running component that was not judged) and MUST counts.
 * A `fail` under a current waiver does not count; checks not selected are not in the report.
 */
export function exitCodeFor(
  report: Pick<Report, 'checks'> & { summary?: Pick<Report['summary'], 'compliant'> },
  failOn: FailOn,
): 0 | 1 {
  const levels: readonly Level[] = FAILING_LEVELS[failOn];
  if (report.summary?.compliant === false && levels.includes('MUST')) return 1;
  return report.checks.some((c) => levels.includes(c.level) && countsAsFailure(c)) ? 1 : 0;
}
