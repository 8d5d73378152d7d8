import check from '../../src/checks/apiserver-pod-security-enforce.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';
import type { ProcessSpec } from '../support/host.js';

const ADMISSION = '/etc/kubernetes/admission.yaml';
const admission = (plugins: string) =>
  `apiVersion: apiserver.k8s.io/v1alpha1\nkind: AdmissionConfiguration\nplugins:\n${plugins}`;
const inline = (defaults: string) =>
  admission(
    `- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults:\n${defaults.replace(/^/gm, '      ')}`,
  );
const withAdmission = (files: ProcessSpec['files'], add: string[] = []) =>
  kubeadmApiserver({ add: [`--admission-control-config-file=${ADMISSION}`, ...add], files });

runCheckCases(check, {
  pass: [
    {
      name: 'defaults enforce baseline (legacy apiserver.k8s.io/v1alpha1 admission config)',
      host: withAdmission({ [ADMISSION]: inline('enforce: baseline\naudit: restricted\nwarn: restricted\n') }),
      messageId: 'enforced',
      messageIncludes: ['enforce=baseline'],
    },
    { name: 'defaults enforce restricted', host: withAdmission({ [ADMISSION]: inline('enforce: restricted\n') }) },
  ],
  fail: [
    {
      name: 'only audit and warn, enforce unset',
      host: withAdmission({ [ADMISSION]: inline('audit: restricted\nwarn: baseline\n') }),
      messageId: 'auditWarnOnly',
      messageIncludes: ['audit=restricted, warn=baseline', 'enforce=privileged'],
    },
    {
      name: 'enforce privileged with warn restricted',
      host: withAdmission({ [ADMISSION]: inline('enforce: privileged\nwarn: restricted\n') }),
      messageId: 'auditWarnOnly',
    },
    {
      name: 'PodSecurity disabled',
      host: withAdmission({ [ADMISSION]: inline('enforce: baseline\n') }, ['--disable-admission-plugins=PodSecurity']),
      messageId: 'disabled',
    },
  ],
  unknown: [
    {
      name: 'no admission config at all: namespace labels could still enforce',
      host: kubeadmApiserver(),
      messageId: 'namespaceLabels',
      messageIncludes: ['pod-security.kubernetes.io/enforce'],
    },
    {
      name: 'PodSecurity configured with no defaults',
      host: withAdmission({ [ADMISSION]: inline('{}\n') }),
      messageId: 'namespaceLabels',
    },
    {
      name: 'malformed admission config',
      host: withAdmission({ [ADMISSION]: 'plugins: [\n' }),
      messageId: 'configUndetermined',
      messageIncludes: [ADMISSION],
    },
    {
      name: 'wrong kind in the admission config',
      host: withAdmission({ [ADMISSION]: 'apiVersion: v1\nkind: ConfigMap\n' }),
      messageId: 'configUndetermined',
      messageIncludes: ['AdmissionConfiguration'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
