// `--format json` and `GET /report`: the DESIGN §4 document, keys in the documented order.
import type { Report, ReportCheck } from './types.js';

/**
 * Rebuild the report field by field rather than stringify what we were given: a Finding carries
 * `messageId`, and any extra property on an object passed in must not leak into a public schema.
 */
export function reportDocument(report: Report): Report {
  return {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    standard: { id: report.standard.id, version: report.standard.version },
    host: {
      hostname: report.host.hostname,
      roles: [...report.host.roles],
      distribution: report.host.distribution === null ? null : { name: report.host.distribution.name, version: report.host.distribution.version },
    },
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    components: report.components.map((c) => ({ name: c.name, pid: c.pid, version: c.version, source: c.source, origin: c.origin })),
    checks: report.checks.map(checkDocument),
    notes: [...report.notes],
    summary: {
      pass: report.summary.pass,
      fail: report.summary.fail,
      skip: report.summary.skip,
      unknown: report.summary.unknown,
      error: report.summary.error,
      compliant: report.summary.compliant,
    },
  };
}

function checkDocument(check: ReportCheck): ReportCheck {
  return {
    id: check.id,
    title: check.title,
    level: check.level,
    component: check.component,
    status: check.status,
    message: check.message,
    evidence: check.evidence.map((e) => ({ source: e.source, detail: e.detail })),
    remediation: check.remediation,
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(reportDocument(report), null, 2)}\n`;
}
