import type { ResolvedHost } from '../resolve/index.js';
import { withNotEstablished } from './support/not-established.js';
import type { CheckContext, CheckDefinition, Evidence, Finding } from './types.js';

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
  const meta = { id: check.id, title: check.title, level: check.level, component: check.component, remediation: check.remediation };
  try {
    const outcome = check.evaluate(host, context);
    const template = check.messages[outcome.messageId];
    if (template === undefined) throw new Error(`check ${check.id} returned unknown message id "${outcome.messageId}"`);
    const finding: Finding = { ...meta, status: outcome.status, messageId: outcome.messageId, message: renderMessage(template, outcome.data), evidence: uniqueEvidence(outcome.evidence) };
    return withNotEstablished(finding, check, host);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ...meta, status: 'error', messageId: 'internal-error', message: `the check itself failed: ${detail}`, evidence: [] };
  }
}

export function evaluateChecks(checks: readonly CheckDefinition[], host: ResolvedHost, context: CheckContext): Finding[] {
  return checks.map((check) => evaluateCheck(check, host, context));
}
