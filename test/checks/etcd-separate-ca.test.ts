import assert from 'node:assert/strict';
import { it } from 'node:test';
import check from '../../src/checks/etcd-separate-ca.js';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { hostSnapshot } from '../support/host.js';
import type { ProcessSpec } from '../support/host.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import {
  CLUSTER_CA,
  configFileEtcd,
  ETCD_CA,
  ETCD_PKI,
  KUBEADM_ETCD_ARGS,
  kubeadmEtcd,
  kubesprayEtcd,
  NODE_KUBELET,
  SECURE_CONFIG_YAML,
} from '../support/etcd-hosts.js';

const K8S_CA = '/etc/kubernetes/pki/ca.crt';
const apiserver = (files: ProcessSpec['files'] = { [K8S_CA]: { certificates: [CLUSTER_CA] } }): ProcessSpec => ({
  component: 'kube-apiserver',
  args: [`--client-ca-file=${K8S_CA}`, '--etcd-servers=https://127.0.0.1:2379'],
  files,
});
const etcdTrusting = (file: string, certificates: object[] = [ETCD_CA], peerFile = `${ETCD_PKI}/ca.crt`) =>
  kubeadmEtcd({
    args: [
      ...KUBEADM_ETCD_ARGS.filter((a) => !/^--(peer-)?trusted-ca-file=/.test(a)),
      `--trusted-ca-file=${file}`,
      `--peer-trusted-ca-file=${peerFile}`,
    ],
    files: {
      [`${ETCD_PKI}/ca.crt`]: { certificates: [ETCD_CA] },
      [K8S_CA]: { certificates: [CLUSTER_CA] },
      [file]: { certificates },
    },
  });

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm stacked: etcd-ca differs from the apiserver client CA',
      host: { processes: [kubeadmEtcd(), apiserver(), NODE_KUBELET] },
    },
    {
      name: 'etcd beside a kubelet only: compared with the kubelet x509 client CA',
      host: { processes: [kubeadmEtcd(), NODE_KUBELET] },
    },
    {
      name: 'kubespray env CA differs from the apiserver client CA',
      host: { processes: [kubesprayEtcd(), apiserver()] },
    },
    { name: 'config-file CA differs', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML), apiserver()] } },
  ],
  fail: [
    {
      name: 'etcd --trusted-ca-file is the cluster CA file itself',
      host: { processes: [etcdTrusting(K8S_CA, [CLUSTER_CA]), apiserver()] },
      messageId: 'sameCA',
      messageIncludes: ['CN=kubernetes', 'C1:05:7E'],
    },
    {
      name: 'same certificate copied to another path (fingerprints, not paths)',
      host: { processes: [etcdTrusting('/etc/etcd/ca.pem', [CLUSTER_CA]), apiserver()] },
      messageId: 'sameCA',
    },
    {
      name: 'a CA bundle holding etcd-ca and the cluster CA',
      host: { processes: [etcdTrusting('/etc/etcd/bundle.pem', [ETCD_CA, CLUSTER_CA]), apiserver()] },
      messageId: 'sameCA',
    },
    {
      name: 'peer-trusted-ca-file is the cluster CA',
      host: { processes: [etcdTrusting(`${ETCD_PKI}/ca.crt`, [ETCD_CA], K8S_CA), NODE_KUBELET] },
      messageId: 'sameCA',
      messageIncludes: ['peer-trusted-ca-file'],
    },
    {
      name: 'no trusted-ca-file at all',
      host: {
        processes: [
          kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--trusted-ca-file=')) }),
          apiserver(),
        ],
      },
      messageId: 'noTrustedCA',
    },
  ],
  unknown: [
    {
      name: 'dedicated etcd host: no cluster CA visible',
      host: { processes: [kubeadmEtcd()] },
      messageId: 'noClusterCA',
      messageIncludes: ['E7:CD:CA'],
    },
    {
      name: 'etcd trusted CA unreadable',
      host: { processes: [kubeadmEtcd({ files: { [`${ETCD_PKI}/ca.crt`]: { reason: 'permission' } } }), apiserver()] },
      messageId: 'undetermined',
      messageIncludes: [`${ETCD_PKI}/ca.crt`],
    },
    {
      name: 'apiserver client CA unreadable',
      host: { processes: [kubeadmEtcd(), apiserver({ [K8S_CA]: { reason: 'missing' } })] },
      messageId: 'undetermined',
      messageIncludes: [K8S_CA],
    },
    {
      name: 'config file unreadable',
      host: {
        processes: [
          {
            component: 'etcd',
            args: ['--config-file=/etc/etcd/etcd.yaml'],
            files: { '/etc/etcd/etcd.yaml': { reason: 'permission' } },
          },
          apiserver(),
        ],
      },
      messageId: 'undetermined',
      messageIncludes: ['/etc/etcd/etcd.yaml'],
    },
  ],
  skip: [{ name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' }],
});

it('etcd-separate-ca: a CA trusted by several sources is named once, with every source that trusts it', () => {
  // kubeadm: client and peer trust the same etcd ca.crt; apiserver and kubelet the same cluster ca.crt.
  const snapshot = hostSnapshot({ processes: [kubeadmEtcd(), apiserver(), NODE_KUBELET] });
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: BUNDLED_RELEASES }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.equal(
    finding.message,
    'etcd trusts CN=etcd-ca (SHA-256 E7:CD:CA), which is not the Kubernetes cluster CA CN=kubernetes (SHA-256 C1:05:7E) (kube-apiserver --client-ca-file and kubelet x509 client CA).',
  );
  assert.deepEqual(
    finding.evidence.map((e) => e.detail),
    [
      `${ETCD_PKI}/ca.crt (trusted-ca-file): CN=etcd-ca`,
      `${ETCD_PKI}/ca.crt (peer-trusted-ca-file): CN=etcd-ca`,
      `${K8S_CA}: CN=kubernetes`,
    ],
  );
});
