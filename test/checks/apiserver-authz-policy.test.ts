import check from '../../src/checks/apiserver-authz-policy.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const authz = (...types: string[]) =>
  `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthorizationConfiguration\nauthorizers:\n${types.map((t) => `- type: ${t}\n  name: ${t.toLowerCase()}\n`).join('')}`;
const CONFIG = '/etc/kubernetes/authz.yaml';
const modes = (...args: string[]) => kubeadmApiserver({ without: ['authorization-mode'], add: args });
const withConfig = (content: string, extra: string[] = []) =>
  kubeadmApiserver({
    without: ['authorization-mode'],
    add: [`--authorization-config=${CONFIG}`, ...extra],
    files: { [CONFIG]: content },
  });

runCheckCases(check, {
  pass: [
    { name: 'kubeadm: Node,RBAC', host: kubeadmApiserver(), messageId: 'policy', messageIncludes: ['RBAC'] },
    { name: 'kube-bench#2095: space form', host: modes('--authorization-mode', 'Node,RBAC') },
    {
      name: 'SCS test false fail: --authorization-config with Node, Webhook and RBAC',
      host: withConfig(authz('Node', 'Webhook', 'RBAC')),
      messageIncludes: ['Webhook, RBAC', '/etc/kubernetes/authz.yaml'],
    },
    {
      name: 'Node,ABAC (with its policy file)',
      host: modes('--authorization-mode=Node,ABAC', '--authorization-policy-file=/etc/kubernetes/abac.jsonl'),
      messageIncludes: ['ABAC'],
    },
  ],
  fail: [
    {
      name: 'kube-bench reads the first occurrence: --authorization-mode=AlwaysAllow --authorization-mode=Node,RBAC is [AlwaysAllow Node RBAC]',
      host: modes('--authorization-mode=AlwaysAllow', '--authorization-mode=Node,RBAC'),
      messageId: 'alwaysAllow',
      messageIncludes: ['["AlwaysAllow","Node","RBAC"]'],
    },
    {
      name: 'no authorization flag: AlwaysAllow by default',
      host: kubeadmApiserver({ without: ['authorization-mode'] }),
      messageId: 'alwaysAllow',
    },
    {
      name: 'empty --authorization-mode= falls back to AlwaysAllow',
      host: modes('--authorization-mode='),
      messageId: 'alwaysAllow',
    },
    {
      name: '"Node, RBAC" with a space: " RBAC" is not RBAC',
      host: modes('--authorization-mode=Node, RBAC'),
      messageId: 'noPolicy',
      messageIncludes: ['" RBAC"'],
    },
    { name: 'Node alone', host: modes('--authorization-mode=Node'), messageId: 'noPolicy' },
    {
      name: 'authorization config ending in AlwaysAllow',
      host: withConfig(authz('Node', 'RBAC', 'AlwaysAllow')),
      messageId: 'alwaysAllow',
    },
  ],
  unknown: [
    {
      name: 'both --authorization-config and --authorization-mode',
      host: withConfig(authz('Node', 'RBAC'), ['--authorization-mode=AlwaysAllow']),
      messageId: 'undetermined',
      messageIncludes: ['refuses to start'],
    },
    {
      name: 'authorization config with an empty authorizers list',
      host: withConfig('apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: []\n'),
      messageId: 'undetermined',
      messageIncludes: ['authorizers'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
