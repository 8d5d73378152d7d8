// A daemon process for tests and benchmarks until the real audit engine is wired in:
// runDaemon with an audit that reads a JSON report from a file the test rewrites.
//   node report-file-daemon.js <report.json> <settings.json> [web-config.yml]
// settings.json: {"intervalSeconds": N}; any other key is rejected on reload, naming it.
// The audit fails (a run failure) while the report file holds something that is not a report.
// Without arguments it does nothing, because `node --test dist/test/` also runs this file.
import { readFileSync } from 'node:fs';
import { createLogger } from '../../src/log.js';
import type { Report } from '../../src/report/types.js';
import { runDaemon, type DaemonSettings } from '../../src/server/daemon.js';

const [reportFile, settingsFile, webConfigFile] = process.argv.slice(2);

function readSettings(file: string): DaemonSettings<{ reportFile: string }> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const key of Object.keys(parsed)) {
    if (key !== 'intervalSeconds') throw Object.assign(new Error(`${file}: unknown key ${key}`), { key });
  }
  if (typeof parsed.intervalSeconds !== 'number')
    throw Object.assign(new Error(`${file}: intervalSeconds must be a number`), { key: 'intervalSeconds' });
  return { config: { reportFile: reportFile! }, intervalMs: parsed.intervalSeconds * 1000 };
}

function readReport(config: { reportFile: string }): Report {
  const report = JSON.parse(readFileSync(config.reportFile, 'utf8')) as Report;
  if (!Array.isArray(report.checks)) throw new Error(`${config.reportFile}: not a report`);
  return report;
}

if (reportFile !== undefined && settingsFile !== undefined) {
  await runDaemon({
    settings: readSettings(settingsFile),
    reload: () => readSettings(settingsFile),
    audit: readReport,
    listen: process.env.SCS_LISTEN ?? '127.0.0.1:0',
    webConfigFile,
    logger: createLogger({ level: 'debug', format: 'json' }),
    version: '0.1.0',
  });
}
