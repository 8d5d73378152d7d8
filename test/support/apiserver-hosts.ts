// Shared fixtures of the apiserver check tables: a kubeadm kube-apiserver command line
// (kubernetes/kubernetes:cmd/kubeadm/app/phases/controlplane/manifests.go defaults) and helpers to vary it.
import type { HostSpec, ProcessSpec } from './host.js';

export const KUBEADM_APISERVER_ARGS: readonly string[] = [
  '--advertise-address=10.0.0.10',
  '--allow-privileged=true',
  '--authorization-mode=Node,RBAC',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--enable-admission-plugins=NodeRestriction',
  '--enable-bootstrap-token-auth=true',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  '--etcd-servers=https://127.0.0.1:2379',
  '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
  '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
  '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
  '--requestheader-allowed-names=front-proxy-client',
  '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
  '--secure-port=6443',
  '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
  '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  '--service-cluster-ip-range=10.96.0.0/12',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];

/** The kubeadm certificates the apiserver references, as collect would have read them. */
export const KUBEADM_APISERVER_FILES: NonNullable<ProcessSpec['files']> = {
  '/etc/kubernetes/pki/ca.crt': { certificates: [{ commonName: 'kubernetes', isCA: true }] },
  '/etc/kubernetes/pki/etcd/ca.crt': { certificates: [{ commonName: 'etcd-ca', isCA: true }] },
  '/etc/kubernetes/pki/apiserver-etcd-client.crt': {
    certificates: [{ commonName: 'kube-apiserver-etcd-client', organizations: [] }],
  },
};

/** The image of the apiserver in these tables: its version decides version-dependent defaults (PodSecurity). */
export const APISERVER_IMAGE = 'registry.k8s.io/kube-apiserver:v1.34.2';

/** A host whose only process is a kube-apiserver (of APISERVER_IMAGE unless `image` says otherwise). */
export function apiserverHost(spec: Omit<ProcessSpec, 'component'>): HostSpec {
  return { processes: [{ component: 'kube-apiserver', image: APISERVER_IMAGE, ...spec }] };
}

/** kubeadm's apiserver with some flags removed (by name, any form) and others appended. */
export function kubeadmApiserver(
  options: { without?: string[]; add?: string[]; files?: ProcessSpec['files']; image?: string | undefined } = {},
): HostSpec {
  const without = new Set(options.without ?? []);
  const args = KUBEADM_APISERVER_ARGS.filter((a) => !without.has(a.replace(/^--/, '').split('=')[0]!));
  const image = 'image' in options ? options.image : APISERVER_IMAGE;
  return {
    processes: [
      {
        component: 'kube-apiserver',
        ...(image !== undefined && { image }),
        args: [...args, ...(options.add ?? [])],
        files: { ...KUBEADM_APISERVER_FILES, ...options.files },
      },
    ],
  };
}

/** A host with etcd and a kubelet but no apiserver (a worker or an external etcd node). */
export const NO_APISERVER_HOSTS: { name: string; host: HostSpec }[] = [
  {
    name: 'worker node: kubelet only, no apiserver here',
    host: { processes: [{ component: 'kubelet', args: ['--config=/var/lib/kubelet/config.yaml'] }] },
  },
  {
    name: 'external etcd host: no apiserver here (SCS test passes vacuously instead)',
    host: { processes: [{ component: 'etcd', args: ['--name=etcd-1'] }] },
  },
];
