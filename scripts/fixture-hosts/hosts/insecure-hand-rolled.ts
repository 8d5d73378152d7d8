import { SSHD, SYSTEMD, kubeconfig } from '../blocks/common.js';
import { dpkgKubelet } from '../blocks/kubeadm.js';
import { cert } from '../certs.js';
import type { HostSpec } from '../spec.js';

export function insecureHandRolled(): HostSpec {
  const ip = '80.158.1.10';
  const apiserver = [
    '/usr/local/bin/kube-apiserver',
    `--advertise-address=${ip}`,
    '--allow-privileged=true',
    '--authorization-mode=AlwaysAllow',
    '--bind-address=0.0.0.0',
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota',
    '--etcd-servers=http://127.0.0.1:2379',
    '--insecure-bind-address=0.0.0.0',
    '--insecure-port=8080',
    '--secure-port=6443',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-cluster-ip-range=10.32.0.0/24',
    '--service-node-port-range=30000-32767',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.pem',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver-key.pem',
    '--v=2',
  ];
  const etcd = [
    '/usr/local/bin/etcd',
    '--name',
    'legacy-master',
    '--data-dir',
    '/var/lib/etcd',
    '--listen-client-urls',
    'http://0.0.0.0:2379',
    '--advertise-client-urls',
    `http://${ip}:2379`,
    '--listen-peer-urls',
    'http://0.0.0.0:2380',
    '--initial-advertise-peer-urls',
    `http://${ip}:2380`,
    '--initial-cluster',
    `legacy-master=http://${ip}:2380`,
    '--initial-cluster-state',
    'new',
  ];
  const kubelet = [
    '/usr/local/bin/kubelet',
    '--kubeconfig=/var/lib/kubelet/kubeconfig',
    '--register-node=true',
    '--network-plugin=cni',
    '--v=2',
  ];
  return {
    name: 'insecure-hand-rolled',
    hostname: 'legacy-master',
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [{ address: 'fe80::216:3eff:fe00:1', prefix: 64, scope: '20', device: 'eth0' }],
    processes: [
      SYSTEMD,
      SSHD,
      { pid: 640, ppid: 1, argv: ['/usr/bin/dockerd', '-H', 'fd://'], startedAfterBootS: 7 },
      {
        pid: 660,
        ppid: 1,
        argv: etcd,
        startedAfterBootS: 8,
        threads: 12,
        environ: [
          'LANG=en_US.UTF-8',
          'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          'INVOCATION_ID=9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
          'JOURNAL_STREAM=9:18811',
        ],
        listens: [
          { address: '::', port: 2379 },
          { address: '::', port: 2380 },
        ],
      },
      {
        pid: 700,
        ppid: 1,
        argv: apiserver,
        startedAfterBootS: 9,
        threads: 13,
        listens: [
          { address: '::', port: 6443 },
          { address: '0.0.0.0', port: 8080 },
        ],
      },
      {
        pid: 720,
        ppid: 1,
        argv: kubelet,
        startedAfterBootS: 10,
        threads: 19,
        listens: [
          { address: '127.0.0.1', port: 10248 },
          { address: '::', port: 10250 },
          { address: '::', port: 10255 },
        ],
      },
    ],
    files: {
      '/etc/systemd/system/kube-apiserver.service': `[Unit]\nDescription=Kubernetes API Server\n\n[Service]\nExecStart=${apiserver.join(' \\\n  ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/etc/systemd/system/etcd.service': `[Unit]\nDescription=etcd\n\n[Service]\nExecStart=${etcd.join(' ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/etc/systemd/system/kubelet.service': `[Unit]\nDescription=Kubernetes Kubelet\nAfter=docker.service\n\n[Service]\nExecStart=${kubelet.join(' \\\n  ')}\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n`,
      '/var/lib/kubelet/kubeconfig': kubeconfig({
        server: `http://${ip}:8080`,
        user: 'kubelet',
        ca: 'insecure-skip-tls-verify: true',
        certLines: ['client-certificate: /var/lib/kubelet/kubelet.pem', 'client-key: /var/lib/kubelet/kubelet-key.pem'],
      }),
      '/var/lib/kubelet/kubelet.pem': cert('legacy-kubelet.crt'),
      '/var/lib/dpkg/status': dpkgKubelet('1.19.16-00'),
    },
  };
}
