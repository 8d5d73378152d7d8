import { SSHD, SYSTEMD, kubeconfig } from '../blocks/common.js';
import { RKE2 } from '../blocks/rke2.js';
import { cert } from '../certs.js';
import type { HostSpec } from '../spec.js';

/** An RKE2 agent: `rke2 agent` starts containerd and the kubelet as children (argv visible); kube-proxy is a static pod. */
export function rke2Agent(): HostSpec {
  const node = 'rke2-agent-1';
  const ip = '10.0.3.21';
  return {
    name: 'rke2-agent',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      SYSTEMD,
      SSHD,
      {
        pid: 950,
        ppid: 1,
        argv: ['/usr/local/bin/rke2', 'agent'],
        comm: 'rke2',
        startedAfterBootS: 10,
        threads: 20,
        listens: [
          { address: '127.0.0.1', port: 6443 },
          { address: '127.0.0.1', port: 6444 },
        ],
      },
      {
        pid: 970,
        ppid: 950,
        argv: [
          `${RKE2}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/containerd`,
          '-c',
          `${RKE2}/agent/etc/containerd/config.toml`,
        ],
        startedAfterBootS: 11,
      },
      {
        pid: 980,
        ppid: 950,
        startedAfterBootS: 12,
        threads: 20,
        argv: [
          `${RKE2}/data/v1.35.1-rke2r1-5f7e3c2a9b1d/bin/kubelet`,
          `--config-dir=${RKE2}/agent/etc/kubelet.conf.d`,
          `--kubeconfig=${RKE2}/agent/kubelet.kubeconfig`,
          '--read-only-port=0',
          '--cloud-provider=external',
          `--hostname-override=${node}`,
          `--node-ip=${ip}`,
          '--node-labels=',
        ],
        listens: [
          { address: '127.0.0.1', port: 10248 },
          { address: '::', port: 10250 },
        ],
      },
      {
        pid: 1120,
        ppid: 1,
        argv: [
          'kube-proxy',
          '--cluster-cidr=10.42.0.0/16',
          '--conntrack-max-per-core=0',
          '--healthz-bind-address=127.0.0.1',
          `--hostname-override=${node}`,
          `--kubeconfig=${RKE2}/agent/kubeproxy.kubeconfig`,
          '--proxy-mode=iptables',
        ],
        exe: '/usr/local/bin/kube-proxy',
        startedAfterBootS: 40,
        listens: [
          { address: '127.0.0.1', port: 10249 },
          { address: '127.0.0.1', port: 10256 },
        ],
      },
    ],
    files: {
      '/usr/local/lib/systemd/system/rke2-agent.service': '[Service]\nExecStart=/usr/local/bin/rke2 agent\n',
      '/etc/rancher/rke2/config.yaml': `server: https://10.0.3.11:9345\ntoken-file: /etc/rancher/rke2/token\n`,
      [`${RKE2}/agent/etc/kubelet.conf.d/00-rke2-defaults.conf`]: [
        'address: 0.0.0.0',
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'authentication:',
        '  anonymous:',
        '    enabled: false',
        '  webhook:',
        '    enabled: true',
        '  x509:',
        `    clientCAFile: ${RKE2}/agent/client-ca.crt`,
        'authorization:',
        '  mode: Webhook',
        'healthzBindAddress: 127.0.0.1',
        'kind: KubeletConfiguration',
        '',
      ].join('\n'),
      [`${RKE2}/agent/client-ca.crt`]: cert('rke2-client-ca.crt'),
      [`${RKE2}/agent/kubelet.kubeconfig`]: kubeconfig({
        server: 'https://127.0.0.1:6443',
        user: 'user',
        ca: `certificate-authority: ${RKE2}/agent/server-ca.crt`,
        certLines: [
          `client-certificate: ${RKE2}/agent/client-kubelet.crt`,
          `client-key: ${RKE2}/agent/client-kubelet.key`,
        ],
      }),
      [`${RKE2}/agent/pod-manifests/kube-proxy.yaml`]:
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - kube-proxy\n    image: index.docker.io/rancher/hardened-kubernetes:v1.35.1-rke2r1-build20260211\n    name: kube-proxy\n  hostNetwork: true\n',
    },
  };
}
