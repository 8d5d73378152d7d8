// GET /healthz (the process serves) and GET /readyz (an audit has completed).
import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync<{ isReady: () => boolean }> = async (app, { isReady }) => {
  app.get('/healthz', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'));
  app.get('/readyz', async (_request, reply) => {
    if (isReady()) return reply.type('text/plain; charset=utf-8').send('ready\n');
    return reply.code(503).type('text/plain; charset=utf-8').send('no audit has completed yet\n');
  });
};
