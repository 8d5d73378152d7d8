// `--format sarif`: SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)
// for code-scanning dashboards. One run; one rule per check of the report (from the registry's
// metadata); one result per check that did not pass: `fail` and `error` as failures, `unknown` as
// "needs review". `pass` and `skip` are not results (the run's properties count them).
import { CHECKS } from '../checks/index.js';
import type { CheckDefinition, Level } from '../checks/types.js';
import type { Report, ReportCheck } from './types.js';

/** The schema URI GitHub code scanning and the SARIF SDK recognise for 2.1.0. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/**
 * A failure's SARIF level follows the standard's keyword: MUST is an error, SHOULD and RECOMMENDED
 * (RFC 2119 treats them alike) a warning, OPTIONAL a note.
 */
export const SARIF_LEVEL = {
  MUST: 'error',
  SHOULD: 'warning',
  RECOMMENDED: 'warning',
  OPTIONAL: 'note',
} as const satisfies Record<Level, SarifLevel>;

const DEFINITIONS = new Map<string, CheckDefinition>(CHECKS.map((c) => [c.id, c]));

function rule(check: ReportCheck) {
  const definition = DEFINITIONS.get(check.id);
  const requirement = definition
    ? `scs-0217-v1, ${definition.requirement.section}: "${definition.requirement.quote}"`
    : check.title;
  return {
    id: check.id,
    name: check.id,
    shortDescription: { text: check.title },
    fullDescription: { text: requirement },
    help: { text: check.remediation },
    defaultConfiguration: { level: SARIF_LEVEL[check.level] },
    properties: { level: check.level, component: check.component, tags: ['scs-0217', check.level, check.component] },
  };
}

function resultText(check: ReportCheck): string {
  const lines = [check.status === 'unknown' ? `Could not be decided: ${check.message}` : check.message];
  for (const e of check.evidence) lines.push(`evidence: ${e.source}: ${e.detail}`);
  if (check.waiver) lines.push(`waived until ${check.waiver.expires} by ${check.waiver.owner}: ${check.waiver.reason}`);
  return lines.join('\n');
}

function result(report: Report, check: ReportCheck, ruleIndex: number) {
  // SARIF §3.27.9: a level other than "none" requires kind "fail"; "review" is the kind for
  // "a human must look", which is what `unknown` asks for.
  const failed = check.status === 'fail' || check.status === 'error';
  return {
    ruleId: check.id,
    ruleIndex,
    kind: failed ? 'fail' : 'review',
    level: failed ? SARIF_LEVEL[check.level] : 'none',
    message: { text: resultText(check) },
    // A node has no source file to point at: the location is the host and component audited.
    locations: [
      {
        logicalLocations: [
          { name: check.component, fullyQualifiedName: `${report.host.hostname}/${check.component}`, kind: 'module' },
        ],
      },
    ],
    partialFingerprints: { 'scsNodeAudit/v1': `${report.host.hostname}/${check.id}` },
    ...(check.waiver && {
      suppressions: [
        {
          kind: 'external',
          status: 'accepted',
          justification: `${check.waiver.reason} (owner ${check.waiver.owner}, expires ${check.waiver.expires})`,
          properties: { owner: check.waiver.owner, expires: check.waiver.expires },
        },
      ],
    }),
    properties: { status: check.status, level: check.level, remediation: check.remediation },
  };
}

export function sarifDocument(report: Report) {
  const ruleIndex = new Map(report.checks.map((c, i) => [c.id, i]));
  const end = new Date(Date.parse(report.startedAt) + Math.round(report.durationMs));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: report.checks.map(rule),
          },
        },
        automationDetails: { id: `${report.tool.name}/${report.host.hostname}/` },
        invocations: [{ executionSuccessful: true, startTimeUtc: report.startedAt, endTimeUtc: end.toISOString() }],
        results: report.checks
          .filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'unknown')
          .map((c) => result(report, c, ruleIndex.get(c.id)!)),
        properties: {
          standard: `${report.standard.id}-${report.standard.version}`,
          hostname: report.host.hostname,
          roles: [...report.host.roles],
          summary: { ...report.summary },
          notes: [...report.notes],
          ...(report.selection && { notSelected: [...report.selection.notSelected] }),
        },
      },
    ],
  };
}

export function renderSarif(report: Report): string {
  return `${JSON.stringify(sarifDocument(report), null, 2)}\n`;
}
