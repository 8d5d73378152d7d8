// Building blocks every distribution shares: systemd, sshd and containerd processes, container
// shims and environments, kubeadm-style static pods and kubeconfigs.
import type { ProcessSpec } from '../spec.js';

export const SYSTEMD: ProcessSpec = { pid: 1, ppid: 0, argv: ['/sbin/init'], comm: 'systemd', startedAfterBootS: 1 };

export const SSHD: ProcessSpec = {
  pid: 702,
  ppid: 1,
  argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
  comm: 'sshd',
  exe: '/usr/sbin/sshd',
  listens: [
    { address: '0.0.0.0', port: 22 },
    { address: '::', port: 22 },
  ],
  startedAfterBootS: 8,
};

export const CONTAINERD: ProcessSpec = {
  pid: 780,
  ppid: 1,
  argv: ['/usr/bin/containerd'],
  startedAfterBootS: 9,
  listens: [{ address: '127.0.0.1', port: 36551 }],
};

export function shim(pid: number, id: string): ProcessSpec {
  return {
    pid,
    ppid: 1,
    comm: 'containerd-shim',
    exe: '/usr/bin/containerd-shim-runc-v2',
    argv: [
      '/usr/bin/containerd-shim-runc-v2',
      '-namespace',
      'k8s.io',
      '-id',
      id,
      '-address',
      '/run/containerd/containerd.sock',
    ],
    startedAfterBootS: 40,
  };
}

/**
 * The environment of a static-pod container as /proc/<pid>/environ shows it: the image's PATH,
 * HOSTNAME from the runtime (the node name with hostNetwork), and the service variables the
 * kubelet injects (enableServiceLinks defaults to true).
 */
export function containerEnviron(hostname: string, extra: string[] = []): string[] {
  return [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${hostname}`,
    ...extra,
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
    'KUBERNETES_PORT=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
    'KUBERNETES_PORT_443_TCP_PROTO=tcp',
    'KUBERNETES_PORT_443_TCP_PORT=443',
    'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
  ];
}

/** A kubeadm-style static pod manifest: the container `command` is the process argv. */
export function staticPod(opts: {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  annotations?: Record<string, string>;
  mounts: { name: string; path: string; readOnly?: boolean }[];
}): string {
  const list = (items: string[], indent: string) => items.map((i) => `${indent}- ${quoteYaml(i)}`).join('\n');
  const annotations = Object.entries(opts.annotations ?? {});
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    ...(annotations.length ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${v}`)] : []),
    '  labels:',
    `    component: ${opts.name}`,
    '    tier: control-plane',
    `  name: ${opts.name}`,
    '  namespace: kube-system',
    'spec:',
    '  containers:',
    '  - command:',
    list(opts.command, '    '),
    ...(opts.args ? ['    args:', list(opts.args, '    ')] : []),
    `    image: ${opts.image}`,
    '    imagePullPolicy: IfNotPresent',
    `    name: ${opts.name}`,
    '    volumeMounts:',
    ...opts.mounts.flatMap((m) => [
      `    - mountPath: ${m.path}`,
      `      name: ${m.name}`,
      ...(m.readOnly ? ['      readOnly: true'] : []),
    ]),
    '  hostNetwork: true',
    '  priority: 2000001000',
    '  priorityClassName: system-node-critical',
    '  securityContext:',
    '    seccompProfile:',
    '      type: RuntimeDefault',
    '  volumes:',
    ...opts.mounts.flatMap((m) => [
      `  - hostPath:`,
      `      path: ${m.path}`,
      '      type: DirectoryOrCreate',
      `    name: ${m.name}`,
    ]),
    'status: {}',
    '',
  ].join('\n');
}

export function quoteYaml(value: string): string {
  // kubeadm's marshaller quotes values YAML would otherwise read differently.
  return /^[\w./:=,@-]+$/.test(value) && !/^(true|false|yes|no|on|off|\d+)$/i.test(value) && !value.includes('*')
    ? value
    : JSON.stringify(value);
}

export function kubeconfig(opts: { server: string; user: string; ca: string; certLines: string[] }): string {
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    ${opts.ca}`,
    `    server: ${opts.server}`,
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    `    user: ${opts.user}`,
    `  name: ${opts.user}@kubernetes`,
    `current-context: ${opts.user}@kubernetes`,
    'kind: Config',
    'users:',
    `- name: ${opts.user}`,
    '  user:',
    ...opts.certLines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** `--key=value` flags sorted by key, as kubeadm and kubespray render a static pod's command. */
export function sortedFlags(args: Readonly<Record<string, string>>): string[] {
  // `<` compares UTF-16 code units, the order Array.prototype.sort() gives the keys by default.
  return Object.entries(args)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `--${key}=${value}`);
}
