import assert from 'node:assert/strict';
import { it } from 'node:test';
import check from '../../src/checks/etcd-client-cert-auth.js';
import { evaluateCheck } from '../../src/checks/run.js';
import { resolveHost } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { DEFAULT_CONTEXT, runCheckCases } from '../support/check-tester.js';
import { hostSnapshot, probeRecord, type HostSpec } from '../support/host.js';
import {
  configFileEtcd,
  ETCD_CONFIG,
  KUBEADM_ETCD_ARGS,
  kubeadmEtcd,
  kubesprayEtcd,
  NODE_KUBELET,
  SECURE_CONFIG_YAML,
} from '../support/etcd-hosts.js';

/** kubeadm's argv without its --client-cert-auth, so a case can say it its own way. */
const baseArgs = KUBEADM_ETCD_ARGS.filter((a) => a !== '--client-cert-auth=true');
const etcdWith = (...certAuthArgs: string[]) => kubeadmEtcd({ args: [...baseArgs, ...certAuthArgs] });

/** The live probe's request without a client certificate to etcd's loopback client URL. */
const withoutCert = (host: HostSpec, outcome: 'tls-rejected' | 'response'): HostSpec => ({
  ...host,
  probes: {
    records: [
      probeRecord({
        probe: 'etcd-client-cert-auth',
        component: 'etcd',
        target: 'GET https://127.0.0.1:2379/version',
        listener: { address: '127.0.0.1', port: 2379 },
        outcome,
        ...(outcome === 'response'
          ? { status: 200, detail: 'answered 200' }
          : { detail: 'sslv3 alert bad certificate' }),
      }),
    ],
  },
});

