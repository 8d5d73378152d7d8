import { SSHD, SYSTEMD } from '../blocks/common.js';
import { cert } from '../certs.js';
import type { HostSpec } from '../spec.js';

export function kubeadmExternalEtcdHost(): HostSpec {
  const ip = '10.0.1.21';
  const etcdArgs = [
    '/usr/local/bin/etcd',
    '--name=etcd-1',
    '--data-dir=/var/lib/etcd',
    `--listen-client-urls=https://${ip}:2379,https://127.0.0.1:2379`,
    `--advertise-client-urls=https://${ip}:2379`,
    `--listen-peer-urls=https://${ip}:2380`,
    `--initial-advertise-peer-urls=https://${ip}:2380`,
    '--initial-cluster=etcd-1=https://10.0.1.21:2380,etcd-2=https://10.0.1.22:2380,etcd-3=https://10.0.1.23:2380',
    '--initial-cluster-state=new',
    '--initial-cluster-token=etcd-cluster-1',
    '--listen-metrics-urls=http://127.0.0.1:2381',
    '--client-cert-auth=true',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    '--peer-client-cert-auth=true',
    '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
  ];
  return {
    name: 'kubeadm-external-etcd-host',
    hostname: 'etcd-1',
    ipv4: [{ address: ip, prefix: 24, device: 'ens3' }],
    ipv6: [{ address: 'fe80::f816:3eff:fe11:2233', prefix: 64, scope: '20', device: 'ens3' }],
    processes: [
      SYSTEMD,
      SSHD,
      {
        pid: 901,
        ppid: 1,
        argv: etcdArgs,
        uid: 998,
        startedAfterBootS: 15,
        threads: 14,
        environ: [
          'LANG=C.UTF-8',
          'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          'HOME=/var/lib/etcd',
          'LOGNAME=etcd',
          'USER=etcd',
          'SHELL=/usr/sbin/nologin',
          'INVOCATION_ID=4c1f3e2d9a8b47f6b1c2d3e4f5a6b7c8',
          'JOURNAL_STREAM=8:24611',
          'NOTIFY_SOCKET=/run/systemd/notify',
          'SYSTEMD_EXEC_PID=901',
        ],
        listens: [
          { address: ip, port: 2379 },
          { address: '127.0.0.1', port: 2379 },
          { address: ip, port: 2380 },
          { address: '127.0.0.1', port: 2381 },
        ],
      },
    ],
    files: {
      '/etc/systemd/system/etcd.service': [
        '[Unit]',
        'Description=etcd',
        'Documentation=https://etcd.io/docs/',
        'After=network-online.target',
        '',
        '[Service]',
        'Type=notify',
        'User=etcd',
        `ExecStart=${etcdArgs.join(' \\\n  ')}`,
        'Restart=always',
        'RestartSec=10s',
        'LimitNOFILE=40000',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
      '/etc/kubernetes/pki/etcd/ca.crt': cert('kubeadm-etcd-ca.crt'),
      // A stand-in for the root-owned etcd binary the etcd process (uid 998) runs, so collect can judge its identity.
      '/usr/local/bin/etcd': { executable: '' },
    },
  };
}
