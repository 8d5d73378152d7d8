import check from '../../src/checks/version-skew.js';
import { runCheckCases } from '../support/check-tester.js';

const apiserver = (tag: string) => ({
  component: 'kube-apiserver' as const,
  image: `registry.k8s.io/kube-apiserver:${tag}`,
});
const kubelet = { component: 'kubelet' as const, args: ['--config=/var/lib/kubelet/config.yaml'] };

runCheckCases(check, {
  pass: [
    { name: 'same minor', host: { processes: [apiserver('v1.36.4'), kubelet], packages: { kubelet: '1.36.4-1.1' } } },
    {
      name: 'kubelet three minors behind',
      host: { processes: [apiserver('v1.37.1'), kubelet], packages: { kubelet: '1.34.9-1.1' } },
    },
  ],
  fail: [
    {
      name: 'kubelet newer than the apiserver',
      host: { processes: [apiserver('v1.35.9'), kubelet], packages: { kubelet: '1.36.1-1.1' } },
      messageId: 'kubeletNewer',
    },
    {
      name: 'kubelet four minors behind',
      host: { processes: [apiserver('v1.37.1'), kubelet], packages: { kubelet: '1.33.10-1.1' } },
      messageId: 'kubeletTooOld',
      messageIncludes: ['4 minor'],
    },
  ],
  unknown: [
    {
      name: 'kubelet version unknown',
      host: { processes: [apiserver('v1.36.4'), kubelet] },
      messageId: 'versionUnknown',
      messageIncludes: ['kubelet'],
    },
  ],
  skip: [
    {
      name: 'worker without apiserver',
      host: { processes: [kubelet], packages: { kubelet: '1.36.4-1.1' } },
      messageId: 'notBoth',
    },
    {
      name: 'external etcd host',
      host: { processes: [{ component: 'etcd', image: 'registry.k8s.io/etcd:3.6.4-0' }] },
      messageId: 'notBoth',
    },
  ],
});
