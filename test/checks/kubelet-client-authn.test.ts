import check from '../../src/checks/kubelet-client-authn.js';
import { runCheckCases } from '../support/check-tester.js';
import type { HostSpec, ProcessSpec } from '../support/host.js';

const HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

function kubelet(spec: Omit<ProcessSpec, 'component'>): HostSpec {
  return { processes: [{ component: 'kubelet', ...spec }] };
}

const withConfig = (content: string, extraArgs: string[] = []): HostSpec =>
  kubelet({
    args: ['--config=/var/lib/kubelet/config.yaml', ...extraArgs],
    files: { '/var/lib/kubelet/config.yaml': content },
  });

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: x509 client CA and webhook token authentication',
      host: withConfig(
        `${HEADER}authentication:\n  webhook: {enabled: true}\n  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}\n`,
      ),
      messageId: 'enabled',
      messageIncludes: ['x509 client certificates (CA /etc/kubernetes/pki/ca.crt)', 'webhook token authentication'],
    },
    {
      name: 'config file omitting webhook: the v1beta1 default enables it',
      host: withConfig(HEADER),
      messageIncludes: ['API bearer tokens'],
    },
    {
      name: 'no config file, --client-ca-file relative to the cwd',
      host: kubelet({ args: ['--client-ca-file', 'pki/ca.crt'], cwd: '/etc/kubernetes' }),
      messageIncludes: ['/etc/kubernetes/pki/ca.crt'],
    },
    {
      name: 'no config file, bare --authentication-token-webhook',
      host: kubelet({ args: ['--authentication-token-webhook'] }),
    },
  ],
  fail: [
    {
      name: 'no config file and no flags: neither method (command-line defaults)',
      host: kubelet({ args: [] }),
      messageId: 'neither',
      messageIncludes: ['authentication.webhook.enabled=false, no --config given'],
    },
    {
      name: 'config file turns webhook off and sets no CA',
      host: withConfig(`${HEADER}authentication: {webhook: {enabled: false}}\n`),
      messageId: 'neither',
    },
    {
      name: 'a drop-in turns webhook off, --client-ca-file= empty clears the CA',
      host: kubelet({
        args: ['--config-dir=/etc/kubernetes/kubelet.conf.d', '--client-ca-file='],
        files: {
          '/etc/kubernetes/kubelet.conf.d/10.conf': `${HEADER}authentication: {webhook: {enabled: false}, x509: {clientCAFile: /ca.crt}}\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10.conf'] },
      }),
      messageId: 'neither',
    },
  ],
  unknown: [
    {
      name: 'unreadable config file',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': { reason: 'permission' } },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml'],
    },
    {
      name: 'webhook off by flag, the CA comes from a malformed file',
      host: withConfig(`${HEADER}authentication: {x509: {clientCAFile: [}\n`, ['--authentication-token-webhook=false']),
      messageId: 'undetermined',
    },
  ],
  skip: [{ name: 'no kubelet on this node', host: {}, messageId: 'noKubelet' }],
});
