// GET /metrics: the DESIGN §5 families plus process metrics, from this server's own registry.
import type { FastifyPluginAsync } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerAuditMetrics, type AuditMetricsState } from '../../report/prometheus.js';

// prom-client exposes these as gauges named `_total`, which `promtool check metrics` rejects
// ("non-counter metrics should not have _total suffix"); research/ecosystem.md §1.3.
const PROMTOOL_REJECTED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A fresh registry (never prom-client's global one) with process metrics and the audit families. */
export function createDaemonRegistry(readState: () => AuditMetricsState): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of PROMTOOL_REJECTED_DEFAULTS) registry.removeSingleMetric(name);
  registerAuditMetrics(registry, readState);
  return registry;
}

export const metricsRoutes: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  app.get('/metrics', async (_request, reply) => {
    // Served from the last report: a scrape never runs an audit.
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
};
