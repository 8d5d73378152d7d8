// One audit with live probes: collect → resolve → plan probes → run them → resolve and evaluate
// with their answers. Without `probes.enabled` it is exactly runAudit.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectForAudit, runAudit, type AuditOptions } from './audit.js';
import type { ProbeRun, runProbes } from './collect/probes/run.js';
import type { AuditConfig } from './config.js';
import { resolveViews } from './resolve/index.js';
import {
  KUBEADM_ETCD_PROBE_CREDENTIALS,
  type EtcdProbeCredentialPaths,
  type ProbePlan,
} from './collect/probes/plan.js';
import { planProbesForViews } from './resolve/probe-plan.js';
import type { Report } from './report/types.js';
import { withYamlMemo } from './formats/yaml.js';

export interface ProbeAuditOptions extends AuditOptions {
  /** The probe stage; a test passes a fake. */
  probe?: typeof runProbes;
}

export async function runAuditWithProbes(options: ProbeAuditOptions): Promise<Report> {
  if (!options.config.probes.enabled) return runAudit(options);
  // One YAML memo for both resolves of this audit (planning and the final one).
  return withYamlMemo(() => auditWithProbes(options));
}

async function auditWithProbes(options: ProbeAuditOptions): Promise<Report> {
  const start = performance.now();
  const startedAt = options.now ?? new Date();
  const proc = options.proc ?? path.join(options.root, 'proc');
  const collect = options.collect ?? collectForAudit;
  const snapshot = collect({ root: options.root, proc, now: startedAt });

  const credentials = etcdProbeCredentials(options.config, options.root);
  const plan = planProbesForViews(
    resolveViews(snapshot, { releases: options.config.releaseTable }),
    credentials.paths ? { etcdCredentials: credentials.paths } : {},
  );
  for (const note of credentials.notes) plan.notes.push(note);
  // The probe stage loads node:http, http2, https and tls (about 100 modules, a third of the start
  // of `--once`): only when there is something to probe.
  const probe =
    options.probe ?? (plan.probes.length === 0 ? noProbes : (await import('./collect/probes/run.js')).runProbes);
  const run = await probe(plan, { timeoutMs: options.config.probes.timeoutMs, proc });

  const probed = {
    ...snapshot,
    probes: { ...snapshot.probes, ...run.results },
    notes: [...snapshot.notes, ...run.notes],
  };
  const report = runAudit({ ...options, now: startedAt, collect: () => probed });
  return { ...report, durationMs: Math.round((performance.now() - start) * 10) / 10 };
}

/** What runProbes gives for a plan without probes: its notes. */
function noProbes(plan: ProbePlan): Promise<ProbeRun> {
  return Promise.resolve({ results: { records: [] }, notes: [...plan.notes] });
}

/**
 * The client certificate the etcd auth probe may present: `probes.etcd.*` (paths as this audit
 * sees them), else kubeadm's health-check client certificate under the audited root.
 */
export function etcdProbeCredentials(
  config: AuditConfig,
  root: string,
): { paths?: EtcdProbeCredentialPaths; notes: string[] } {
  const { certFile, keyFile, caFile } = config.probes.etcd;
  if (certFile !== null && keyFile !== null)
    return { paths: { certFile, keyFile, ...(caFile !== null && { caFile }), origin: 'probes.etcd' }, notes: [] };
  if (certFile !== null || keyFile !== null) {
    return {
      notes: [
        'probes.etcd: certFile and keyFile must be set together; the etcd auth probe asks without a client certificate',
      ],
    };
  }
  const under = (p: string) => path.join(root, p);
  return {
    paths: {
      certFile: under(KUBEADM_ETCD_PROBE_CREDENTIALS.certFile),
      keyFile: under(KUBEADM_ETCD_PROBE_CREDENTIALS.keyFile),
      caFile: under(KUBEADM_ETCD_PROBE_CREDENTIALS.caFile),
      origin: 'kubeadm default',
    },
    notes: [],
  };
}
