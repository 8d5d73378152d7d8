// k3s's built-in command lines for the components it runs in its own process, per k3s minor: the
// arguments k3s builds before it appends the operator's `--kube-apiserver-arg` & co. Used only when
// the journal holds no `Running <component> …` line of the running k3s (sources/k3s.ts); a line,
// when present, is what ran and always wins.
//
// Read from k3s-io/k3s (master, December 2026):
//   pkg/daemons/control/server.go   `apiServer`, `controllerManager`, `scheduler`, `setupStorageBackend`
//   pkg/daemons/agent/agent_linux.go `kubeletArgsAndConfig`, `kubeProxyArgs`
//   pkg/daemons/control/deps/deps.go file names under `<data-dir>/server/{tls,cred}`
// and compared with the rancher/k3s revision of server.go from before v1.20: the flags our checks
// read (anonymous-auth=false, authorization-mode=Node,RBAC, enable-admission-plugins=NodeRestriction,
// profiling=false, client-ca-file, kubelet-certificate-authority, kubelet-client-certificate,
// tls-cert-file, secure-port = https-listen-port+1, loopback bind-address, service-account-*) are
// the same in both, so they are taken as unchanged for every minor listed below. The per-release
// tags (`v1.30.x+k3s1` … `v1.34.x+k3s1`) could not be read one by one (the repository snapshot was
// too large to fetch); a minor not listed here gives `unknown`, naming the version.
import type { ComponentName } from '../types.js';

/** What the defaults depend on: k3s settings after its config files, environment and command line. */
export interface K3sDefaultsInput {
  dataDir: string;
  httpsListenPort: number;
  clusterDomain: string;
  clusterCidr: string;
  serviceCidr: string;
  serviceNodePortRange: string;
  advertiseAddress?: string;
  nodeName?: string;
  nodeIp?: string;
  nodeLabels: string[];
  /** `--etcd-servers` and its TLS files, from the datastore (see k3s-rebuild.ts `storageArgs`). */
  storage: Record<string, string>;
  secretsEncryption: boolean;
  egressSelectorDisabled: boolean;
  disableCloudController: boolean;
  /** The operator's `--kube-apiserver-arg`s, which some defaults yield to (`authorization-config`). */
  extraApiserverArgs: readonly string[];
}

export type K3sDefaultArgs = (input: K3sDefaultsInput) => Record<string, string>;

/** True when `--<name>` is among the operator's extra args (k3s `util.ArgValue`). */
function hasExtra(extra: readonly string[], name: string): boolean {
  return extra.some((arg) => arg.replace(/^--/, '').split('=', 1)[0] === name);
}

