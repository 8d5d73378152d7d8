// GET /report: the JSON report of DESIGN §4, the same document as `--once --format json`.
import type { FastifyPluginAsync } from 'fastify';
import { renderJson } from '../../report/json.js';
import type { Report } from '../../report/types.js';

export const reportRoutes: FastifyPluginAsync<{ readReport: () => Report | undefined }> = async (
  app,
  { readReport },
) => {
  app.get('/report', async (_request, reply) => {
    const report = readReport();
    if (report === undefined) {
      return reply
        .code(503)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ error: 'no audit has completed yet' }) + '\n');
    }
    // The report's own time: while audits fail, the last good one is served and this tells its age.
    return reply
      .type('application/json; charset=utf-8')
      .header('last-modified', new Date(report.startedAt).toUTCString())
      .send(renderJson(report));
  });
};
