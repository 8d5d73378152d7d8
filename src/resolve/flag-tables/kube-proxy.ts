// kube-proxy's flags, name → type as `kube-proxy --help` prints it.
// Source (generated from --help): kubernetes/website
// content/en/docs/reference/command-line-tools-reference/kube-proxy.md, commit
// 0189ae0f6bf2a79ff2e4bfd5f9ec0da98d64c5d2 (v1.18 generation). Flags marked "later" came after
// that page and were in the previous table of this project; component-base.ts has klog, logging,
// --help and --version.
import { COMPONENT_BASE_FLAGS } from './component-base.js';
import type { FlagTable } from './types.js';

export const KUBE_PROXY_FLAGS = {
  ...COMPONENT_BASE_FLAGS,
  'azure-container-registry-config': 'string',
  'bind-address': 'ip',
  'bind-address-hard-fail': 'bool', // later
  cleanup: 'bool',
  'cluster-cidr': 'string',
  config: 'string',
  'config-sync-period': 'duration',
  'conntrack-max-per-core': 'int32',
  'conntrack-min': 'int32',
  'conntrack-tcp-timeout-close-wait': 'duration',
  'conntrack-tcp-timeout-established': 'duration',
  'detect-local-mode': 'custom',
  'feature-gates': 'mapStringBool',
  'healthz-bind-address': 'ipport',
  'hostname-override': 'string',
  'iptables-masquerade-bit': 'int32',
  'iptables-min-sync-period': 'duration',
  'iptables-sync-period': 'duration',
  'ipvs-exclude-cidrs': 'strings',
  'ipvs-min-sync-period': 'duration',
  'ipvs-scheduler': 'string',
  'ipvs-strict-arp': 'bool',
  'ipvs-sync-period': 'duration',
  'ipvs-tcp-timeout': 'duration',
  'ipvs-tcpfin-timeout': 'duration',
  'ipvs-udp-timeout': 'duration',
  'kube-api-burst': 'int32',
  'kube-api-content-type': 'string',
  'kube-api-qps': 'float32',
  kubeconfig: 'string',
  'masquerade-all': 'bool',
  master: 'string',
  'metrics-bind-address': 'ipport',
  'nodeport-addresses': 'strings',
  'oom-score-adj': 'int32',
  profiling: 'bool',
  'proxy-mode': 'custom',
  'proxy-port-range': 'custom',
  'show-hidden-metrics-for-version': 'string',
  'udp-timeout': 'duration',
  'write-config-to': 'string',
} as const satisfies FlagTable;
