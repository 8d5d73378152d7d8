import check from '../../src/checks/apiserver-authz-node.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const authz = (...types: string[]) =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n${types.map((t) => `- type: ${t}\n  name: ${t.toLowerCase()}\n`).join('')}`;
const CONFIG = '/etc/kubernetes/authz.yaml';
const withConfig = (content: string | { reason: 'missing' }, extra: string[] = []) =>
  kubeadmApiserver({
    without: ['authorization-mode'],
    add: [`--authorization-config=${CONFIG}`, ...extra],
    files: { [CONFIG]: content },
  });

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: --authorization-mode=Node,RBAC',
      host: kubeadmApiserver(),
      messageId: 'node',
      messageIncludes: ['["Node","RBAC"]'],
    },
    {
      name: 'kube-bench#2095: space form --authorization-mode Node,RBAC',
      host: kubeadmApiserver({ without: ['authorization-mode'], add: ['--authorization-mode', 'Node,RBAC'] }),
    },
    {
      name: 'SCS test false fail: --authorization-config with Node and RBAC, no --authorization-mode',
      host: withConfig(authz('Node', 'RBAC')),
      messageIncludes: [CONFIG],
    },
    {
      name: 'repeated occurrences accumulate: --authorization-mode=RBAC --authorization-mode=Node',
      host: kubeadmApiserver({
        without: ['authorization-mode'],
        add: ['--authorization-mode=RBAC', '--authorization-mode=Node'],
      }),
    },
  ],
  fail: [
    {
      name: 'RBAC only',
      host: kubeadmApiserver({ without: ['authorization-mode'], add: ['--authorization-mode=RBAC'] }),
      messageId: 'noNode',
    },
    {
      name: 'no authorization flag: AlwaysAllow by default',
      host: kubeadmApiserver({ without: ['authorization-mode'] }),
      messageId: 'noNode',
      messageIncludes: ['AlwaysAllow'],
    },
    {
      name: 'authorization config without a Node authorizer',
      host: withConfig(authz('RBAC', 'Webhook')),
      messageId: 'noNode',
    },
    {
      name: '" Node" with a leading space is not Node',
      host: kubeadmApiserver({ without: ['authorization-mode'], add: ['--authorization-mode=RBAC, Node'] }),
      messageId: 'noNode',
      messageIncludes: ['" Node"'],
    },
  ],
  unknown: [
    {
      name: '--authorization-config and --authorization-mode together: the apiserver refuses to start',
      host: withConfig(authz('Node', 'RBAC'), ['--authorization-mode=Node,RBAC']),
      messageId: 'undetermined',
      messageIncludes: ['refuses to start'],
    },
    {
      name: 'the authorization config file is missing',
      host: withConfig({ reason: 'missing' }),
      messageId: 'undetermined',
      messageIncludes: [CONFIG],
    },
    {
      name: 'YAML that does not parse',
      host: withConfig('authorizers: [type: Node\n'),
      messageId: 'undetermined',
      messageIncludes: [CONFIG, 'not valid YAML'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
