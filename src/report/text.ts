// `--format text`: what an operator reads in a terminal or a CI log.
import { styleText } from 'node:util';
import { LEVELS, type CheckComponent, type Status } from '../checks/types.js';
import { summaryLine, verdictWord } from './summary.js';
import type { Report, ReportCheck } from './types.js';

export interface TextOptions {
  /** Decided by the caller (TTY and NO_COLOR); the renderer never looks at the terminal itself. */
  color: boolean;
  /** Leave out `skip` rows (`--hide-skipped`); the summary still counts them. */
  hideSkipped?: boolean;
}

/** Report order of the groups; a check of any other component still shows, after these. */
const COMPONENT_ORDER: readonly CheckComponent[] = ['kube-apiserver', 'etcd', 'kubelet', 'node'];

type Style = Parameters<typeof styleText>[0];
const STATUS_STYLE: Record<Status, Style> = {
  pass: 'green',
  fail: 'red',
  unknown: 'yellow',
  skip: 'gray',
  error: 'magenta',
};
const STATUS_WIDTH = 'UNKNOWN'.length;
const LEVEL_WIDTH = 'RECOMMENDED'.length;

/**
 * Control characters (ESC, CR, BEL, C1 …) become visible escapes: paths and values in messages
 * come from the audited host and must not drive the operator's terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function renderText(report: Report, options: TextOptions): string {
  const paint = (style: Style, text: string) =>
    options.color ? styleText(style, text, { validateStream: false }) : text;
  const lines: string[] = [];

  lines.push(
    paint(
      'bold',
      `scs-node-audit ${report.tool.version} · ${report.standard.id} ${report.standard.version} · host ${printable(report.host.hostname)}`,
    ),
  );
  const distribution = report.host.distribution;
  if (distribution !== null)
    lines.push(
      `distribution: ${printable(distribution.name)}${distribution.version === null ? '' : ` ${printable(distribution.version)}`}`,
    );
  lines.push(
    `roles:      ${report.host.roles.length > 0 ? report.host.roles.join(', ') : 'none (not a Kubernetes node)'}`,
  );
  const components = report.components.map((c) => {
    const pids = c.processes?.map((p) => `${p.pid}${p.trusted ? '' : ' suspicious'}`).join(', ');
    const origin = pids !== undefined ? `pids ${pids}` : printable(c.origin);
    return `${c.name} ${printable(c.version ?? 'version unknown')} (${origin})`;
  });
  lines.push(`components: ${components.length > 0 ? components.join(', ') : 'none found'}`);
  lines.push(`started:    ${report.startedAt} (${report.durationMs.toFixed(1)} ms)`);
  for (const note of report.notes) lines.push(`note:       ${printable(note)}`);
  if (report.selection) lines.push(`selection:  ${selectionLine(report.selection)}`);

  // One id column width for the whole report, so messages line up across groups.
  const idWidth = report.checks.reduce((width, c) => Math.max(width, c.id.length), 0);
  const groups = [
    ...COMPONENT_ORDER,
    ...new Set(report.checks.map((c) => c.component).filter((c) => !COMPONENT_ORDER.includes(c))),
  ];
  const shown = options.hideSkipped === true ? report.checks.filter((c) => c.status !== 'skip') : report.checks;
  for (const component of groups) {
    const checks = shown.filter((c) => c.component === component);
    if (checks.length === 0) continue;
    lines.push('', paint('bold', component));
    for (const check of checks) for (const line of checkLines(check, idWidth, paint)) lines.push(line);
  }
  const hidden = report.checks.length - shown.length;
  if (hidden > 0) lines.push('', `${hidden} skipped check${hidden === 1 ? '' : 's'} not shown (--hide-skipped).`);
  lines.push(...whatToFix(report.checks, paint));

  const closing = summaryLine(report.summary);
  const { compliant } = report.summary;
  const verdict = verdictWord(compliant);
  lines.push(
    '',
    closing.slice(0, -verdict.length) +
      paint(compliant === null ? 'bold' : compliant ? 'green' : ['red', 'bold'], verdict),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The closing list of what to change: every `fail` and `error`, most severe level first (MUST
 * before SHOULD …), in report order within a level, each with its remediation. Nothing failed:
 * no section.
 */
function whatToFix(checks: readonly ReportCheck[], paint: (style: Style, text: string) => string): string[] {
  const failing = checks
    .map((check, index) => ({ check, index }))
    .filter(({ check }) => check.status === 'fail' || check.status === 'error')
    .sort((a, b) => LEVELS.indexOf(a.check.level) - LEVELS.indexOf(b.check.level) || a.index - b.index)
    .map(({ check }) => check);
  if (failing.length === 0) return [];
  const lines = ['', paint('bold', 'What to fix, most severe first:')];
  const numberWidth = String(failing.length).length + 1;
  const indent = ' '.repeat(2 + numberWidth + 1);
  failing.forEach((check, index) => {
    const status = check.status === 'error' ? ' (check error: please report it)' : '';
    lines.push(
      `  ${`${index + 1}.`.padEnd(numberWidth)} ${paint(check.level === 'MUST' ? ['red', 'bold'] : 'red', check.level)} ${check.id}: ${printable(check.title)}${status}`,
    );
    lines.push(`${indent}${printable(check.remediation)}`);
  });
  return lines;
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
  const status = check.waiver
    ? paint('cyan', 'WAIVED'.padEnd(STATUS_WIDTH))
    : paint(STATUS_STYLE[check.status], check.status.toUpperCase().padEnd(STATUS_WIDTH));
  const lines = [
    `  ${status}  ${check.level.padEnd(LEVEL_WIDTH)}  ${check.id.padEnd(idWidth)}  ${printable(check.message)}`,
  ];
  if (check.status !== 'fail' && check.status !== 'unknown') return lines;
  const indent = ' '.repeat(2 + STATUS_WIDTH + 2);
  if (check.waiver)
    lines.push(
      `${indent}waived:      until ${check.waiver.expires} (owner ${printable(check.waiver.owner)}): ${printable(check.waiver.reason)}`,
    );
  for (const evidence of check.evidence)
    lines.push(`${indent}evidence:    ${evidence.source}: ${printable(evidence.detail)}`);
  lines.push(`${indent}remediation: ${printable(check.remediation)}`);
  return lines;
}
