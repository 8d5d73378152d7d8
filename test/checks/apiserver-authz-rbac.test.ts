import check from '../../src/checks/apiserver-authz-rbac.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const CONFIG = '/etc/kubernetes/authz.yaml';
const withConfig = (content: string) =>
  kubeadmApiserver({
    without: ['authorization-mode'],
    add: [`--authorization-config=${CONFIG}`],
    files: { [CONFIG]: content },
  });
const modes = (...args: string[]) => kubeadmApiserver({ without: ['authorization-mode'], add: args });

runCheckCases(check, {
  pass: [
    { name: 'kubeadm: Node,RBAC', host: kubeadmApiserver(), messageId: 'rbac' },
    {
      name: 'authorization config in JSON with an RBAC authorizer',
      host: withConfig(
        '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthorizationConfiguration","authorizers":[{"type":"Node","name":"node"},{"type":"RBAC","name":"rbac"}]}',
      ),
    },
    { name: 'underscore form --authorization_mode=Node,RBAC', host: modes('--authorization_mode=Node,RBAC') },
  ],
  fail: [
    {
      name: 'Node,Webhook: allowed by the MUST, not the recommendation',
      host: modes(
        '--authorization-mode=Node,Webhook',
        '--authorization-webhook-config-file=/etc/kubernetes/authz-webhook.kubeconfig',
      ),
      messageId: 'noRbac',
    },
    {
      name: '"Node, RBAC" with a space',
      host: modes('--authorization-mode=Node, RBAC'),
      messageId: 'noRbac',
      messageIncludes: ['" RBAC"'],
    },
    { name: 'case matters: rbac is not RBAC', host: modes('--authorization-mode=Node,rbac'), messageId: 'noRbac' },
  ],
  unknown: [
    {
      name: 'YAML 1.1 authorizer type `on` is a boolean, not a string',
      host: withConfig(
        'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: on\n  name: x\n',
      ),
      messageId: 'undetermined',
      messageIncludes: ['authorizers[0].type'],
    },
    {
      name: 'authorization config unreadable',
      host: kubeadmApiserver({
        without: ['authorization-mode'],
        add: [`--authorization-config=${CONFIG}`],
        files: { [CONFIG]: { reason: 'permission' } },
      }),
      messageId: 'undetermined',
      messageIncludes: [CONFIG],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
