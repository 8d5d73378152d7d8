// GET /metrics: the DESIGN §5 families plus process metrics, from this server's own registry.
import type { FastifyPluginAsync } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerAuditMetrics, type AuditMetricsState } from '../../report/prometheus.js';

// prom-client exposes these as gauges named `_total`, which `promtool check metrics` rejects
// ("non-counter metrics should not have _total suffix", prometheus/client_golang:
// prometheus/testutil/promlint); test/server/server.test.ts runs promtool over a live scrape.
const PROMTOOL_REJECTED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

// prom-client samples event-loop delay with perf_hooks.monitorEventLoopDelay, a libuv timer firing
// every `eventLoopMonitoringPrecision` ms (default 10: ~100 wake-ups a second in a daemon that
// otherwise sleeps between audits and scrapes; prom-client:lib/metrics/eventLoopLag.js). The
// longest resolution libuv takes means the timer never fires, and the histogram's series, then
// empty, are removed. nodejs_eventloop_lag_seconds stays: it is measured at each scrape.
const EVENT_LOOP_MONITOR_NEVER_MS = 2 ** 31 - 1;
const EVENT_LOOP_HISTOGRAM_SERIES = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map(
  (stat) => `nodejs_eventloop_lag_${stat}_seconds`,
);

/** A fresh registry (never prom-client's global one) with process metrics and the audit families. */
export function createDaemonRegistry(readState: () => AuditMetricsState): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_MONITOR_NEVER_MS });
  for (const name of [...PROMTOOL_REJECTED_DEFAULTS, ...EVENT_LOOP_HISTOGRAM_SERIES]) registry.removeSingleMetric(name);
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
