import check from '../../src/checks/kubelet-authz-webhook.js';
import { runCheckCases } from '../support/check-tester.js';
import type { HostSpec, ProcessSpec } from '../support/host.js';

const HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const KUBEADM_CONFIG = `${HEADER}authentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\n  webhook:\n    cacheAuthorizedTTL: 0s\n`;
const K3S_DIR = '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d';

function kubelet(spec: Omit<ProcessSpec, 'component'>): HostSpec {
  return { processes: [{ component: 'kubelet', ...spec }] };
}

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: config file sets authorization.mode=Webhook',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'webhook',
      messageIncludes: ['/var/lib/kubelet/config.yaml: authorization.mode=Webhook'],
    },
    {
      name: 'kube-bench 4.2.2 false positive: config file omitting authorization.mode means Webhook',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': HEADER },
      }),
      messageIncludes: ['not set in --config'],
    },
    { name: 'no config file, --authorization-mode=Webhook', host: kubelet({ args: ['--authorization-mode=Webhook'] }) },
    {
      name: 'space form --authorization-mode Webhook (a string flag takes the next token)',
      host: kubelet({ args: ['--authorization-mode', 'Webhook', '--v=2'] }),
    },
    { name: 'underscore form --authorization_mode=Webhook', host: kubelet({ args: ['--authorization_mode=Webhook'] }) },
    {
      name: 'kube-bench#1256: relative --config=kubelet_conf.json resolved against the cwd',
      host: kubelet({
        args: ['--config=kubelet_conf.json'],
        cwd: '/var/lib/kubelet',
        files: {
          '/var/lib/kubelet/kubelet_conf.json':
            '{"kind":"KubeletConfiguration","apiVersion":"kubelet.config.k8s.io/v1beta1","authorization":{"mode":"Webhook"}}',
        },
      }),
      messageIncludes: ['/var/lib/kubelet/kubelet_conf.json: authorization.mode=Webhook'],
    },
    {
      name: 'a drop-in setting AlwaysAllow is overridden by a flag',
      host: kubelet({
        args: [
          '--config=/var/lib/kubelet/config.yaml',
          '--config-dir=/etc/kubernetes/kubelet.conf.d',
          '--authorization-mode=Webhook',
        ],
        files: {
          '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG,
          '/etc/kubernetes/kubelet.conf.d/90-open.conf': `${HEADER}authorization: {mode: AlwaysAllow}\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['90-open.conf'] },
      }),
      messageIncludes: ['--authorization-mode=Webhook'],
    },
    {
      name: 'k3s ≥1.32: 00-k3s-defaults.conf sets Webhook',
      host: kubelet({
        args: [`--config-dir=${K3S_DIR}`],
        files: {
          [`${K3S_DIR}/00-k3s-defaults.conf`]: `${HEADER}authorization: {mode: Webhook}\n`,
          [`${K3S_DIR}/20-cli-config-dir/extra-config.conf`]: `${HEADER}authorization: {webhook: {cacheAuthorizedTTL: 1m}}\n`,
        },
        dirs: { [K3S_DIR]: ['00-k3s-defaults.conf', '20-cli-config-dir/extra-config.conf'] },
      }),
      messageIncludes: ['00-k3s-defaults.conf (drop-in): authorization.mode=Webhook'],
    },
  ],
  fail: [
    {
      name: 'no config file and no flag: the command-line default is AlwaysAllow',
      host: kubelet({ args: [] }),
      messageId: 'notWebhook',
      messageIncludes: ['AlwaysAllow', 'authorization.mode=AlwaysAllow, no --config given'],
    },
    {
      name: 'a drop-in sets AlwaysAllow',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: {
          '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG,
          '/etc/kubernetes/kubelet.conf.d/90-open.conf': `${HEADER}authorization: {mode: AlwaysAllow}\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['90-open.conf'] },
      }),
      messageId: 'notWebhook',
      messageIncludes: ['90-open.conf (drop-in): authorization.mode=AlwaysAllow'],
    },
    {
      name: '--config-dir without --config keeps the AlwaysAllow default',
      host: kubelet({
        args: ['--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: { '/etc/kubernetes/kubelet.conf.d/10.conf': `${HEADER}readOnlyPort: 0\n` },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10.conf'] },
      }),
      messageId: 'notWebhook',
    },
    {
      name: 'repeated flags: the last one (AlwaysAllow) wins',
      host: kubelet({ args: ['--authorization-mode=Webhook', '--authorization-mode=AlwaysAllow'] }),
      messageId: 'notWebhook',
      messageIncludes: ['--authorization-mode=AlwaysAllow'],
    },
    {
      name: 'a flag overrides the config file',
      host: kubelet({
        args: ['--config', '/var/lib/kubelet/config.yaml', '--authorization-mode', 'AlwaysAllow'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'notWebhook',
    },
  ],
  unknown: [
    {
      name: 'unreadable config file',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': { reason: 'too-large' } },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml could not be read (too-large)'],
    },
    {
      name: 'malformed YAML',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}authorization:\n\tmode: Webhook\n` },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml'],
    },
    {
      name: 'wrong type: authorization.mode is a number',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}authorization: {mode: 1}\n` },
      }),
      messageId: 'undetermined',
      messageIncludes: ['authorization.mode is 1, not a string'],
    },
    {
      name: 'the --config-dir listing could not be read',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/etc/kubernetes/kubelet.conf.d (--config-dir)'],
    },
  ],
  skip: [
    {
      name: 'no kubelet on this node',
      host: { processes: [{ component: 'kube-apiserver', args: ['--authorization-mode=Node,RBAC'] }] },
      messageId: 'noKubelet',
    },
  ],
});
