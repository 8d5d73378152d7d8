// kube-controller-manager's flags, name → type as `kube-controller-manager --help` prints it.
// Source (generated from --help): kubernetes/website
// content/en/docs/reference/command-line-tools-reference/kube-controller-manager.md, commit
// 0189ae0f6bf2a79ff2e4bfd5f9ec0da98d64c5d2 (v1.18 generation). Flags marked "later" were added
// after that page (certificate signer split of 1.19, leader migration, newer sync workers) and
// those marked "hidden" are the deprecated insecure-serving flags --help did not list; both are
// written by hand from the releases that have them, not read from a generated page.
// component-base.ts has klog, logging, --help and --version.
import { COMPONENT_BASE_FLAGS } from './component-base.js';
import type { FlagTable } from './types.js';

export const KUBE_CONTROLLER_MANAGER_FLAGS = {
  ...COMPONENT_BASE_FLAGS,
  address: 'ip', // hidden: removed in 1.24
  'allocate-node-cidrs': 'bool',
  'allow-metric-labels': 'mapStringString', // later
  'allow-metric-labels-manifest': 'string', // later
  'attach-detach-reconcile-sync-period': 'duration',
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
  'cidr-allocator-type': 'string',
  'client-ca-file': 'string',
  'cloud-config': 'string',
  'cloud-provider': 'string',
  'cluster-cidr': 'string',
  'cluster-name': 'string',
  'cluster-signing-cert-file': 'string',
  'cluster-signing-duration': 'duration', // later
  'cluster-signing-key-file': 'string',
  'cluster-signing-kube-apiserver-client-cert-file': 'string', // later
  'cluster-signing-kube-apiserver-client-key-file': 'string', // later
  'cluster-signing-kubelet-client-cert-file': 'string', // later
  'cluster-signing-kubelet-client-key-file': 'string', // later
  'cluster-signing-kubelet-serving-cert-file': 'string', // later
  'cluster-signing-kubelet-serving-key-file': 'string', // later
  'cluster-signing-legacy-unknown-cert-file': 'string', // later
  'cluster-signing-legacy-unknown-key-file': 'string', // later
  'concurrent-cron-job-syncs': 'int32', // later
  'concurrent-daemonset-syncs': 'int32', // later
  'concurrent-deployment-syncs': 'int32',
  'concurrent-endpoint-syncs': 'int32',
  'concurrent-ephemeralvolume-syncs': 'int32', // later
  'concurrent-gc-syncs': 'int32',
  'concurrent-horizontal-pod-autoscaler-syncs': 'int32', // later
  'concurrent-job-syncs': 'int32', // later
  'concurrent-namespace-syncs': 'int32',
  // Written `--concurrent_rc_syncs`; pflag's normaliser makes it this name.
  'concurrent-rc-syncs': 'int32',
  'concurrent-replicaset-syncs': 'int32',
  'concurrent-resource-quota-syncs': 'int32',
  'concurrent-service-endpoint-syncs': 'int32',
  'concurrent-service-syncs': 'int32',
  'concurrent-serviceaccount-token-syncs': 'int32',
  'concurrent-statefulset-syncs': 'int32',
  'concurrent-ttl-after-finished-syncs': 'int32',
  'configure-cloud-routes': 'bool',
  'contention-profiling': 'bool',
  'controller-start-interval': 'duration',
  controllers: 'strings',
  'deployment-controller-sync-period': 'duration',
  'disable-attach-detach-reconcile-sync': 'bool',
  'disable-http2-serving': 'bool', // later
  'disabled-metrics': 'strings', // later
  'enable-dynamic-provisioning': 'bool',
  'enable-garbage-collector': 'bool',
  'enable-hostpath-provisioner': 'bool',
  'enable-leader-migration': 'bool', // later
  'enable-taint-manager': 'bool',
  'endpoint-updates-batch-period': 'duration',
  'endpointslice-updates-batch-period': 'duration',
  'experimental-cluster-signing-duration': 'duration',
  'external-cloud-volume-plugin': 'string',
  'feature-gates': 'mapStringBool',
  'flex-volume-plugin-dir': 'string',
  'horizontal-pod-autoscaler-cpu-initialization-period': 'duration',
  'horizontal-pod-autoscaler-downscale-stabilization': 'duration',
  'horizontal-pod-autoscaler-initial-readiness-delay': 'duration',
  'horizontal-pod-autoscaler-sync-period': 'duration',
  'horizontal-pod-autoscaler-tolerance': 'float',
  'http2-max-streams-per-connection': 'int',
  'kube-api-burst': 'int32',
  'kube-api-content-type': 'string',
  'kube-api-qps': 'float32',
  kubeconfig: 'string',
  'large-cluster-size-threshold': 'int32',
  'leader-elect': 'bool',
  'leader-elect-lease-duration': 'duration',
  'leader-elect-renew-deadline': 'duration',
  'leader-elect-resource-lock': 'string',
  'leader-elect-resource-name': 'string',
  'leader-elect-resource-namespace': 'string',
  'leader-elect-retry-period': 'duration',
  'leader-migration-config': 'string', // later
  master: 'string',
  'max-endpoints-per-slice': 'int32',
  'min-resync-period': 'duration',
  'namespace-sync-period': 'duration',
  'node-cidr-mask-size': 'int32',
  'node-cidr-mask-size-ipv4': 'int32',
  'node-cidr-mask-size-ipv6': 'int32',
  'node-eviction-rate': 'float32',
  'node-monitor-grace-period': 'duration',
  'node-monitor-period': 'duration',
  'node-startup-grace-period': 'duration',
  'permit-address-sharing': 'bool', // later
  'permit-port-sharing': 'bool', // later
  'pod-eviction-timeout': 'duration',
  port: 'int', // hidden: removed in 1.24
  profiling: 'bool',
  'pv-recycler-increment-timeout-nfs': 'int32',
  'pv-recycler-minimum-timeout-hostpath': 'int32',
  'pv-recycler-minimum-timeout-nfs': 'int32',
  'pv-recycler-pod-template-filepath-hostpath': 'string',
  'pv-recycler-pod-template-filepath-nfs': 'string',
  'pv-recycler-timeout-increment-hostpath': 'int32',
  'pvclaimbinder-sync-period': 'duration',
  'requestheader-allowed-names': 'strings',
  'requestheader-client-ca-file': 'string',
  'requestheader-extra-headers-prefix': 'strings',
  'requestheader-group-headers': 'strings',
  'requestheader-uid-headers': 'strings', // later
  'requestheader-username-headers': 'strings',
  'resource-quota-sync-period': 'duration',
  'root-ca-file': 'string',
  'route-reconciliation-period': 'duration',
  'secondary-node-eviction-rate': 'float32',
  'secure-port': 'int',
  'service-account-private-key-file': 'string',
  'service-cluster-ip-range': 'string',
  'show-hidden-metrics-for-version': 'string',
  'terminated-pod-gc-threshold': 'int32',
  'tls-cert-file': 'string',
  'tls-cipher-suites': 'strings',
  'tls-min-version': 'string',
  'tls-private-key-file': 'string',
  'tls-sni-cert-key': 'namedCertKey',
  'unhealthy-zone-threshold': 'float32',
  'use-service-account-credentials': 'bool',
} as const satisfies FlagTable;
