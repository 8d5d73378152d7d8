import check from '../../src/checks/apiserver-admission-pod-security.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

// The release decides PodSecurity's default (KEP-2579): none before 1.22, alpha behind the
// PodSecurity feature gate (off) in 1.22, on by default from 1.23, gate locked on from 1.25, gone in 1.28.
const release = (minor: string, add: string[] = []) =>
  kubeadmApiserver({ image: `registry.k8s.io/kube-apiserver:v1.${minor}.3`, add });
const noVersion = (add: string[] = []) => kubeadmApiserver({ image: undefined, add });

runCheckCases(check, {
  pass: [
    {
      name: 'SCS test false fail: PodSecurity is on by default, not listed',
      host: kubeadmApiserver(),
      messageId: 'enabled',
      messageIncludes: ['on by default'],
    },
    {
      name: 'listed explicitly',
      host: kubeadmApiserver({ add: ['--enable-admission-plugins=PodSecurity'] }),
      messageIncludes: ['--enable-admission-plugins=PodSecurity'],
    },
    {
      name: 'another plugin disabled',
      host: kubeadmApiserver({ add: ['--disable-admission-plugins=DefaultStorageClass'] }),
    },
    {
      name: '--insecure-port=0 proves nothing about the release',
      host: kubeadmApiserver({ add: ['--insecure-port=0'] }),
      messageIncludes: ['on by default'],
    },
    {
      name: 'issue 9: 1.23 turns it on by default',
      host: release('23'),
      messageIncludes: ['on by default from 1.23', 'v1.23.3'],
    },
    {
      name: 'issue 9: 1.22 with --feature-gates=PodSecurity=true',
      host: release('22', ['--feature-gates=PodSecurity=true']),
      messageIncludes: ['--feature-gates=PodSecurity=true'],
    },
    {
      name: 'issue 9: version unknown, but listed and gated on: every release that starts with this runs it',
      host: noVersion(['--enable-admission-plugins=NodeRestriction,PodSecurity', '--feature-gates=PodSecurity=true']),
      messageIncludes: ['1.22–1.27'],
    },
  ],
  fail: [
    {
      name: '--disable-admission-plugins=PodSecurity',
      host: kubeadmApiserver({ add: ['--disable-admission-plugins=PodSecurity'] }),
      messageId: 'disabled',
      messageIncludes: ['--disable-admission-plugins=PodSecurity'],
    },
    {
      name: 'repeated --disable-admission-plugins accumulate',
      host: kubeadmApiserver({
        add: ['--disable-admission-plugins=EventRateLimit', '--disable-admission-plugins', 'PodSecurity'],
      }),
      messageId: 'disabled',
    },
    {
      name: 'a pre-1.20 apiserver (non-zero --insecure-port) has no PodSecurity plugin',
      host: kubeadmApiserver({ add: ['--insecure-port=8080'] }),
      messageId: 'disabled',
      messageIncludes: ['no PodSecurity plugin before 1.22', '--insecure-port=8080'],
    },
    {
      name: 'issue 9: a v1.21 apiserver has no PodSecurity plugin (was a false pass)',
      host: release('21'),
      messageId: 'disabled',
      messageIncludes: ['no PodSecurity plugin before 1.22', 'v1.21.3'],
    },
    {
      name: 'issue 9: 1.22 alpha: off without the feature gate',
      host: release('22'),
      messageId: 'disabled',
      messageIncludes: ['alpha'],
    },
    {
      name: 'issue 9: 1.23 with --feature-gates=PodSecurity=false',
      host: release('23', ['--feature-gates=PodSecurity=false']),
      messageId: 'disabled',
      messageIncludes: ['--feature-gates=PodSecurity=false'],
    },
    {
      name: 'issue 9: 1.24, repeated --feature-gates merge and the last PodSecurity wins',
      host: release('24', [
        '--feature-gates=PodSecurity=true,APIServerTracing=true',
        '--feature-gates',
        'PodSecurity=false',
      ]),
      messageId: 'disabled',
    },
    {
      name: 'issue 9: version unknown, gate off: only 1.22–1.24 start with it, and there it is off',
      host: noVersion(['--feature-gates=PodSecurity=false']),
      messageId: 'disabled',
    },
    {
      name: 'deprecated --admission-control is a complete list without PodSecurity',
      host: kubeadmApiserver({
        without: ['enable-admission-plugins'],
        add: ['--admission-control=NamespaceLifecycle,NodeRestriction'],
      }),
      messageId: 'disabled',
    },
  ],
  unknown: [
    {
      name: 'issue 9: no version found: on by default only from 1.23',
      host: noVersion(),
      messageId: 'undetermined',
      messageIncludes: ['version is not known'],
    },
    {
      name: 'issue 9: 1.25 refuses --feature-gates=PodSecurity=false (locked on)',
      host: release('25', ['--feature-gates=PodSecurity=false']),
      messageId: 'undetermined',
      messageIncludes: ['locked on'],
    },
    {
      name: 'issue 9: 1.28 refuses the removed PodSecurity gate',
      host: release('28', ['--feature-gates=PodSecurity=true']),
      messageId: 'undetermined',
      messageIncludes: ['no longer has'],
    },
    {
      name: 'issue 9: 1.21 refuses PodSecurity in --enable-admission-plugins',
      host: release('21', ['--enable-admission-plugins=PodSecurity']),
      messageId: 'undetermined',
      messageIncludes: ['does not know'],
    },
    {
      name: 'issue 9: a malformed gate value is refused',
      host: release('23', ['--feature-gates=PodSecurity=maybe']),
      messageId: 'undetermined',
      messageIncludes: ['PodSecurity=maybe'],
    },
    {
      name: 'PodSecurity both enabled and disabled',
      host: kubeadmApiserver({
        add: ['--enable-admission-plugins=PodSecurity', '--disable-admission-plugins=PodSecurity'],
      }),
      messageId: 'undetermined',
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
