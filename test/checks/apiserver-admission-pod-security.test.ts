import check from '../../src/checks/apiserver-admission-pod-security.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

runCheckCases(check, {
  pass: [
    { name: 'SCS test false fail: PodSecurity is on by default, not listed', host: kubeadmApiserver(), messageId: 'enabled', messageIncludes: ['on by default'] },
    { name: 'listed explicitly', host: kubeadmApiserver({ add: ['--enable-admission-plugins=PodSecurity'] }), messageIncludes: ['--enable-admission-plugins=PodSecurity'] },
    { name: 'another plugin disabled', host: kubeadmApiserver({ add: ['--disable-admission-plugins=DefaultStorageClass'] }) },
    { name: '--insecure-port=0 proves nothing about the release', host: kubeadmApiserver({ add: ['--insecure-port=0'] }), messageIncludes: ['on by default'] },
  ],
  fail: [
    { name: '--disable-admission-plugins=PodSecurity', host: kubeadmApiserver({ add: ['--disable-admission-plugins=PodSecurity'] }), messageId: 'disabled', messageIncludes: ['--disable-admission-plugins=PodSecurity'] },
    { name: 'repeated --disable-admission-plugins accumulate', host: kubeadmApiserver({ add: ['--disable-admission-plugins=EventRateLimit', '--disable-admission-plugins', 'PodSecurity'] }), messageId: 'disabled' },
    {
      name: 'a pre-1.20 apiserver (non-zero --insecure-port) has no PodSecurity plugin',
      host: kubeadmApiserver({ add: ['--insecure-port=8080'] }),
      messageId: 'disabled',
      messageIncludes: ['no PodSecurity plugin before 1.22', '--insecure-port=8080'],
    },
    { name: 'deprecated --admission-control is a complete list without PodSecurity', host: kubeadmApiserver({ without: ['enable-admission-plugins'], add: ['--admission-control=NamespaceLifecycle,NodeRestriction'] }), messageId: 'disabled' },
  ],
  unknown: [
    { name: 'PodSecurity both enabled and disabled', host: kubeadmApiserver({ add: ['--enable-admission-plugins=PodSecurity', '--disable-admission-plugins=PodSecurity'] }), messageId: 'undetermined' },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
