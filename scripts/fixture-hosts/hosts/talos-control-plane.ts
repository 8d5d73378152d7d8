import type { HostSpec } from '../spec.js';

/**
 * A Talos control-plane node: etcd and the kubelet are Talos services (processes with argv), the
 * control plane runs as static pods of that kubelet; secrets under /system/secrets.
 */
export function talosControlPlane(): HostSpec {
  const node = 'talos-cp-1';
  const ip = '10.0.7.11';
  const secrets = '/system/secrets';
  return {
    name: 'talos-control-plane',
    hostname: node,
    ipv4: [{ address: ip, prefix: 24, device: 'eth0' }],
    ipv6: [],
    processes: [
      { pid: 1, ppid: 0, argv: ['/sbin/init'], comm: 'machined', exe: '/sbin/init', startedAfterBootS: 1, listens: [{ address: '::', port: 50000 }] },
      {
        pid: 1510, ppid: 1, startedAfterBootS: 20, uid: 60,
        argv: ['/usr/local/bin/etcd', `--advertise-client-urls=https://${ip}:2379`, '--auto-tls=false', `--cert-file=${secrets}/etcd/peer.crt`, '--client-cert-auth=true',
          '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true', `--initial-advertise-peer-urls=https://${ip}:2380`, `--key-file=${secrets}/etcd/peer.key`,
          '--listen-client-urls=https://0.0.0.0:2379', '--listen-metrics-urls=http://localhost:2381', '--listen-peer-urls=https://0.0.0.0:2380', `--name=${node}`,
          '--peer-auto-tls=false', `--peer-cert-file=${secrets}/etcd/peer.crt`, '--peer-client-cert-auth=true', `--peer-key-file=${secrets}/etcd/peer.key`,
          `--peer-trusted-ca-file=${secrets}/etcd/ca.crt`, `--trusted-ca-file=${secrets}/etcd/ca.crt`],
        environ: ['PATH=/usr/local/bin'],
        listens: [{ address: '::', port: 2379 }, { address: '::', port: 2380 }, { address: '127.0.0.1', port: 2381 }],
      },
      {
        pid: 1600, ppid: 1, startedAfterBootS: 25,
        argv: ['/usr/local/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig', '--cert-dir=/var/lib/kubelet/pki', '--config=/etc/kubernetes/kubelet.yaml',
          `--hostname-override=${node}`, '--kubeconfig=/etc/kubernetes/kubeconfig-kubelet', `--node-ip=${ip}`],
        listens: [{ address: '::', port: 10250 }, { address: '127.0.0.1', port: 10248 }],
      },
      {
        pid: 1700, ppid: 1, startedAfterBootS: 40, uid: 65534,
        argv: ['/usr/local/bin/kube-apiserver', '--allow-privileged=true', '--anonymous-auth=false', '--authorization-mode=Node,RBAC', `--client-ca-file=${secrets}/kubernetes/kube-apiserver/ca.crt`,
          '--enable-admission-plugins=NodeRestriction', `--etcd-cafile=${secrets}/kubernetes/kube-apiserver/etcd-client-ca.crt`, `--etcd-certfile=${secrets}/kubernetes/kube-apiserver/etcd-client.crt`,
          `--etcd-keyfile=${secrets}/kubernetes/kube-apiserver/etcd-client.key`, '--etcd-servers=https://localhost:2379', '--profiling=false', '--secure-port=6443',
          `--admission-control-config-file=${secrets}/kubernetes/kube-apiserver/admission-control-config.yaml`, '--service-account-issuer=https://10.0.7.11:6443',
          `--service-account-key-file=${secrets}/kubernetes/kube-apiserver/service-account.pub`, `--service-account-signing-key-file=${secrets}/kubernetes/kube-apiserver/service-account.key`,
          `--tls-cert-file=${secrets}/kubernetes/kube-apiserver/apiserver.crt`, `--tls-private-key-file=${secrets}/kubernetes/kube-apiserver/apiserver.key`],
        listens: [{ address: '::', port: 6443 }],
      },
      {
        pid: 1710, ppid: 1, startedAfterBootS: 42, uid: 65534,
        argv: ['/usr/local/bin/kube-controller-manager', '--bind-address=127.0.0.1', `--kubeconfig=${secrets}/kubernetes/kube-controller-manager/kubeconfig`, '--profiling=false', '--use-service-account-credentials=true'],
        listens: [{ address: '127.0.0.1', port: 10257 }],
      },
      {
        pid: 1720, ppid: 1, startedAfterBootS: 42, uid: 65534,
        argv: ['/usr/local/bin/kube-scheduler', '--bind-address=127.0.0.1', `--kubeconfig=${secrets}/kubernetes/kube-scheduler/kubeconfig`, '--profiling=false'],
        listens: [{ address: '127.0.0.1', port: 10259 }],
      },
    ],
    files: {
      '/etc/os-release': 'NAME="Talos"\nID=talos\nVERSION_ID=v1.11.5\nPRETTY_NAME="Talos (v1.11.5)"\n',
      // The component binaries of the control-plane images (root-owned).
      ...Object.fromEntries(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => [`/usr/local/bin/${name}`, ''])),
      '/etc/kubernetes/kubelet.yaml': [
        'apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', 'authentication:', '  anonymous:', '    enabled: false', '  webhook:', '    enabled: true',
        '  x509:', '    clientCAFile: /etc/kubernetes/pki/ca.crt', 'authorization:', '  mode: Webhook', 'readOnlyPort: 0', 'healthzBindAddress: 127.0.0.1', '',
      ].join('\n'),
      [`${secrets}/kubernetes/kube-apiserver/admission-control-config.yaml`]: [
        'apiVersion: apiserver.config.k8s.io/v1', 'kind: AdmissionConfiguration', 'plugins:', '- name: PodSecurity', '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1', '    kind: PodSecurityConfiguration', '    defaults:', '      audit: restricted',
        '      audit-version: latest', '      enforce: baseline', '      enforce-version: latest', '      warn: restricted', '      warn-version: latest',
        '    exemptions:', '      namespaces: [kube-system]', '      runtimeClasses: []', '      usernames: []', '',
      ].join('\n'),
    },
  };
}
