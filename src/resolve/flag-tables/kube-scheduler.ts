// kube-scheduler's flags, name → type as `kube-scheduler --help` prints it.
// Source (generated from --help): kubernetes/website
// content/en/docs/reference/command-line-tools-reference/kube-scheduler.md, commit
// 0189ae0f6bf2a79ff2e4bfd5f9ec0da98d64c5d2 (v1.18 generation; keeps the deprecated insecure
// --address/--port and policy flags of old clusters). Flags marked "later" were added after that
// page and were taken from the same options on the v1.35 kube-apiserver page (the shared
// apiserver/component-base option sets) or the previous table of this project; see
// component-base.ts for klog, logging, --help and --version.
import { COMPONENT_BASE_FLAGS } from './component-base.js';
import type { FlagTable } from './types.js';

export const KUBE_SCHEDULER_FLAGS = {
  ...COMPONENT_BASE_FLAGS,
  address: 'string',
  'algorithm-provider': 'string',
  'allow-metric-labels': 'mapStringString', // later
  'allow-metric-labels-manifest': 'string', // later
  'authentication-kubeconfig': 'string',
  'authentication-skip-lookup': 'bool',
  'authentication-token-webhook-cache-ttl': 'duration',
  'authentication-tolerate-lookup-failure': 'bool',
  'authorization-always-allow-paths': 'strings',
  'authorization-kubeconfig': 'string',
  'authorization-webhook-cache-authorized-ttl': 'duration',
  'authorization-webhook-cache-unauthorized-ttl': 'duration',
  'azure-container-registry-config': 'string',
  'bind-address': 'ip',
  'cert-dir': 'string',
  'client-ca-file': 'string',
  config: 'string',
  'contention-profiling': 'bool',
  'disable-http2-serving': 'bool', // later
  'disabled-metrics': 'strings', // later
  'feature-gates': 'mapStringBool',
  'hard-pod-affinity-symmetric-weight': 'int32',
  'http2-max-streams-per-connection': 'int',
  'kube-api-burst': 'int32',
  'kube-api-content-type': 'string',
  'kube-api-qps': 'float32',
  kubeconfig: 'string',
  'leader-elect': 'bool',
  'leader-elect-lease-duration': 'duration',
  'leader-elect-renew-deadline': 'duration',
  'leader-elect-resource-lock': 'string',
  'leader-elect-resource-name': 'string',
  'leader-elect-resource-namespace': 'string',
  'leader-elect-retry-period': 'duration',
  'lock-object-name': 'string',
  'lock-object-namespace': 'string',
  master: 'string',
  'permit-address-sharing': 'bool', // later
  'permit-port-sharing': 'bool', // later
  'policy-config-file': 'string',
  'policy-configmap': 'string',
  'policy-configmap-namespace': 'string',
  port: 'int',
  profiling: 'bool',
  'requestheader-allowed-names': 'strings',
  'requestheader-client-ca-file': 'string',
  'requestheader-extra-headers-prefix': 'strings',
  'requestheader-group-headers': 'strings',
  'requestheader-uid-headers': 'strings', // later
  'requestheader-username-headers': 'strings',
  'scheduler-name': 'string',
  'secure-port': 'int',
  'show-hidden-metrics-for-version': 'string',
  'tls-cert-file': 'string',
  'tls-cipher-suites': 'strings',
  'tls-min-version': 'string',
  'tls-private-key-file': 'string',
  'tls-sni-cert-key': 'namedCertKey',
  'use-legacy-policy-config': 'bool',
  'write-config-to': 'string',
} as const satisfies FlagTable;
