// What a probe plan is: the probes resolve/probe-plan.ts decides on and run.ts carries out, with
// their bounds. Declared here, beside the probes, so that collect needs nothing from resolve.
import type { ComponentName, ProbeName } from '../types.js';

/** The bounds of live probes: one probe at most 2 s, all probes of one audit together at most 5 s. */
export const PROBE_TIMEOUT_MAX_MS = 2_000;
export const PROBE_BUDGET_MS = 5_000;

/** kubeadm's etcd health-check client certificate (kubeadm `certs` phase: etcd-healthcheck-client). */
export const KUBEADM_ETCD_PROBE_CREDENTIALS = {
  certFile: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  keyFile: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
  caFile: '/etc/kubernetes/pki/etcd/ca.crt',
} as const;

/** The config keys that let the etcd auth probe present a client certificate. */
export const ETCD_PROBE_KEYS = 'probes.etcd.certFile, probes.etcd.keyFile and probes.etcd.caFile';

/** Paths of the client certificate the etcd auth probe may present; read by collect, never stored. */
export interface EtcdProbeCredentialPaths {
  certFile: string;
  keyFile: string;
  caFile?: string;
  /** Where the paths came from, for messages: `probes.etcd` or `kubeadm default`. */
  origin: 'probes.etcd' | 'kubeadm default';
}

interface ProbeBase {
  probe: ProbeName;
  component: ComponentName;
  pid: number;
  listener: { address: string; port: number };
  /** The address to connect to: loopback for a wildcard bind, else the bound local address. */
  host: string;
  port: number;
}

export type PlannedProbe =
  | (ProbeBase & { kind: 'handshake' })
  | (ProbeBase & { kind: 'http'; url: string })
  | (ProbeBase & { kind: 'etcd-auth'; baseUrl: string; credentials?: EtcdProbeCredentialPaths });

export interface ProbePlan {
  probes: PlannedProbe[];
  /** Why probes, or some of them, are not planned; for the report's notes. */
  notes: string[];
}
