// `--format junit`: one <testsuite> per component, one <testcase> per check, for CI dashboards.
import type { CheckComponent } from '../checks/types.js';
import { countStatuses, countWaived } from './summary.js';
import type { Report, ReportCheck } from './types.js';

const COMPONENT_ORDER: readonly CheckComponent[] = ['kube-apiserver', 'etcd', 'kubelet', 'node'];

/**
 * Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF)
 * become a visible `\xNN`/`\uNNNN`: a hostile path in a message must not make the file unparsable.
 */
function xmlSafe(text: string): string {
  /* eslint-disable no-control-regex -- finding the characters XML cannot carry is the point */
  return text.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
  /* eslint-enable no-control-regex */
}

export function escapeXml(text: string): string {
  return xmlSafe(text).replace(
    /[&<>"'\t\n\r]/g,
    (c) =>
      ({
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '"': '&quot;',
        "'": '&apos;',
        '\t': '&#9;',
        '\n': '&#10;',
        '\r': '&#13;',
      })[c]!,
  );
}

/** Escaped for element content; line breaks stay line breaks there (only `\r` is kept as a reference). */
function escapeText(text: string): string {
  return xmlSafe(text).replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c]!);
}

function details(check: ReportCheck): string {
  const lines = [check.message, ...check.evidence.map((e) => `evidence: ${e.source}: ${e.detail}`)];
  if (check.status === 'fail' || check.status === 'unknown') lines.push(`remediation: ${check.remediation}`);
  return lines.join('\n');
}

function testcase(check: ReportCheck): string[] {
  const open = `    <testcase classname="${escapeXml(check.component)}" name="${escapeXml(check.id)}" time="0">`;
  const message = `message="${escapeXml(check.message)}" type="${escapeXml(check.level)}"`;
  const body = escapeText(details(check));
  switch (check.status) {
    case 'pass':
      return [`${open.slice(0, -1)}/>`];
    case 'fail':
      if (check.waiver) {
        // A current waiver: reported, not counted as a failure, as the exit code does.
        const why = `waived until ${check.waiver.expires} (owner ${check.waiver.owner}): ${check.waiver.reason}`;
        return [
          open,
          `      <skipped message="${escapeXml(`${why}; ${check.message}`)}">${body}</skipped>`,
          '    </testcase>',
        ];
      }
      return [open, `      <failure ${message}>${body}</failure>`, '    </testcase>'];
    case 'error':
      return [open, `      <error ${message}>${body}</error>`, '    </testcase>'];
    case 'skip':
      return [open, `      <skipped message="${escapeXml(check.message)}"/>`, '    </testcase>'];
    case 'unknown':
      // JUnit has no "undecided": skipped keeps it out of the failure count, the message says why.
      return [
        open,
        `      <skipped message="${escapeXml(`unknown: ${check.message}`)}">${body}</skipped>`,
        '    </testcase>',
      ];
  }
}

function counts(checks: readonly ReportCheck[]): string {
  const s = countStatuses(checks);
  const waived = countWaived(checks);
  return `tests="${checks.length}" failures="${s.fail - waived}" errors="${s.error}" skipped="${s.skip + s.unknown + waived}"`;
}

export function renderJunit(report: Report): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const groups = [
    ...COMPONENT_ORDER,
    ...new Set(report.checks.map((c) => c.component).filter((c) => !COMPONENT_ORDER.includes(c))),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="scs-node-audit ${escapeXml(report.standard.id)} ${escapeXml(report.standard.version)}" ${counts(report.checks)} time="${seconds}">`,
  ];
  for (const component of groups) {
    const checks = report.checks.filter((c) => c.component === component);
    if (checks.length === 0) continue;
    lines.push(
      `  <testsuite name="${escapeXml(component)}" ${counts(checks)} time="0" timestamp="${escapeXml(report.startedAt)}" hostname="${escapeXml(report.host.hostname)}">`,
      ...checks.flatMap(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
