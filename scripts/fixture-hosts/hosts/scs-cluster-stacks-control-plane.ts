import { shim } from '../blocks/common.js';
import { kubeadmHost } from '../blocks/kubeadm.js';
import type { HostSpec } from '../spec.js';

export function scsClusterStacksControlPlane(): HostSpec {
  const node = 'scs-cp-7x2kq-abcde';
  const kubeProxyConfig = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
    'clusterCIDR: 172.16.0.0/16',
    'healthzBindAddress: ""',
    'kind: KubeProxyConfiguration',
    'metricsBindAddress: 0.0.0.0:10249',
    'mode: ""',
    '',
  ].join('\n');
  return kubeadmHost({
    name: 'scs-cluster-stacks-control-plane',
    hostname: node,
    ip: '10.8.0.15',
    prefix: 20,
    version: 'v1.34.7',
    etcdImage: '3.6.4-0',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    dpkgVersion: '1.34.7-1.1',
    controllerManagerExtra: {
      'bind-address': '0.0.0.0',
      'cloud-provider': 'external',
      'secure-port': '10257',
      'cluster-cidr': '172.16.0.0/16',
    },
    schedulerExtra: { 'bind-address': '0.0.0.0', 'secure-port': '10259' },
    etcdExtra: {
      'listen-metrics-urls': 'http://0.0.0.0:2381',
      'auto-compaction-mode': 'periodic',
      'auto-compaction-retention': '8h',
      'election-timeout': '2500',
      'heartbeat-interval': '250',
      'snapshot-count': '6400',
    },
    kubeletExtraArgs: ['--cloud-provider=external', '--provider-id=openstack:///3f6b1c2e-8d4a-4e5f-9a7b-1c2d3e4f5a6b'],
    extraProcesses: [
      shim(1106, '2c3d4e5f607182930415'),
      {
        pid: 1330,
        ppid: 1106,
        argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${node}`],
        startedAfterBootS: 70,
        listens: [
          { address: '::', port: 10249 },
          { address: '::', port: 10256 },
        ],
      },
    ],
    extraFiles: {
      '/var/lib/kube-proxy/config.conf': kubeProxyConfig,
      '/etc/kube-proxy-patch.sh':
        '#!/usr/bin/env bash\n# written by cloud-init from the KubeadmControlPlaneTemplate (see README); appends kube-proxy-config.yaml to the kubeadm config\n',
    },
  });
}
