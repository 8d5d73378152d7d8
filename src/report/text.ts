// `--format text`: what an operator reads in a terminal or a CI log.
import { styleText } from 'node:util';
import type { CheckComponent, Status } from '../checks/types.js';
import { summaryLine } from './summary.js';
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
  lines.push(`roles:      ${report.host.roles.length > 0 ? report.host.roles.join(', ') : 'none (no Kubernetes component found)'}`);
  const components = report.components.map((c) => {
    const origin = c.source === 'static-pod-manifest' ? 'static pod manifest' : c.source === 'systemd-unit' ? 'systemd unit, not running' : `pid ${c.pid}`;
    return `${c.name} ${printable(c.version ?? 'version unknown')} (${origin})`;
  });
  lines.push(`components: ${components.length > 0 ? components.join(', ') : 'none found'}`);
  lines.push(`started:    ${report.startedAt} (${report.durationMs.toFixed(1)} ms)`);
  for (const note of report.notes) lines.push(`note:       ${printable(note)}`);
  if (report.selection) lines.push(`selection:  ${selectionLine(report.selection)}`);

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
  const verdict = report.summary.compliant ? 'compliant' : 'NOT compliant';
  lines.push('', closing.slice(0, -verdict.length) + paint(report.summary.compliant ? 'green' : ['red', 'bold'], verdict));
  return `${lines.join('\n')}\n`;
}

/** `5 of 28 checks (--check …, --level must); not judged: a, b, …` in flag words. */
export function selectionLine(selection: NonNullable<Report['selection']>): string {
  const criteria = [
    selection.checks && `--check ${selection.checks.join(',')}`,
    selection.skip.length > 0 && `--skip ${selection.skip.join(',')}`,
    selection.levels && `--level ${selection.levels.join(',')}`,
    selection.components && `--component ${selection.components.join(',')}`,
  ].filter((c): c is string => typeof c === 'string');
  return `only the selected checks were judged (${criteria.join(' ')}); not judged: ${selection.notSelected.join(', ')}`;
}

function checkLines(check: ReportCheck, idWidth: number, paint: (style: Style, text: string) => string): string[] {
  // A waived failure is still a failure the audit found; the label says why it does not count.
  const status = check.waiver ? paint('cyan', 'WAIVED'.padEnd(STATUS_WIDTH)) : paint(STATUS_STYLE[check.status], check.status.toUpperCase().padEnd(STATUS_WIDTH));
  const lines = [`  ${status}  ${check.level.padEnd(LEVEL_WIDTH)}  ${check.id.padEnd(idWidth)}  ${printable(check.message)}`];
  if (check.status !== 'fail' && check.status !== 'unknown') return lines;
  const indent = ' '.repeat(2 + STATUS_WIDTH + 2);
  if (check.waiver) lines.push(`${indent}waived:      until ${check.waiver.expires} (owner ${printable(check.waiver.owner)}): ${printable(check.waiver.reason)}`);
  for (const evidence of check.evidence) lines.push(`${indent}evidence:    ${evidence.source}: ${printable(evidence.detail)}`);
  lines.push(`${indent}remediation: ${printable(check.remediation)}`);
  return lines;
}
