// GET /report: the JSON report of DESIGN §4, the same document as `--once --format json`.
import type { FastifyPluginAsync } from 'fastify';
import { renderJson } from '../../report/json.js';
import type { Report } from '../../report/types.js';

export const reportRoutes: FastifyPluginAsync<{ readReport: () => Report | undefined }> = async (app, { readReport }) => {
  app.get('/report', async (_request, reply) => {
    const report = readReport();
    if (report === undefined) {
      return reply.code(503).type('application/json; charset=utf-8').send(JSON.stringify({ error: 'no audit has completed yet' }) + '\n');
    }
    return reply.type('application/json; charset=utf-8').send(renderJson(report));
  });
};
