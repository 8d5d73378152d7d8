import check from '../../src/checks/apiserver-pod-security-baseline.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';
import type { ProcessSpec } from '../support/host.js';

const ADMISSION = '/etc/kubernetes/admission.yaml';
const admission = (plugins: string) =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n${plugins}`;
const psa = (defaults: string, apiVersion = 'v1') =>
  `apiVersion: pod-security.admission.config.k8s.io/${apiVersion}\nkind: PodSecurityConfiguration\ndefaults:\n${defaults}exemptions:\n  namespaces: [kube-system]\n`;
const inline = (defaults: string) =>
  admission(`- name: PodSecurity\n  configuration:\n${psa(defaults).replace(/^/gm, '    ')}`);
const withAdmission = (files: ProcessSpec['files'], add: string[] = []) =>
  kubeadmApiserver({ add: [`--admission-control-config-file=${ADMISSION}`, ...add], files });

runCheckCases(check, {
  pass: [
    {
      name: 'inline PodSecurityConfiguration enforce: baseline',
      host: withAdmission({ [ADMISSION]: inline('  enforce: baseline\n  enforce-version: latest\n') }),
      messageId: 'enforced',
      messageIncludes: ['baseline', `${ADMISSION}: plugins[PodSecurity].configuration`],
    },
    {
      name: 'PodSecurity path: reference, relative to the admission config directory, enforce: restricted (v1beta1)',
      host: withAdmission({
        [ADMISSION]: admission('- name: PodSecurity\n  path: podsecurity.yaml\n'),
        '/etc/kubernetes/podsecurity.yaml': psa('  enforce: "restricted"\n', 'v1beta1'),
      }),
      messageIncludes: ['restricted', '/etc/kubernetes/podsecurity.yaml'],
    },
    {
      name: 'admission config written as JSON',
      host: withAdmission({
        [ADMISSION]: JSON.stringify({
          apiVersion: 'apiserver.config.k8s.io/v1',
          kind: 'AdmissionConfiguration',
          plugins: [
            {
              name: 'PodSecurity',
              configuration: {
                apiVersion: 'pod-security.admission.config.k8s.io/v1',
                kind: 'PodSecurityConfiguration',
                defaults: { enforce: 'baseline' },
              },
            },
          ],
        }),
      }),
    },
    {
      name: 'space form --admission-control-config-file',
      host: kubeadmApiserver({
        add: ['--admission-control-config-file', ADMISSION],
        files: { [ADMISSION]: inline('  enforce: baseline\n') },
      }),
    },
  ],
  fail: [
    {
      name: '--disable-admission-plugins=PodSecurity: nothing enforces any standard',
      host: withAdmission({ [ADMISSION]: inline('  enforce: baseline\n') }, [
        '--disable-admission-plugins=PodSecurity',
      ]),
      messageId: 'disabled',
    },
    {
      name: 'deprecated --admission-control without PodSecurity',
      host: kubeadmApiserver({ without: ['enable-admission-plugins'], add: ['--admission-control=NodeRestriction'] }),
      messageId: 'disabled',
    },
  ],
  unknown: [
    {
      name: 'kubeadm default: no admission config, enforce=privileged; namespace labels could still satisfy it',
      host: kubeadmApiserver(),
      messageId: 'namespaceLabels',
      messageIncludes: [
        'pod-security.kubernetes.io/enforce',
        'invisible from the node',
        '--admission-control-config-file',
      ],
    },
    {
      name: 'explicit enforce: privileged, audit: baseline',
      host: withAdmission({ [ADMISSION]: inline('  enforce: privileged\n  audit: baseline\n') }),
      messageId: 'namespaceLabels',
      messageIncludes: [`defaults.enforce in ${ADMISSION}`],
    },
    {
      name: 'admission config without a PodSecurity entry',
      host: withAdmission({ [ADMISSION]: admission('- name: EventRateLimit\n  path: eventratelimit.yaml\n') }),
      messageId: 'namespaceLabels',
      messageIncludes: [`plugins in ${ADMISSION}`],
    },
    {
      name: 'the admission config is unreadable',
      host: withAdmission({ [ADMISSION]: { reason: 'permission' } }),
      messageId: 'configUndetermined',
      messageIncludes: [ADMISSION],
    },
    {
      name: 'YAML 1.1: enforce: no is a boolean the apiserver refuses',
      host: withAdmission({ [ADMISSION]: inline('  enforce: no\n') }),
      messageId: 'configUndetermined',
      messageIncludes: ['defaults.enforce is false'],
    },
    {
      name: 'the PodSecurity path: file is missing',
      host: withAdmission({
        [ADMISSION]: admission('- name: PodSecurity\n  path: podsecurity.yaml\n'),
        '/etc/kubernetes/podsecurity.yaml': { reason: 'missing' },
      }),
      messageId: 'configUndetermined',
      messageIncludes: ['/etc/kubernetes/podsecurity.yaml'],
    },
    {
      name: 'Baseline (capitalised) is not a level',
      host: withAdmission({ [ADMISSION]: inline('  enforce: Baseline\n') }),
      messageId: 'configUndetermined',
      messageIncludes: ['"Baseline"'],
    },
    {
      name: 'conflicting admission flags',
      host: kubeadmApiserver({ add: ['--admission-control=PodSecurity'] }),
      messageId: 'admissionUndetermined',
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
