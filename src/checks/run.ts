import type { ComponentName, ProcessInfo } from '../collect/types.js';
import { describeSuspicious } from '../resolve/identity.js';
import type { Candidate, ResolvedHost } from '../resolve/index.js';
import { withNotEstablished } from './support/not-established.js';
import type { CheckContext, CheckDefinition, Evidence, Finding, Status } from './types.js';

/** Fill `{{name}}` placeholders from `data`; unknown placeholders stay visible rather than vanish. */
export function renderMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Each evidence line once, in first-seen order: checks that judge several components (or CAs) meet the same fact more than once. */
function uniqueEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.source}\0${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Evaluate one check. A throw is that check's `error` finding, never the run's end
 * (node_exporter's per-collector success, per check).
 */
export function evaluateCheck(check: CheckDefinition, host: ResolvedHost, context: CheckContext): Finding {
  const meta = {
    id: check.id,
    title: check.title,
    level: check.level,
    component: check.component,
    remediation: check.remediation,
  };
  try {
    const outcome = check.evaluate(host, context);
    const template = check.messages[outcome.messageId];
    if (template === undefined) throw new Error(`check ${check.id} returned unknown message id "${outcome.messageId}"`);
    const finding: Finding = {
      ...meta,
      status: outcome.status,
      messageId: outcome.messageId,
      message: renderMessage(template, outcome.data),
      evidence: uniqueEvidence(outcome.evidence),
    };
    return withNotEstablished(finding, check, host);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ...meta,
      status: 'error',
      messageId: 'internal-error',
      message: `the check itself failed: ${detail}`,
      evidence: [],
    };
  }
}

export function evaluateChecks(
  checks: readonly CheckDefinition[],
  host: ResolvedHost,
  context: CheckContext,
): Finding[] {
  return evaluateViews(checks, [host], context);
}

/**
 * How bad a status is, worst highest. `fail` is worse than `error`: both fail a run, but a fail is
 * a verdict on the host. `unknown` is worse than `pass`: a process that could not be judged may
 * be the one that fails. `skip` only arises when a component is absent, the same in every view.
 */
export const SEVERITY = { skip: 0, pass: 1, unknown: 2, error: 3, fail: 4 } as const satisfies Record<Status, number>;

/**
 * Evaluate every check in every view (one candidate process per component each, resolveViews)
 * and keep, per check, the worst finding: a process can only make a verdict worse. A pass counts
 * only when a view of trusted processes gives it; a pass that rests on suspicious processes alone
 * is `unknown`, naming them. A process that could not be read whole makes its checks `unknown`.
 */
export function evaluateViews(
  checks: readonly CheckDefinition[],
  views: readonly ResolvedHost[],
  context: CheckContext,
): Finding[] {
  return checks.map((check) => {
    const judged = views.map((view) => ({
      view,
      basis: basisOf(check, view),
      finding: evaluateInView(check, view, context),
    }));
    const worst = judged.reduce((a, b) => (SEVERITY[b.finding.status] > SEVERITY[a.finding.status] ? b : a));
    const several = severalCandidates(check, views[0]!);
    if (
      worst.finding.status === 'pass' &&
      !judged.some((j) => j.finding.status === 'pass' && j.basis.every((c) => c.identity.trusted))
    ) {
      return onlySuspicious(check, worst.finding, worst.basis);
    }
    return several.length === 0 ? worst.finding : withCandidates(worst.finding, several, worst.basis);
  });
}

/** The candidates a check's verdict in a view rests on: its component's, or every one for node checks. */
function basisOf(check: CheckDefinition, view: ResolvedHost): Candidate[] {
  const components = (Object.keys(view.audited) as ComponentName[]).filter(
    (c) => check.component === 'node' || c === check.component,
  );
  return components.flatMap((c) => {
    const proc = view.audited[c];
    const candidate = view.candidates[c]?.find((x) => x.proc === proc);
    return candidate ? [candidate] : [];
  });
}

function evaluateInView(check: CheckDefinition, view: ResolvedHost, context: CheckContext): Finding {
  const incomplete = basisOf(check, view).find((c) => c.proc.incomplete !== undefined)?.proc;
  return incomplete ? unreadable(check, incomplete) : evaluateCheck(check, view, context);
}

function metaOf(check: CheckDefinition): Pick<Finding, 'id' | 'title' | 'level' | 'component' | 'remediation'> {
  return {
    id: check.id,
    title: check.title,
    level: check.level,
    component: check.component,
    remediation: check.remediation,
  };
}

function processEvidence(c: Candidate): Evidence {
  const trust = c.identity.trusted ? 'trusted' : `suspicious: ${c.identity.reasons.join('; ')}`;
  return { source: 'process', detail: `${c.proc.component} pid ${c.proc.pid} (${c.identity.facts}; ${trust})` };
}

/** A component runs but its command line could not be read whole: nothing can be said of it. */
function unreadable(check: CheckDefinition, proc: ProcessInfo): Finding {
  return {
    ...metaOf(check),
    status: 'unknown',
    messageId: 'process-unreadable',
    message: `Cannot tell: ${proc.component} (pid ${proc.pid}) runs, but ${proc.incomplete ?? 'it could not be read'}.`,
    evidence: [
      { source: 'process', detail: `${proc.component} pid ${proc.pid}: ${proc.incomplete ?? 'not read whole'}` },
    ],
  };
}

function onlySuspicious(check: CheckDefinition, passed: Finding, basis: readonly Candidate[]): Finding {
  const suspicious = basis.filter((c) => !c.identity.trusted);
  return {
    ...metaOf(check),
    status: 'unknown',
    messageId: 'suspicious-process',
    message:
      `Not judged as a pass: it would rest only on suspicious processes (${suspicious.map((c) => describeSuspicious(c.identity)).join(' | ')}), ` +
      `which a non-root user could have started with a configuration of their own. Their own verdict: ${passed.message}`,
    evidence: uniqueEvidence([...suspicious.map(processEvidence), ...passed.evidence]),
  };
}

/** The candidates of the check's basis components that have rivals: named in its finding. */
function severalCandidates(check: CheckDefinition, view: ResolvedHost): Candidate[] {
  return (Object.keys(view.candidates) as ComponentName[])
    .filter((c) => (check.component === 'node' || c === check.component) && (view.candidates[c]?.length ?? 0) > 1)
    .flatMap((c) => view.candidates[c] ?? []);
}

function withCandidates(finding: Finding, several: readonly Candidate[], basis: readonly Candidate[]): Finding {
  const from = basis.filter((c) => several.includes(c)).map((c) => `${c.proc.component} pid ${c.proc.pid}`);
  const judged = `Judged ${several.length} processes (${several.map((c) => `${c.proc.component} pid ${c.proc.pid}`).join(', ')}); the worst verdict counts, here from ${from.join(', ')}.`;
  return {
    ...finding,
    message: `${finding.message} ${judged}`,
    evidence: uniqueEvidence([...finding.evidence, ...several.map(processEvidence)]),
  };
}
