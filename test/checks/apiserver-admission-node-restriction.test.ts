import check from '../../src/checks/apiserver-admission-node-restriction.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const plugins = (...args: string[]) => kubeadmApiserver({ without: ['enable-admission-plugins'], add: args });

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: --enable-admission-plugins=NodeRestriction',
      host: kubeadmApiserver(),
      messageId: 'enabled',
      messageIncludes: ['--enable-admission-plugins=NodeRestriction'],
    },
    {
      name: 'SCS test false fail: NodeRestriction not first in the list',
      host: plugins('--enable-admission-plugins=PodSecurity,NodeRestriction'),
    },
    {
      name: 'kube-bench#432: deprecated --admission-control=...,NodeRestriction',
      host: plugins('--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction'),
      messageIncludes: ['--admission-control='],
    },
    {
      name: 'repeated --enable-admission-plugins accumulate',
      host: plugins('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=EventRateLimit'),
    },
    {
      name: 'space form and underscore',
      host: plugins('--enable_admission_plugins', 'EventRateLimit,NodeRestriction'),
    },
  ],
  fail: [
    {
      name: 'kubernetes/kubeadm#2075: not on by default',
      host: plugins(),
      messageId: 'notEnabled',
      messageIncludes: ['off by default'],
    },
    {
      name: 'disabled explicitly',
      host: plugins('--disable-admission-plugins=NodeRestriction'),
      messageId: 'notEnabled',
      messageIncludes: ['--disable-admission-plugins=NodeRestriction'],
    },
    {
      name: 'deprecated --admission-control list without it',
      host: plugins('--admission-control=NamespaceLifecycle,ServiceAccount'),
      messageId: 'notEnabled',
      messageIncludes: ['--admission-control'],
    },
    {
      name: '" NodeRestriction" with a leading space is another name',
      host: plugins('--enable-admission-plugins=PodSecurity, NodeRestriction'),
      messageId: 'notEnabled',
    },
    {
      name: 'a newline ends the CSV value: the second line is not read',
      host: plugins('--enable-admission-plugins=EventRateLimit\nNodeRestriction'),
      messageId: 'notEnabled',
    },
    {
      name: 'pflag: a value flag takes the next argument even when it looks like a flag',
      host: plugins('--oidc-username-prefix', '--enable-admission-plugins=NodeRestriction'),
      messageId: 'notEnabled',
    },
  ],
  unknown: [
    {
      name: '--admission-control with --enable-admission-plugins (mutually exclusive)',
      host: kubeadmApiserver({ add: ['--admission-control=NodeRestriction'] }),
      messageId: 'undetermined',
      messageIncludes: ['refuses to start'],
    },
    {
      name: 'the same plugin enabled and disabled',
      host: kubeadmApiserver({ add: ['--disable-admission-plugins=NodeRestriction'] }),
      messageId: 'undetermined',
      messageIncludes: ['NodeRestriction'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