// kube-apiserver (server.go `apiServer`, `setupStorageBackend`).
const apiserver: K3sDefaultArgs = (k) => {
  const server = `${k.dataDir}/server`;
  const tls = `${server}/tls`;
  const args: Record<string, string> = {
    ...k.storage,
    'storage-backend': 'etcd3',
    'cert-dir': `${tls}/temporary-certs`,
    'allow-privileged': 'true',
    'enable-bootstrap-token-auth': 'true',
    'service-account-signing-key-file': `${tls}/service.current.key`,
    'service-cluster-ip-range': k.serviceCidr,
    'service-node-port-range': k.serviceNodePortRange,
    'advertise-port': String(k.httpsListenPort),
    'secure-port': String(k.httpsListenPort + 1),
    'bind-address': '127.0.0.1',
    'tls-cert-file': `${tls}/serving-kube-apiserver.crt`,
    'tls-private-key-file': `${tls}/serving-kube-apiserver.key`,
    'service-account-key-file': `${tls}/service.key`,
    'service-account-issuer': `https://kubernetes.default.svc.${k.clusterDomain}`,
    'api-audiences': `https://kubernetes.default.svc.${k.clusterDomain},k3s`,
    'kubelet-certificate-authority': `${tls}/server-ca.crt`,
    'kubelet-client-certificate': `${tls}/client-kube-apiserver.crt`,
    'kubelet-client-key': `${tls}/client-kube-apiserver.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'requestheader-client-ca-file': `${tls}/request-header-ca.crt`,
    'requestheader-allowed-names': 'system:auth-proxy',
    'proxy-client-cert-file': `${tls}/client-auth-proxy.crt`,
    'proxy-client-key-file': `${tls}/client-auth-proxy.key`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'client-ca-file': `${tls}/client-ca.crt`,
    'enable-admission-plugins': 'NodeRestriction',
    profiling: 'false',
  };
  // k3s leaves these out when the operator passes the structured file that replaces them.
  if (!hasExtra(k.extraApiserverArgs, 'authorization-config')) args['authorization-mode'] = 'Node,RBAC';
  if (!hasExtra(k.extraApiserverArgs, 'authentication-config')) args['anonymous-auth'] = 'false';
  if (k.advertiseAddress !== undefined) args['advertise-address'] = k.advertiseAddress;
  if (!k.egressSelectorDisabled) {
    args['enable-aggregator-routing'] = 'true';
    args['egress-selector-config-file'] = `${server}/etc/egress-selector-config.yaml`;
  }
  if (k.secretsEncryption) {
    args['encryption-provider-config'] = `${server}/cred/encryption-config.json`;
    args['encryption-provider-config-automatic-reload'] = 'true';
  }
  return args;
};

// kube-controller-manager (server.go `controllerManager`).
const controllerManager: K3sDefaultArgs = (k) => {
  const server = `${k.dataDir}/server`;
  const kubeconfig = `${server}/cred/controller.kubeconfig`;
  return {
    controllers: k.disableCloudController ? '*,tokencleaner' : '*,tokencleaner,-service,-route,-cloud-node-lifecycle',
    kubeconfig,
    'authorization-kubeconfig': kubeconfig,
    'authentication-kubeconfig': kubeconfig,
    'service-account-private-key-file': `${server}/tls/service.current.key`,
    'allocate-node-cidrs': 'true',
    'service-cluster-ip-range': k.serviceCidr,
    'cluster-cidr': k.clusterCidr,
    'root-ca-file': `${server}/tls/server-ca.crt`,
    profiling: 'false',
    'tls-cert-file': `${server}/tls/kube-controller-manager/kube-controller-manager.crt`,
    'tls-private-key-file': `${server}/tls/kube-controller-manager/kube-controller-manager.key`,
    'bind-address': '127.0.0.1',
    'secure-port': '10257',
    'use-service-account-credentials': 'true',
    ...(k.disableCloudController ? {} : { 'configure-cloud-routes': 'false' }),
  };
};

// kube-scheduler (server.go `scheduler`).
const scheduler: K3sDefaultArgs = (k) => {
  const server = `${k.dataDir}/server`;
  const kubeconfig = `${server}/cred/scheduler.kubeconfig`;
  return {
    kubeconfig,
    'authorization-kubeconfig': kubeconfig,
    'authentication-kubeconfig': kubeconfig,
    'bind-address': '127.0.0.1',
    'secure-port': '10259',
    'tls-cert-file': `${server}/tls/kube-scheduler/kube-scheduler.crt`,
    'tls-private-key-file': `${server}/tls/kube-scheduler/kube-scheduler.key`,
    profiling: 'false',
  };
};

// kubelet (agent_linux.go `kubeletArgsAndConfig`): everything else (authentication, authorization,
// TLS files) is in the drop-in k3s writes to `<data-dir>/agent/etc/kubelet.conf.d` at every start,
// which the kubelet resolver reads through `--config-dir`. `--read-only-port=0` is on the command
// line: a zero `readOnlyPort` would vanish from the marshalled drop-in (`omitempty`), and a
// published RKE2 v1.34.4 process list (RKE2 runs k3s's agent code) shows the kubelet started with
// `--cloud-provider=external --config-dir=… --containerd=… --hostname-override=… --kubeconfig=…
// --node-ip=… --node-labels= --read-only-port=0`.
const kubelet: K3sDefaultArgs = (k) => {
  const agent = `${k.dataDir}/agent`;
  return {
    'read-only-port': '0',
    'config-dir': `${agent}/etc/kubelet.conf.d`,
    kubeconfig: `${agent}/kubelet.kubeconfig`,
    containerd: '/run/k3s/containerd/containerd.sock',
    'node-labels': k.nodeLabels.join(','),
    ...(k.nodeName !== undefined && { 'hostname-override': k.nodeName }),
    ...(k.nodeIp !== undefined && { 'node-ip': k.nodeIp }),
    ...(k.disableCloudController ? {} : { 'cloud-provider': 'external' }),
  };
};

// kube-proxy (agent_linux.go `kubeProxyArgs`).
const kubeProxy: K3sDefaultArgs = (k) => ({
  'proxy-mode': 'iptables',
  'healthz-bind-address': k.nodeIp?.includes(':') ? '::1' : '127.0.0.1',
  kubeconfig: `${k.dataDir}/agent/kubeproxy.kubeconfig`,
  'cluster-cidr': k.clusterCidr,
  'conntrack-max-per-core': '0',
  'conntrack-tcp-timeout-established': '0s',
  'conntrack-tcp-timeout-close-wait': '0s',
  ...(k.nodeName !== undefined && { 'hostname-override': k.nodeName }),
});

export type K3sRebuiltComponent = Exclude<ComponentName, 'etcd'>;

export interface K3sDefaultsEntry {
  /** Where the entry was read, for evidence. */
  source: string;
  args: Record<K3sRebuiltComponent, K3sDefaultArgs>;
}

const READ_AT_MASTER: K3sDefaultsEntry = {
  source: 'k3s-io/k3s pkg/daemons/control/server.go, pkg/daemons/agent/agent_linux.go',
  args: {
    'kube-apiserver': apiserver,
    'kube-controller-manager': controllerManager,
    'kube-scheduler': scheduler,
    kubelet,
    'kube-proxy': kubeProxy,
  },
};

/** k3s minor → its built-in component arguments. */
export const K3S_DEFAULTS: Readonly<Record<string, K3sDefaultsEntry>> = {
  '1.30': READ_AT_MASTER,
  '1.31': READ_AT_MASTER,
  '1.32': READ_AT_MASTER,
  '1.33': READ_AT_MASTER,
  '1.34': READ_AT_MASTER,
};

/** `v1.33.4+k3s1` → `1.33`; undefined for anything that is not a k3s version. */
export function k3sMinor(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.\d+(?:[-+].*)?$/.exec(version);
  return match ? `${match[1]!}.${match[2]!}` : undefined;
}