runCheckCases(check, {
  pass: [
    { name: 'kubeadm stacked etcd flags', host: { processes: [kubeadmEtcd()] } },
    { name: 'kubespray /etc/etcd.env: ETCD_CLIENT_CERT_AUTH=true', host: { processes: [kubesprayEtcd()] } },
    {
      name: 'kube-bench: single-dash -client-cert-auth=true (Go flag)',
      host: { processes: [etcdWith('-client-cert-auth=true')] },
    },
    { name: 'bare --client-cert-auth', host: { processes: [etcdWith('--client-cert-auth')] } },
    { name: 'Go bool spelling --client-cert-auth=1', host: { processes: [etcdWith('--client-cert-auth=1')] } },
    { name: 'secure --config-file', host: { processes: [configFileEtcd(SECURE_CONFIG_YAML)] } },
    {
      name: '--config-file wins over --client-cert-auth=false',
      host: {
        processes: [configFileEtcd(SECURE_CONFIG_YAML, [`--config-file=${ETCD_CONFIG}`, '--client-cert-auth=false'])],
      },
    },
    {
      name: 'ETCD_CONFIG_FILE env, YAML 1.1 "yes"',
      host: {
        processes: [
          configFileEtcd(SECURE_CONFIG_YAML.replace('  client-cert-auth: true', '  client-cert-auth: yes'), [], {
            ETCD_CONFIG_FILE: ETCD_CONFIG,
          }),
        ],
      },
    },
  ],
  fail: [
    {
      name: 'probe wins: kubeadm says --client-cert-auth=true, but a request without a client certificate was answered 200',
      host: withoutCert({ processes: [kubeadmEtcd()] }, 'response'),
      messageId: 'probeAccepted',
      messageIncludes: [
        'Config says client-cert-auth on (--client-cert-auth=true)',
        'https://127.0.0.1:2379/version without a client certificate was answered 200',
      ],
    },
    {
      name: 'etcd TLSInfo.ServerConfig: a trusted-ca-file alone demands certificates, but the CN is not the user',
      host: withoutCert({ processes: [etcdWith()] }, 'tls-rejected'),
      messageId: 'certAuthOffCertRequired',
      messageIncludes: ['client-cert-auth is false', 'still refused https://127.0.0.1:2379/version'],
    },
    {
      name: 'probe decides: config file unreadable, and etcd answered without a client certificate',
      host: withoutCert(
        {
          processes: [configFileEtcd(SECURE_CONFIG_YAML)].map((p) => ({
            ...p,
            files: { [ETCD_CONFIG]: { reason: 'permission' as const } },
          })),
        },
        'response',
      ),
      messageId: 'probeAcceptedNoConfig',
    },
    {
      name: 'etcd default: client-cert-auth false',
      host: { processes: [etcdWith()] },
      messageId: 'certAuthOff',
      messageIncludes: ['client-cert-auth=false, not set'],
    },
    {
      name: 'last wins: --client-cert-auth=true then --client-cert-auth=false',
      host: { processes: [etcdWith('--client-cert-auth=true', '--client-cert-auth=false')] },
      messageId: 'certAuthOff',
      messageIncludes: ['--client-cert-auth=false'],
    },
    {
      name: 'env overridden by a flag: ETCD_CLIENT_CERT_AUTH=true, --client-cert-auth=false',
      host: { processes: [{ ...kubesprayEtcd(), args: ['--client-cert-auth=false'] }] },
      messageId: 'certAuthOff',
      messageIncludes: ['--client-cert-auth=false'],
    },
    {
      name: 'no _ normalisation in Go flag: --client_cert_auth=true is not the flag',
      host: { processes: [etcdWith('--client_cert_auth=true')] },
      messageId: 'certAuthOff',
    },
    {
      name: '--config-file wins: the file says false, flags say true',
      host: {
        processes: [
          configFileEtcd(SECURE_CONFIG_YAML.replace('  client-cert-auth: true', '  client-cert-auth: false'), [
            `--config-file=${ETCD_CONFIG}`,
            '--client-cert-auth=true',
          ]),
        ],
      },
      messageId: 'certAuthOff',
      messageIncludes: [`${ETCD_CONFIG}: client-transport-security.client-cert-auth=false`],
    },
    {
      name: 'config file: top-level client-cert-auth is ignored by etcd',
      host: {
        processes: [
          configFileEtcd(
            `client-cert-auth: true\n${SECURE_CONFIG_YAML.replace('  client-cert-auth: true\n  trusted-ca-file', '  trusted-ca-file')}`,
          ),
        ],
      },
      messageId: 'certAuthOff',
      messageIncludes: ['top-level client-cert-auth is ignored'],
    },
    {
      name: 'client-cert-auth without trusted-ca-file (system roots would be trusted)',
      host: {
        processes: [kubeadmEtcd({ args: KUBEADM_ETCD_ARGS.filter((a) => !a.startsWith('--trusted-ca-file=')) })],
      },
      messageId: 'noTrustedCA',
    },
    {
      name: 'plain http client listener: no client certificate is asked for',
      host: {
        processes: [
          etcdWith('--client-cert-auth=true', '--listen-client-urls=http://127.0.0.1:2379,https://10.0.0.10:2379'),
        ],
      },
      messageId: 'plainHttpClients',
      messageIncludes: ['http://127.0.0.1:2379'],
    },
  ],
  unknown: [
    {
      name: '-client-cert-auth false: "false" is a positional, Go flag parsing stops and etcd refuses the argv',
      host: { processes: [kubeadmEtcd({ args: ['-client-cert-auth', 'false', ...baseArgs] })] },
      messageId: 'undetermined',
      messageIncludes: ['non-flag argument "false"'],
    },
    {
      name: '--client-cert-auth=yes is no Go boolean: etcd refuses to start',
      host: { processes: [etcdWith('--client-cert-auth=yes')] },
      messageId: 'undetermined',
      messageIncludes: ['"yes" is not a boolean'],
    },
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
      messageIncludes: [ETCD_CONFIG, 'permission'],
    },
    {
      name: 'config file: quoted "true" is a string etcd refuses for a boolean',
      host: {
        processes: [
          configFileEtcd(SECURE_CONFIG_YAML.replace('  client-cert-auth: true', '  client-cert-auth: "true"')),
        ],
      },
      messageId: 'undetermined',
      messageIncludes: ['must be a boolean'],
    },
    {
      name: 'malformed YAML config file',
      host: { processes: [configFileEtcd('client-transport-security:\n\tclient-cert-auth: true\n')] },
      messageId: 'undetermined',
      messageIncludes: [ETCD_CONFIG],
    },
  ],
  skip: [{ name: 'no etcd on a worker node', host: { processes: [NODE_KUBELET] }, messageId: 'noEtcd' }],
});

it('etcd-client-cert-auth: the refused probe is evidence beside the flags', () => {
  const snapshot = hostSnapshot(withoutCert({ processes: [kubeadmEtcd()] }, 'tls-rejected'));
  const finding = evaluateCheck(check, resolveHost(snapshot, { releases: BUNDLED_RELEASES }), DEFAULT_CONTEXT);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(
    finding.evidence.filter((e) => e.source === 'probe'),
    [{ source: 'probe', detail: 'GET https://127.0.0.1:2379/version: sslv3 alert bad certificate' }],
  );
});
