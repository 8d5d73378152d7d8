import check from '../../src/checks/kubelet-read-only-port.js';
import { runCheckCases } from '../support/check-tester.js';
import { listener, probeRecord, type HostSpec, type ProcessSpec } from '../support/host.js';

const HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
const KUBELET_PID = 812;
const K3S_DIR = '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d';

function kubelet(spec: Omit<ProcessSpec, 'component'>, listeners: HostSpec['listeners'] = []): HostSpec {
  return { processes: [{ component: 'kubelet', pid: KUBELET_PID, ...spec }], listeners };
}

const withConfig = (content: string, extraArgs: string[] = []): Omit<ProcessSpec, 'component'> => ({
  args: ['--config=/var/lib/kubelet/config.yaml', ...extraArgs],
  files: { '/var/lib/kubelet/config.yaml': content },
});

/** The live probe's `GET /healthz` on the read-only port, answered in plain HTTP. */
const answered = (host: HostSpec, port = 10255): HostSpec => ({
  ...host,
  probes: {
    records: [
      probeRecord({
        probe: 'kubelet-read-only-port',
        pid: KUBELET_PID,
        target: `GET http://127.0.0.1:${port}/healthz`,
        outcome: 'response',
        status: 200,
      }),
    ],
  },
});

const kubeletSockets = [listener('::', 10250, KUBELET_PID), listener('127.0.0.1', 10248, KUBELET_PID)];

