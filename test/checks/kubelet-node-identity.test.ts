import check from '../../src/checks/kubelet-node-identity.js';
import { runCheckCases } from '../support/check-tester.js';
import type { HostSpec, ProcessSpec } from '../support/host.js';
import { WORKER_1_PEM } from '../support/certificates.js';

const KUBECONFIG = '/etc/kubernetes/kubelet.conf';
const CLIENT_PEM = '/var/lib/kubelet/pki/kubelet-client-current.pem';

/** kubeadm's kubelet.conf shape: one context, user default-auth with the rotated certificate. */
function kubeconfig(user: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster: {certificate-authority-data: AAAA, server: "https://10.0.0.10:6443"}',
    '  name: default-cluster',
    'contexts:',
    '- context: {cluster: default-cluster, namespace: default, user: default-auth}',
    '  name: default-context',
    'current-context: default-context',
    'users:',
    '- name: default-auth',
    `  user: ${user}`,
    '',
  ].join('\n');
}

const KUBEADM_USER = `{client-certificate: ${CLIENT_PEM}, client-key: ${CLIENT_PEM}}`;

function node(hostname: string, spec: Omit<ProcessSpec, 'component'>): HostSpec {
  return { hostname, processes: [{ component: 'kubelet', ...spec }] };
}

function kubeadmNode(
  hostname: string,
  cert: { commonName?: string; organizations?: string[] },
  args: string[] = [],
): HostSpec {
  const subject = [cert.commonName && `CN=${cert.commonName}`, ...(cert.organizations ?? []).map((o) => `O=${o}`)]
    .filter(Boolean)
    .join(', ');
  return node(hostname, {
    args: [`--kubeconfig=${KUBECONFIG}`, '--config=/var/lib/kubelet/config.yaml', ...args],
    files: { [KUBECONFIG]: kubeconfig(KUBEADM_USER), [CLIENT_PEM]: { certificates: [{ ...cert, subject }] } },
  });
}

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: rotated client certificate CN=system:node:<hostname>, O=system:nodes',
      host: kubeadmNode('cp-1', { commonName: 'system:node:cp-1', organizations: ['system:nodes'] }),
      messageId: 'matches',
      messageIncludes: ['CN=system:node:cp-1'],
    },
    {
      name: 'the host name is lower-cased as the kubelet does',
      host: kubeadmNode('Worker-7', { commonName: 'system:node:worker-7', organizations: ['system:nodes'] }),
    },
    {
      name: '--hostname-override names the node',
      host: kubeadmNode(
        'ip-10-0-0-7',
        { commonName: 'system:node:worker-7.example', organizations: ['system:nodes'] },
        ['--hostname-override', 'Worker-7.example'],
      ),
    },
    {
      name: 'inline client-certificate-data',
      host: node('worker-1', {
        args: [`--kubeconfig=${KUBECONFIG}`],
        files: {
          [KUBECONFIG]: kubeconfig(
            `{client-certificate-data: ${Buffer.from(WORKER_1_PEM).toString('base64')}, client-key-data: <redacted>}`,
          ),
        },
      }),
      messageIncludes: ['worker-1'],
    },
    {
      name: 'relative client-certificate resolves against the kubeconfig directory',
      host: node('cp-1', {
        args: ['--kubeconfig', 'kubelet.conf'],
        cwd: '/etc/kubernetes',
        files: {
          [KUBECONFIG]: kubeconfig('{client-certificate: pki/node.crt}'),
          '/etc/kubernetes/pki/node.crt': {
            certificates: [{ commonName: 'system:node:cp-1', organizations: ['system:nodes'] }],
          },
        },
      }),
    },
  ],
  fail: [
    {
      name: 'the certificate names another node',
      host: kubeadmNode('cp-1', { commonName: 'system:node:cp-2', organizations: ['system:nodes'] }),
      messageId: 'mismatch',
      messageIncludes: ['expected CN=system:node:cp-1'],
    },
    {
      name: 'the certificate lacks O=system:nodes',
      host: kubeadmNode('cp-1', { commonName: 'system:node:cp-1', organizations: ['system:masters'] }),
      messageId: 'mismatch',
    },
    {
      name: 'a shared kubelet certificate (CN=kubelet) instead of a per-node identity',
      host: kubeadmNode('cp-1', { commonName: 'kubelet', organizations: ['system:nodes'] }),
      messageId: 'mismatch',
    },
    {
      name: '--hostname-override differs from the certificate',
      host: kubeadmNode('cp-1', { commonName: 'system:node:cp-1', organizations: ['system:nodes'] }, [
        '--hostname-override=node-a',
      ]),
      messageId: 'mismatch',
      messageIncludes: ['system:node:node-a'],
    },
  ],
  unknown: [
    {
      name: 'non-UTF-8 --hostname-override (collect decodes the bytes as U+FFFD): the real name is unknowable',
      host: kubeadmNode('cp-1', { commonName: 'system:node:cp-1', organizations: ['system:nodes'] }, [
        '--hostname-override=cp-\uFFFD(',
      ]),
      messageId: 'undetermined',
      messageIncludes: ['not valid UTF-8'],
    },
    {
      name: 'standalone kubelet without --kubeconfig',
      host: node('cp-1', { args: ['--config=/var/lib/kubelet/config.yaml'] }),
      messageId: 'undetermined',
      messageIncludes: ['no --kubeconfig'],
    },
    {
      name: 'client certificate unreadable',
      host: node('cp-1', {
        args: [`--kubeconfig=${KUBECONFIG}`],
        files: { [KUBECONFIG]: kubeconfig(KUBEADM_USER), [CLIENT_PEM]: { reason: 'permission' } },
      }),
      messageId: 'undetermined',
      messageIncludes: [CLIENT_PEM, 'permission'],
    },
    {
      name: 'kubeconfig unreadable',
      host: node('cp-1', { args: [`--kubeconfig=${KUBECONFIG}`], files: { [KUBECONFIG]: { reason: 'missing' } } }),
      messageId: 'undetermined',
      messageIncludes: [KUBECONFIG],
    },
    {
      name: 'the kubeconfig user authenticates with a token',
      host: node('cp-1', {
        args: [`--kubeconfig=${KUBECONFIG}`],
        files: { [KUBECONFIG]: kubeconfig('{token: <redacted>}') },
      }),
      messageId: 'undetermined',
      messageIncludes: ['no client certificate'],
    },
  ],
  skip: [{ name: 'no kubelet on this node', host: { processes: [{ component: 'etcd' }] }, messageId: 'noKubelet' }],
});
