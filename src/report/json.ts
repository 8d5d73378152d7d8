// `--format json` and `GET /report`: the DESIGN §4 document, keys in the documented order.
import type { Report, ReportCheck, ReportComponent } from './types.js';

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
      distribution:
        report.host.distribution === null
          ? null
          : { name: report.host.distribution.name, version: report.host.distribution.version },
    },
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    components: report.components.map(componentDocument),
    checks: report.checks.map(checkDocument),
    notes: [...report.notes],
    summary: {
      pass: report.summary.pass,
      fail: report.summary.fail,
      skip: report.summary.skip,
      unknown: report.summary.unknown,
      error: report.summary.error,
      compliant: report.summary.compliant,
      waived: report.summary.waived,
    },
    waivers: (report.waivers ?? []).map((w) => ({
      check: w.check,
      component: w.component,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      current: w.current,
    })),
    selection: report.selection
      ? {
          checks: report.selection.checks && [...report.selection.checks],
          skip: [...report.selection.skip],
          levels: report.selection.levels && [...report.selection.levels],
          components: report.selection.components && [...report.selection.components],
          notSelected: [...report.selection.notSelected],
        }
      : null,
    releaseTable: report.releaseTable ? { source: report.releaseTable.source, asOf: report.releaseTable.asOf } : null,
  };
}

/** `processes` only when the audit listed them (several, or a suspicious one): DESIGN §4's shape otherwise. */
function componentDocument(c: ReportComponent): ReportComponent {
  const processes = c.processes?.map((p) => ({
    pid: p.pid,
    trusted: p.trusted,
    ...(p.reasons !== undefined && { reasons: [...p.reasons] }),
  }));
  return {
    name: c.name,
    pid: c.pid,
    version: c.version,
    source: c.source,
    origin: c.origin,
    ...(processes !== undefined && { processes }),
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
    ...(check.waiver && {
      waiver: { reason: check.waiver.reason, owner: check.waiver.owner, expires: check.waiver.expires },
    }),
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(reportDocument(report), null, 2)}\n`;
}