runCheckCases(check, {
  pass: [
    {
      name: 'kube-bench#646: config file without readOnlyPort means 0',
      host: kubelet(withConfig(`${HEADER}authentication: {anonymous: {enabled: false}}\n`), kubeletSockets),
      messageId: 'disabled',
      messageIncludes: ['readOnlyPort=0, not set in --config /var/lib/kubelet/config.yaml'],
    },
    {
      name: 'config file sets readOnlyPort: 0',
      host: kubelet(withConfig(`${HEADER}readOnlyPort: 0\n`), kubeletSockets),
      messageIncludes: ['readOnlyPort=0'],
    },
    { name: 'no config file, --read-only-port=0', host: kubelet({ args: ['--read-only-port=0'] }, kubeletSockets) },
    {
      name: 'space form --read-only-port 0 (an int flag takes the next token)',
      host: kubelet({ args: ['--read-only-port', '0'] }, kubeletSockets),
    },
    {
      name: 'underscore and repeat: --read-only-port=10255 --read_only_port=0',
      host: kubelet({ args: ['--read-only-port=10255', '--read_only_port=0'] }, kubeletSockets),
    },
    {
      name: 'a drop-in setting 10255 is overridden by --read-only-port=0',
      host: kubelet({
        args: [
          '--config=/var/lib/kubelet/config.yaml',
          '--config-dir=/etc/kubernetes/kubelet.conf.d',
          '--read-only-port=0',
        ],
        files: {
          '/var/lib/kubelet/config.yaml': HEADER,
          '/etc/kubernetes/kubelet.conf.d/10-ro.conf': `${HEADER}readOnlyPort: 10255\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-ro.conf'] },
      }),
    },
    {
      name: 'k3s ≥1.32: 00-k3s-defaults.conf disables the port, the sub-directory drop-in leaves it',
      host: kubelet({
        args: [`--config-dir=${K3S_DIR}`],
        files: {
          [`${K3S_DIR}/00-k3s-defaults.conf`]: `${HEADER}readOnlyPort: 0\n`,
          [`${K3S_DIR}/20-cli-config-dir/extra-config.conf`]: `${HEADER}maxPods: 200\n`,
        },
        dirs: { [K3S_DIR]: ['00-k3s-defaults.conf', '20-cli-config-dir/extra-config.conf'] },
      }),
      messageIncludes: ['00-k3s-defaults.conf (drop-in): readOnlyPort=0'],
    },
    {
      name: 'another process on 10255 is not the kubelet',
      host: kubelet(withConfig(HEADER), [...kubeletSockets, listener('0.0.0.0', 10255, 4242)]),
      messageId: 'disabled',
    },
    {
      name: 'listening sockets unreadable: only the configuration decides, and the message says so',
      host: kubelet(withConfig(HEADER), { reason: 'permission' }),
      messageId: 'disabledConfigOnly',
      messageIncludes: ['only the configuration decided', '/proc/net/tcp'],
    },
  ],
  fail: [
    {
      name: 'probe wins: config says readOnlyPort 0, but the kubelet listens on 10255 and answers plain HTTP there',
      host: answered(
        kubelet(withConfig(`${HEADER}readOnlyPort: 0\n`), [...kubeletSockets, listener('0.0.0.0', 10255, KUBELET_PID)]),
      ),
      messageId: 'answeringDespiteConfig',
      messageIncludes: ['Config says the read-only port is disabled', 'http://127.0.0.1:10255/healthz answered 200'],
    },
    {
      name: 'probe agrees: --read-only-port=10255 and GET /healthz answered 200',
      host: answered(
        kubelet({ args: ['--read-only-port=10255'] }, [...kubeletSockets, listener('0.0.0.0', 10255, KUBELET_PID)]),
      ),
      messageId: 'enabled',
    },
    {
      name: 'kube-bench 4.2.4 false negative: no config file and no flag means 10255',
      host: kubelet({ args: ['--kubeconfig=/etc/kubernetes/kubelet.conf'] }),
      messageId: 'enabled',
      messageIncludes: ['port 10255', 'readOnlyPort=10255, no --config given'],
    },
    {
      name: 'SCS test bug: any non-zero port fails, not only 10255',
      host: kubelet(withConfig(`${HEADER}readOnlyPort: 10266\n`)),
      messageId: 'enabled',
      messageIncludes: ['port 10266', '/var/lib/kubelet/config.yaml: readOnlyPort=10266'],
    },
    {
      name: 'a --config-dir drop-in enables the port',
      host: kubelet({
        args: ['--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: {
          '/var/lib/kubelet/config.yaml': `${HEADER}readOnlyPort: 0\n`,
          '/etc/kubernetes/kubelet.conf.d/10-x.conf': `${HEADER}readOnlyPort: 10255\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-x.conf'] },
      }),
      messageId: 'enabled',
      messageIncludes: ['/etc/kubernetes/kubelet.conf.d/10-x.conf (drop-in): readOnlyPort=10255'],
    },
    {
      name: '--config-dir without --config keeps the 10255 default',
      host: kubelet({
        args: ['--config-dir=/etc/kubernetes/kubelet.conf.d'],
        files: {
          '/etc/kubernetes/kubelet.conf.d/10-auth.conf': `${HEADER}authentication: {anonymous: {enabled: false}}\n`,
        },
        dirs: { '/etc/kubernetes/kubelet.conf.d': ['10-auth.conf'] },
      }),
      messageId: 'enabled',
      messageIncludes: ['readOnlyPort=10255, no --config given'],
    },
    {
      name: 'a flag overrides readOnlyPort: 0 in the config file',
      host: kubelet(withConfig(`${HEADER}readOnlyPort: 0\n`, ['--read-only-port', '10255'])),
      messageId: 'enabled',
      messageIncludes: ['--read-only-port 10255'],
    },
    {
      name: 'repeated flags: the last one (10255) wins',
      host: kubelet({ args: ['--read-only-port=0', '--read-only-port=10255'] }),
      messageId: 'enabled',
    },
    {
      name: 'configuration says 0 but the kubelet still listens on 10255 (changed, not restarted)',
      host: kubelet(withConfig(HEADER), [...kubeletSockets, listener('0.0.0.0', 10255, KUBELET_PID)]),
      messageId: 'listeningDespiteConfig',
      messageIncludes: ['pid 812'],
    },
    {
      name: 'configuration unreadable, but the kubelet listens on 10255',
      host: kubelet(withConfig(`${HEADER}readOnlyPort: [\n`), [listener('::', 10255, KUBELET_PID)]),
      messageId: 'listeningUnknownConfig',
    },
  ],
  unknown: [
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
      host: kubelet(withConfig(`${HEADER}readOnlyPort: [\n`)),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml is not valid YAML'],
    },
    {
      name: 'wrong type: readOnlyPort: "abc"',
      host: kubelet(withConfig(`${HEADER}readOnlyPort: "abc"\n`)),
      messageId: 'undetermined',
      messageIncludes: ['/var/lib/kubelet/config.yaml: readOnlyPort is abc'],
    },
    {
      name: 'the config names no KubeletConfiguration (kube-bench#852: a kubeconfig instead)',
      host: kubelet(withConfig('apiVersion: v1\nkind: Config\nclusters: []\n')),
      messageId: 'undetermined',
      messageIncludes: ['not KubeletConfiguration'],
    },
    {
      name: 'configuration says 0 but an unowned socket listens on 10255',
      host: kubelet(withConfig(HEADER), [listener('0.0.0.0', 10255)]),
      messageId: 'unownedListener',
    },
  ],
  skip: [
    {
      name: 'no kubelet on this node',
      host: { processes: [{ component: 'etcd' }], listeners: [listener('0.0.0.0', 10255, 5)] },
      messageId: 'noKubelet',
    },
  ],
});
