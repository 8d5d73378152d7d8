// `--format text`: what an operator reads in a terminal or a CI log.
import { styleText } from 'node:util';
import type { CheckComponent, Status } from '../checks/types.js';
import { summaryLine, verdictWord } from './summary.js';
import type { Report, ReportCheck } from './types.js';

export interface TextOptions {
  /** Decided by the caller (TTY and NO_COLOR); the renderer never looks at the terminal itself. */
  color: boolean;
}

/** Report order of the groups; a check of any other component still shows, after these. */
const COMPONENT_ORDER: readonly CheckComponent[] = ['kube-apiserver', 'etcd', 'kubelet', 'node'];

type Style = Parameters<typeof styleText>[0];
const STATUS_STYLE: Record<Status, Style> = { pass: 'green', fail: 'red', unknown: 'yellow', skip: 'gray', error: 'magenta' };
const STATUS_WIDTH = 'UNKNOWN'.length;
const LEVEL_WIDTH = 'RECOMMENDED'.length;

/**
 * Control characters (ESC, CR, BEL, C1 …) become visible escapes: paths and values in messages
 * come from the audited host and must not drive the operator's terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export function renderText(report: Report, options: TextOptions): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text, { validateStream: false }) : text);
  const lines: string[] = [];

  lines.push(paint('bold', `scs-node-audit ${report.tool.version} · ${report.standard.id} ${report.standard.version} · host ${printable(report.host.hostname)}`));
  const distribution = report.host.distribution;
  if (distribution !== null) lines.push(`distribution: ${printable(distribution.name)}${distribution.version === null ? '' : ` ${printable(distribution.version)}`}`);
  lines.push(`roles:      ${report.host.roles.length > 0 ? report.host.roles.join(', ') : 'none (not a Kubernetes node)'}`);
  const components = report.components.map((c) => `${c.name} ${printable(c.version ?? 'version unknown')} (${printable(c.origin)})`);
  lines.push(`components: ${components.length > 0 ? components.join(', ') : 'none found'}`);
  lines.push(`started:    ${report.startedAt} (${report.durationMs.toFixed(1)} ms)`);
  for (const note of report.notes) lines.push(`note:       ${printable(note)}`);

  // One id column width for the whole report, so messages line up across groups.
  const idWidth = Math.max(0, ...report.checks.map((c) => c.id.length));
  const groups = [...COMPONENT_ORDER, ...new Set(report.checks.map((c) => c.component).filter((c) => !COMPONENT_ORDER.includes(c)))];
  for (const component of groups) {
    const checks = report.checks.filter((c) => c.component === component);
    if (checks.length === 0) continue;
    lines.push('', paint('bold', component));
    for (const check of checks) lines.push(...checkLines(check, idWidth, paint));
  }

  const closing = summaryLine(report.summary);
  const { compliant } = report.summary;
  const verdict = verdictWord(compliant);
  lines.push('', closing.slice(0, -verdict.length) + paint(compliant === null ? 'bold' : compliant ? 'green' : ['red', 'bold'], verdict));
  return `${lines.join('\n')}\n`;
}

function checkLines(check: ReportCheck, idWidth: number, paint: (style: Style, text: string) => string): string[] {
  const status = paint(STATUS_STYLE[check.status], check.status.toUpperCase().padEnd(STATUS_WIDTH));
  const lines = [`  ${status}  ${check.level.padEnd(LEVEL_WIDTH)}  ${check.id.padEnd(idWidth)}  ${printable(check.message)}`];
  if (check.status !== 'fail' && check.status !== 'unknown') return lines;
  const indent = ' '.repeat(2 + STATUS_WIDTH + 2);
  for (const evidence of check.evidence) lines.push(`${indent}evidence:    ${evidence.source}: ${printable(evidence.detail)}`);
  lines.push(`${indent}remediation: ${printable(check.remediation)}`);
  return lines;
}
