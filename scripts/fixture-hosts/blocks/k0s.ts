// k0s building blocks (k0sproject/k0s): the control plane as children of `k0s controller`.
import type { ProcessSpec } from '../spec.js';

export const K0S = '/var/lib/k0s';

export function k0sControlPlane(ip: string): ProcessSpec[] {
  const pki = `${K0S}/pki`;
  return [
    {
      pid: 1410,
      ppid: 1400,
      argv: [
        `${K0S}/bin/etcd`,
        `--advertise-client-urls=https://127.0.0.1:2379`,
        `--cert-file=${pki}/etcd/server.crt`,
        '--client-cert-auth=true',
        `--data-dir=${K0S}/etcd`,
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--key-file=${pki}/etcd/server.key`,
        '--listen-client-urls=https://127.0.0.1:2379',
        `--listen-peer-urls=https://${ip}:2380`,
        '--log-level=info',
        '--name=k0s-cp-1',
        `--peer-cert-file=${pki}/etcd/peer.crt`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${pki}/etcd/peer.key`,
        `--peer-trusted-ca-file=${pki}/etcd/ca.crt`,
        `--trusted-ca-file=${pki}/etcd/ca.crt`,
      ],
      uid: 998,
      startedAfterBootS: 20,
      listens: [
        { address: '127.0.0.1', port: 2379 },
        { address: ip, port: 2380 },
      ],
      environ: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/var/lib/k0s'],
    },
    {
      pid: 1420,
      ppid: 1400,
      argv: [
        `${K0S}/bin/kube-apiserver`,
        '--allow-privileged=true',
        '--anonymous-auth=false',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${pki}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction',
        `--etcd-cafile=${pki}/etcd/ca.crt`,
        `--etcd-certfile=${pki}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${pki}/apiserver-etcd-client.key`,
        '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${pki}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${pki}/apiserver-kubelet-client.key`,
        '--profiling=false',
        `--requestheader-client-ca-file=${pki}/front-proxy-ca.crt`,
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${pki}/sa.pub`,
        `--service-account-signing-key-file=${pki}/sa.key`,
        '--service-cluster-ip-range=10.96.0.0/12',
        `--tls-cert-file=${pki}/server.crt`,
        `--tls-private-key-file=${pki}/server.key`,
      ],
      uid: 997,
      startedAfterBootS: 22,
      listens: [{ address: '::', port: 6443 }],
    },
    {
      pid: 1430,
      ppid: 1400,
      argv: [
        `${K0S}/bin/kube-controller-manager`,
        `--authentication-kubeconfig=${pki}/ccm.conf`,
        `--authorization-kubeconfig=${pki}/ccm.conf`,
        '--bind-address=127.0.0.1',
        `--kubeconfig=${pki}/ccm.conf`,
        '--profiling=false',
        '--use-service-account-credentials=true',
      ],
      uid: 996,
      startedAfterBootS: 24,
      listens: [{ address: '127.0.0.1', port: 10257 }],
    },
    {
      pid: 1440,
      ppid: 1400,
      argv: [
        `${K0S}/bin/kube-scheduler`,
        `--authentication-kubeconfig=${pki}/scheduler.conf`,
        `--authorization-kubeconfig=${pki}/scheduler.conf`,
        '--bind-address=127.0.0.1',
        `--kubeconfig=${pki}/scheduler.conf`,
        '--profiling=false',
      ],
      uid: 996,
      startedAfterBootS: 24,
      listens: [{ address: '127.0.0.1', port: 10259 }],
    },
  ];
}

export const K0S_YAML = [
  'apiVersion: k0s.k0sproject.io/v1beta1',
  'kind: ClusterConfig',
  'metadata:',
  '  name: k0s',
  'spec:',
  '  storage:',
  '    type: etcd',
  '',
].join('\n');

export const K0S_BINARIES: Record<string, string> = Object.fromEntries(
  ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet'].map((name) => [
    `/var/lib/k0s/bin/${name}`,
    '',
  ]),
);
