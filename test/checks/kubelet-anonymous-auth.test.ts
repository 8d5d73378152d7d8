import check from '../../src/checks/kubelet-anonymous-auth.js';
import { runCheckCases } from '../support/check-tester.js';
import { probeRecord, type HostSpec, type ProcessSpec } from '../support/host.js';

const HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const KUBEADM_CONFIG = `${HEADER}authentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\n`;
const K3S_DIR = '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d';

function kubelet(spec: Omit<ProcessSpec, 'component'>): HostSpec {
  return { processes: [{ component: 'kubelet', ...spec }] };
}

/** The live probe's unauthenticated `GET /pods` and what the kubelet answered. */
function probed(host: HostSpec, status: number | 'timeout'): HostSpec {
  const target = 'GET https://127.0.0.1:10250/pods';
  const record =
    status === 'timeout'
      ? probeRecord({ probe: 'kubelet-anonymous-auth', target, outcome: 'timeout', detail: 'no answer within 1000 ms' })
      : probeRecord({ probe: 'kubelet-anonymous-auth', target, outcome: 'response', status });
  return { ...host, probes: { records: [record] } };
}
const CONFIG_OFF = kubelet({
  args: ['--config=/var/lib/kubelet/config.yaml'],
  files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
});
const UNREADABLE = kubelet({
  args: ['--config=/var/lib/kubelet/config.yaml'],
  files: { '/var/lib/kubelet/config.yaml': { reason: 'permission' } },
});

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: config file sets authentication.anonymous.enabled=false',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'disabled',
      messageIncludes: ['/var/lib/kubelet/config.yaml: authentication.anonymous.enabled=false'],
    },
    {
      name: 'kube-bench 4.2.1 false positive: config file omitting anonymous means false',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}readOnlyPort: 0\n` },
      }),
      messageIncludes: ['not set in --config /var/lib/kubelet/config.yaml'],
    },
    {
      name: 'no config file, --anonymous-auth=false',
      host: kubelet({ args: ['--anonymous-auth=false'] }),
      messageIncludes: ['--anonymous-auth=false'],
    },
    {
      name: 'underscore form --anonymous_auth=false',
      host: kubelet({ args: ['--anonymous_auth=false'] }),
      messageIncludes: ['--anonymous_auth=false'],
    },
    {
      name: 'Go ParseBool: --anonymous-auth=0',
      host: kubelet({ args: ['--anonymous-auth=0'] }),
      messageIncludes: ['--anonymous-auth=0'],
    },
    {
      name: 'repeated flags: the last one (false) wins',
      host: kubelet({ args: ['--anonymous-auth=true', '--v=2', '--anonymous-auth=false'] }),
    },
    {
      name: 'kube-bench#1256: relative --config=kubelet_conf.json resolved against the cwd',
      host: kubelet({
        args: ['--config=kubelet_conf.json'],
        cwd: '/etc/kubernetes',
        files: {
          '/etc/kubernetes/kubelet_conf.json':
            '{"kind":"KubeletConfiguration","apiVersion":"kubelet.config.k8s.io/v1beta1","authentication":{"anonymous":{"enabled":false}}}',
        },
      }),
      messageIncludes: ['/etc/kubernetes/kubelet_conf.json: authentication.anonymous.enabled=false'],
    },
    {
      name: 'kube-bench#852: space form --config /home/kubernetes/kubelet-config.yaml',
      host: kubelet({
        args: ['--kubeconfig', '/var/lib/kubelet/kubeconfig', '--config', '/home/kubernetes/kubelet-config.yaml'],
        files: { '/home/kubernetes/kubelet-config.yaml': KUBEADM_CONFIG },
      }),
      messageIncludes: ['/home/kubernetes/kubelet-config.yaml'],
    },
    {
      name: 'YAML 1.1: enabled: no is false',
      host: kubelet({
        args: ['--config=/etc/kubelet.yaml'],
        files: { '/etc/kubelet.yaml': `${HEADER}authentication: {anonymous: {enabled: no}}\n` },
      }),
    },
    {
      name: 'a drop-in turning anonymous on is overridden by a flag',
      host: kubelet({
        args: [
          '--config=/var/lib/kubelet/config.yaml',
          '--config-dir=/etc/kubernetes/kubelet.conf.d',
          '--anonymous-auth=false',
        ],
        files: {
          '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG,
          '/etc/kubernetes/kubelet.conf.d/10-debug.conf': `${HEADER}authentication: {anonymous: {enabled: true}}\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-debug.conf'] },
      }),
      messageIncludes: ['--anonymous-auth=false'],
    },
    {
      name: 'k3s ≥1.32: drop-ins, the sub-directory one last, keep anonymous off',
      host: kubelet({
        args: [`--config-dir=${K3S_DIR}`],
        files: {
          [`${K3S_DIR}/00-k3s-defaults.conf`]: `${HEADER}authentication: {anonymous: {enabled: false}, webhook: {enabled: true}}\nauthorization: {mode: Webhook}\n`,
          [`${K3S_DIR}/20-cli-config-dir/extra-config.conf`]: `${HEADER}maxPods: 250\n`,
        },
        dirs: { [K3S_DIR]: ['00-k3s-defaults.conf', '20-cli-config-dir/extra-config.conf'] },
      }),
      messageIncludes: [`${K3S_DIR}/00-k3s-defaults.conf (drop-in): authentication.anonymous.enabled=false`],
    },
    {
      name: 'probe: config off and GET /pods answered 401 (agrees)',
      host: probed(CONFIG_OFF, 401),
      messageId: 'disabled',
    },
    {
      name: 'probe wins: no --config (default on), but GET /pods answered 401',
      host: probed(kubelet({ args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }), 401),
      messageId: 'probeDisagrees',
      messageIncludes: [
        'Config says anonymous auth on',
        'https://127.0.0.1:10250/pods returned 401',
        'rejects anonymous requests',
      ],
    },
    {
      name: 'probe decides: config unreadable, GET /pods answered 401',
      host: probed(UNREADABLE, 401),
      messageId: 'probeDecides',
      messageIncludes: ['returned 401', '/var/lib/kubelet/config.yaml could not be read'],
    },
    {
      name: 'probe timed out: no answer is no evidence, the configuration decides',
      host: probed(CONFIG_OFF, 'timeout'),
      messageId: 'disabled',
    },
    {
      name: 'probe got 404 (not a kubelet answer): the configuration decides',
      host: probed(CONFIG_OFF, 404),
      messageId: 'disabled',
    },
  ],
  fail: [
    {
      name: 'probe wins: config says anonymous off, but GET /pods answered 403 (authenticated as system:anonymous)',
      host: probed(CONFIG_OFF, 403),
      messageId: 'probeDisagrees',
      messageIncludes: [
        'Config says anonymous auth off (/var/lib/kubelet/config.yaml: authentication.anonymous.enabled=false)',
        'returned 403',
        'system:anonymous',
      ],
    },
    {
      name: 'probe wins: config says anonymous off, but GET /pods answered 200 (critical)',
      host: probed(CONFIG_OFF, 200),
      messageId: 'probeDisagrees',
      messageIncludes: ['Config says anonymous auth off', 'returned 200', 'critical'],
    },
    {
      name: 'probe agrees: default on and GET /pods answered 403',
      host: probed(kubelet({ args: [] }), 403),
      messageId: 'enabled',
    },
    {
      name: 'probe decides: config unreadable, GET /pods answered 200',
      host: probed(UNREADABLE, 200),
      messageId: 'probeDecides',
      messageIncludes: ['returned 200'],
    },
    {
      name: 'no config file and no flag: the command-line default is true',
      host: kubelet({ args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }),
      messageId: 'enabled',
      messageIncludes: ['authentication.anonymous.enabled=true, no --config given'],
    },
    {
      name: 'config file sets enabled: true',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}authentication: {anonymous: {enabled: true}}\n` },
      }),
      messageId: 'enabled',
    },
    {
      name: 'a --config-dir drop-in turns anonymous on',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: {
          '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG,
          '/etc/kubernetes/kubelet.conf.d/10-debug.conf': `${HEADER}authentication:\n  anonymous:\n    enabled: true\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-debug.conf'] },
      }),
      messageId: 'enabled',
      messageIncludes: [
        '/etc/kubernetes/kubelet.conf.d/10-debug.conf (drop-in): authentication.anonymous.enabled=true',
      ],
    },
    {
      name: '--config-dir without --config keeps the insecure command-line defaults',
      host: kubelet({
        args: ['--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: { '/etc/kubernetes/kubelet.conf.d/10-port.conf': `${HEADER}readOnlyPort: 0\n` },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-port.conf'] },
      }),
      messageId: 'enabled',
      messageIncludes: ['no --config given'],
    },
    {
      name: 'space form with a bool: --anonymous-auth false is the bare flag (true) and a stray "false"',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--anonymous-auth', 'false'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'enabled',
      messageIncludes: ['--anonymous-auth (bare flag: true)'],
    },
    {
      name: 'repeated flags: the last one (true) wins',
      host: kubelet({ args: ['--anonymous-auth=false', '--anonymous-auth=true'] }),
      messageId: 'enabled',
    },
    {
      name: 'a flag overrides the config file',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--anonymous-auth=true'],
        files: { '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG },
      }),
      messageId: 'enabled',
      messageIncludes: ['--anonymous-auth=true'],
    },
    {
      name: 'k3s ≥1.32: 20-cli-config-dir/extra-config.conf turns anonymous on after the defaults',
      host: kubelet({
        args: [`--config-dir=${K3S_DIR}`],
        files: {
          [`${K3S_DIR}/00-k3s-defaults.conf`]: `${HEADER}authentication: {anonymous: {enabled: false}}\n`,
          [`${K3S_DIR}/10-cli-config.conf`]: `${HEADER}clusterDNS: [10.43.0.10]\n`,
          [`${K3S_DIR}/20-cli-config-dir/extra-config.conf`]: `${HEADER}authentication: {anonymous: {enabled: true}}\n`,
        },
        dirs: { [K3S_DIR]: ['20-cli-config-dir/extra-config.conf', '00-k3s-defaults.conf', '10-cli-config.conf'] },
      }),
      messageId: 'enabled',
      messageIncludes: ['20-cli-config-dir/extra-config.conf (drop-in)'],
    },
  ],
  unknown: [
    {
      name: 'config unreadable and the probe timed out: nothing decides',
      host: probed(UNREADABLE, 'timeout'),
      messageId: 'undetermined',
    },
    {
      name: 'unreadable config file',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': { reason: 'permission' } },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml could not be read (permission)'],
    },
    {
      name: 'malformed YAML',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}authentication:\n  anonymous: {enabled: false\n` },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml is not valid YAML'],
    },
    {
      name: 'wrong type: anonymous: {enabled: "maybe"}',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml'],
        files: { '/var/lib/kubelet/config.yaml': `${HEADER}authentication: {anonymous: {enabled: "maybe"}}\n` },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml: authentication.anonymous.enabled is maybe, not a boolean'],
    },
    {
      name: 'an unreadable drop-in may set it',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: {
          '/var/lib/kubelet/config.yaml': KUBEADM_CONFIG,
          '/etc/kubernetes/kubelet.conf.d/50-x.conf': { reason: 'permission' },
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['50-x.conf'] },
      }),
      messageId: 'undetermined',
      messageIncludes: ['/etc/kubernetes/kubelet.conf.d/50-x.conf'],
    },
    {
      name: 'a flag value Go cannot parse as a boolean',
      host: kubelet({ args: ['--anonymous-auth=no'] }),
      messageId: 'undetermined',
      messageIncludes: ['--anonymous-auth=no'],
    },
  ],
  skip: [
    {
      name: 'no kubelet on this node',
      host: { processes: [{ component: 'etcd', args: ['--name=e1'] }] },
      messageId: 'noKubelet',
    },
    { name: 'nothing at all', host: {}, messageId: 'noKubelet' },
  ],
});
