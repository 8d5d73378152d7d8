import check from '../../src/checks/etcd-client-tls.js';
import { runCheckCases } from '../support/check-tester.js';
import {
  configFileEtcd,
  ETCD_CONFIG,
  KUBEADM_ETCD_ARGS,
  kubeadmEtcd,
  kubesprayEtcd,
  NODE_KUBELET,
  SECURE_CONFIG_YAML,
} from '../support/etcd-hosts.js';

const withArgs = (...extra: string[]) => kubeadmEtcd({ args: [...KUBEADM_ETCD_ARGS, ...extra] });
const without = (...names: string[]) =>
  kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !names.some((n) => a.startsWith(`--${n}=`))) });

runCheckCases(check, {
  pass: [
    { name: 'kubeadm stacked etcd flags', host: { processes: [kubeadmEtcd()] } },
    { name: 'kubespray /etc/etcd.env: ETCD_* env only', host: { processes: [kubesprayEtcd()] } },
    { name: 'secure --config-file', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML)] } },
    {
      name: '--config-file wins: flags that say http:// and --auto-tls are ignored',
      host: {
        processes: [
          configFileEtcd(SECURE_CONFIG_YAML, [
            `--config-file=${ETCD_CONFIG}`,
            '--listen-client-urls=http://0.0.0.0:2379',
            '--auto-tls',
          ]),
        ],
      },
    },
    {
      name: 'ETCD_CONFIG_FILE env: ETCD_AUTO_TLS beside it is ignored',
      host: {
        processes: [configFileEtcd(SECURE_CONFIG_YAML, [], { ETCD_CONFIG_FILE: ETCD_CONFIG, ETCD_AUTO_TLS: 'true' })],
      },
    },
    {
      name: 'SCS cluster-stacks --listen-metrics-urls=http://0.0.0.0:2381 is no client URL (endpoints-https judges it)',
      host: { processes: [withArgs('--listen-metrics-urls=http://0.0.0.0:2381')] },
    },
    {
      name: 'single-dash Go flags',
      host: { processes: [kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.map((a) => a.slice(1)) })] },
    },
    // etcd-io/etcd:server/embed/config.go ClientSelfCert: "ignoring client auto TLS since certs given".
    {
      name: 'issue 9: --auto-tls beside real certificates is ignored by etcd',
      host: { processes: [withArgs('--auto-tls')] },
      messageId: 'tlsOnlyAutoTlsIgnored',
      messageIncludes: ['ignores it'],
    },
    {
      name: 'issue 9: ETCD_AUTO_TLS=true beside certificates from env',
      host: { processes: [kubesprayEtcd({ ETCD_AUTO_TLS: 'true' })] },
      messageId: 'tlsOnlyAutoTlsIgnored',
    },
  ],
  fail: [
    {
      name: 'etcd defaults: http://localhost:2379',
      host: { processes: [{ component: 'etcd', args: ['--name=single'] }] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://localhost:2379'],
    },
    {
      name: 'http:// in one of several listen-client-urls',
      host: { processes: [withArgs('--listen-client-urls=https://127.0.0.1:2379,http://10.0.0.10:2379')] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://10.0.0.10:2379'],
    },
    {
      name: 'http:// advertise-client-urls',
      host: { processes: [withArgs('--advertise-client-urls=http://10.0.0.10:2379')] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://10.0.0.10:2379'],
    },
    {
      name: 'http:// listen-client-http-urls',
      host: { processes: [withArgs('--listen-client-http-urls=http://10.0.0.10:2382')] },
      messageId: 'plainHttpUrl',
    },
    {
      name: '--auto-tls instead of certificates',
      host: {
        processes: [
          kubeadmEtcd({
            args: [...KUBEADM_ETCD_ARGS.filter((a) => !/^--(cert|key)-file=/.test(a)), '--auto-tls=true'],
          }),
        ],
      },
      messageId: 'noCertificate',
      messageIncludes: ['cert-file and key-file', 'self-signed'],
    },
    {
      name: 'no --key-file',
      host: { processes: [without('key-file')] },
      messageId: 'noCertificate',
      messageIncludes: ['key-file not set'],
    },
    {
      name: 'env overridden by a flag: ETCD_LISTEN_CLIENT_URLS https, flag http',
      host: { processes: [{ ...kubesprayEtcd(), args: ['--listen-client-urls=http://10.0.0.10:2379'] }] },
      messageId: 'plainHttpUrl',
      messageIncludes: ['http://10.0.0.10:2379'],
    },
    {
      name: '--config-file wins: https flags ignored, the file says http',
      host: {
        processes: [
          configFileEtcd(
            SECURE_CONFIG_YAML.replace(
              'listen-client-urls: https://10.0.0.10:2379',
              'listen-client-urls: http://10.0.0.10:2379',
            ),
            [`--config-file=${ETCD_CONFIG}`, '--listen-client-urls=https://10.0.0.10:2379'],
          ),
        ],
      },
      messageId: 'plainHttpUrl',
    },
    {
      name: 'config file without client-transport-security',
      host: {
        processes: [
          configFileEtcd('listen-client-urls: https://10.0.0.10:2379\nadvertise-client-urls: https://10.0.0.10:2379\n'),
        ],
      },
      messageId: 'noCertificate',
    },
  ],
  unknown: [
    {
      name: 'unreadable config file',
      host: {
        processes: [
          {
            component: 'etcd',
            args: [`--config-file=${ETCD_CONFIG}`],
            files: { [ETCD_CONFIG]: { reason: 'permission' } },
          },
        ],
      },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG],
    },
    {
      name: 'malformed YAML config file',
      host: { processes: [configFileEtcd('client-transport-security:\n  cert-file: [\n')] },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG, 'not valid YAML'],
    },
    {
      name: '-client-cert-auth false: Go flag parsing stops, etcd refuses the argv',
      host: { processes: [kubeadmEtcd({ args: ['-client-cert-auth', 'false', ...KUBEADM_ETCD_ARGS] })] },
      messageId: 'undetermined',
      messageIncludes: ['"false"'],
    },
  ],
  skip: [
    { name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' },
    { name: 'nothing at all', host: {}, messageId: 'noEtcd' },
  ],
});
