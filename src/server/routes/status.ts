// GET /: a small human status page. Inline CSS only, no script, no external asset; every
// value from the report is escaped (check messages quote flag values and file contents).
import type { FastifyPluginAsync } from 'fastify';
import type { Status } from '../../checks/types.js';
import type { AuditMetricsState } from '../../report/prometheus.js';
import type { ReportCheck } from '../../report/types.js';

// The page needs no script and loads nothing; the policy makes an injected tag inert anyway.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export const statusRoutes: FastifyPluginAsync<{ readState: () => AuditMetricsState; now?: () => Date }> = async (
  app,
  options,
) => {
  const now = options.now ?? (() => new Date());
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-store')
      .send(renderStatusPage(options.readState(), now())),
  );
};

const STATUS_ORDER: Status[] = ['error', 'fail', 'unknown', 'pass', 'skip'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Remediations mark commands and keys with backticks, as the README does: show them as code. */
export function escapeWithCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Pure: the whole page for one state. */
export function renderStatusPage(state: AuditMetricsState, now: Date): string {
  const report = state.report;
  const verdict =
    report === undefined
      ? { className: 'pending', text: 'No audit yet' }
      : report.summary.compliant === null
        ? { className: 'pending', text: 'Not a Kubernetes node' }
        : report.summary.compliant
          ? { className: 'ok', text: 'Compliant' }
          : { className: 'bad', text: 'Not compliant' };
  const title = report === undefined ? 'scs-node-audit' : `scs-node-audit: ${report.host.hostname}`;

  const facts: string[] = [];
  if (report !== undefined) {
    facts.push(fact('Node', report.host.hostname));
    if (report.host.distribution !== null)
      facts.push(
        fact(
          'Distribution',
          [report.host.distribution.name, report.host.distribution.version].filter((v) => v !== null).join(' '),
        ),
      );
    facts.push(fact('Roles', report.host.roles.length > 0 ? report.host.roles.join(', ') : 'none detected'));
    facts.push(
      fact(
        'Last audit',
        `${report.startedAt} (${ageText(now.getTime() - Date.parse(report.startedAt))} ago, ${report.durationMs.toFixed(1)} ms)`,
      ),
    );
    facts.push(fact('Standard', `${report.standard.id} ${report.standard.version}`));
    facts.push(
      fact(
        'Components',
        report.components.map((c) => `${c.name} ${c.version ?? '(version unknown)'}`).join(', ') || 'none found',
      ),
    );
  }
  facts.push(fact('Audit runs', `${state.runs} (${state.runFailures} failed)`));
  facts.push(fact('Version', state.version));

  const warning =
    state.lastRun !== undefined && !state.lastRun.success
      ? `<p class="warning">The last audit run (${escapeHtml(state.lastRun.startedAt.toISOString())}) failed${state.lastRun.error === undefined ? '' : `: ${escapeHtml(state.lastRun.error)}`}. ${
          report === undefined
            ? 'No audit has completed yet.'
            : `This page shows the last good report, from ${ageText(now.getTime() - Date.parse(report.startedAt))} ago.`
        }</p>`
      : '';

  const summary =
    report === undefined
      ? '<p>The first audit has not completed yet.</p>'
      : `<ul class="summary">${STATUS_ORDER.map((status) => `<li class="s-${status}">${report.summary[status]} ${status}</li>`).join('')}</ul>`;

  const checks = report === undefined ? '' : renderCheckTable(report.checks);
  const notes =
    report === undefined || report.notes.length === 0
      ? ''
      : `<h2>Notes</h2><ul>${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span class="verdict ${verdict.className}">${verdict.text}</span></header>
<main>
${warning}
<dl>${facts.join('')}</dl>
${summary}
${checks}
${notes}
</main>
<footer><a href="metrics">/metrics</a> · <a href="report">/report</a> (JSON) · <a href="healthz">/healthz</a> · <a href="readyz">/readyz</a></footer>
</body>
</html>
`;
}

/** A waived failure says why it does not count, and until when. */
function waiverLine(check: ReportCheck): string {
  if (!check.waiver) return '';
  const { reason, owner, expires } = check.waiver;
  return `<p class="waiver"><strong>Waived</strong> until ${escapeHtml(expires)} (owner ${escapeHtml(owner)}): ${escapeHtml(reason)}</p>`;
}

function renderCheckTable(checks: ReportCheck[]): string {
  const ordered = [...checks].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  const rows = ordered.map((check) => {
    const failing = check.status === 'fail' || check.status === 'error';
    const evidence = check.evidence
      .map((item) => `<li><span class="source">${escapeHtml(item.source)}</span> ${escapeHtml(item.detail)}</li>`)
      .join('');
    return `<tr class="s-${check.status}">
<td><span class="pill s-${check.status}">${check.waiver ? 'waived' : check.status}</span></td>
<td><code>${escapeHtml(check.id)}</code><div class="title">${escapeHtml(check.title)}</div></td>
<td class="word">${escapeHtml(check.level)}</td>
<td class="word">${escapeHtml(check.component)}</td>
<td>${escapeHtml(check.message)}${waiverLine(check)}${evidence === '' ? '' : `<details><summary>evidence</summary><ul>${evidence}</ul></details>`}${
      failing ? `<p class="remediation"><strong>Remediation:</strong> ${escapeWithCode(check.remediation)}</p>` : ''
    }</td>
</tr>`;
  });
  return `<table>
<colgroup><col class="c-status"><col class="c-check"><col class="c-level"><col class="c-component"><col></colgroup>
<thead><tr><th>Status</th><th>Check</th><th>Level</th><th>Component</th><th>Finding</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function fact(name: string, value: string): string {
  return `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`;
}

function ageText(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--error:#8250df;--unknown:#9a6700;--skip:#6e7781}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--pass:#3fb950;--fail:#f85149;--error:#bc8cff;--unknown:#d29922;--skip:#8d96a0}}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:1.5rem}
header{display:flex;align-items:center;gap:1rem;flex-wrap:wrap;border-bottom:1px solid var(--line);padding-bottom:.75rem}
h1{font-size:1.4rem;margin:0}
.verdict{font-weight:600;padding:.25rem .8rem;border-radius:999px;color:#fff}
.verdict.ok{background:var(--pass)}.verdict.bad{background:var(--fail)}.verdict.pending{background:var(--skip)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}
dt{color:var(--muted)}dd{margin:0}
.summary{display:flex;gap:.5rem;list-style:none;padding:0;flex-wrap:wrap}
.summary li{border:1px solid var(--line);border-left:4px solid;border-radius:4px;padding:.2rem .6rem}
.warning{border:1px solid var(--unknown);border-left:4px solid var(--unknown);padding:.5rem .75rem;border-radius:4px}
table{border-collapse:collapse;width:100%;table-layout:fixed}
.c-status{width:6.5em}.c-check{width:17em}.c-level{width:10em}.c-component{width:9.5em}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
td code{overflow-wrap:normal;word-break:normal}
td.word{white-space:nowrap;overflow-wrap:normal}
th{color:var(--muted);font-weight:600}
.title{color:var(--muted);font-size:.9em}
.pill{display:inline-block;min-width:4.5em;text-align:center;border-radius:999px;padding:.05rem .5rem;color:#fff;font-size:.85em;font-weight:600}
.pill.s-pass{background:var(--pass)}.pill.s-fail{background:var(--fail)}.pill.s-error{background:var(--error)}.pill.s-unknown{background:var(--unknown)}.pill.s-skip{background:var(--skip)}
.summary .s-pass{border-left-color:var(--pass)}.summary .s-fail{border-left-color:var(--fail)}.summary .s-error{border-left-color:var(--error)}.summary .s-unknown{border-left-color:var(--unknown)}.summary .s-skip{border-left-color:var(--skip)}
tr.s-fail td:first-child,tr.s-error td:first-child{box-shadow:inset 3px 0 var(--fail)}
.remediation{margin:.4rem 0 0}
details{margin-top:.3rem;color:var(--muted)}
.source{font-family:ui-monospace,monospace;font-size:.85em}
code{font-family:ui-monospace,"SFMono-Regular",monospace}
footer{margin-top:1.5rem;color:var(--muted);font-size:.9em}
a{color:inherit}
`;
