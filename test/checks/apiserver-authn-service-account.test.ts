import check from '../../src/checks/apiserver-authn-service-account.js';
import { runCheckCases } from '../support/check-tester.js';
import { apiserverHost, kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const SA = ['service-account-issuer', 'service-account-key-file', 'service-account-signing-key-file'];

runCheckCases(check, {
  pass: [
    {
      name: 'a running pre-1.20 apiserver (hand-rolled, no issuer): --service-account-key-file alone',
      host: apiserverHost({
        args: [
          '--insecure-port=8080',
          '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
          '--service-account-issuer=',
        ],
      }),
      messageId: 'legacyKeyFile',
      messageIncludes: ['older than 1.20'],
    },
    {
      name: 'kubeadm: issuer, key file and signing key',
      host: kubeadmApiserver(),
      messageId: 'configured',
      messageIncludes: ['--service-account-issuer=https://kubernetes.default.svc.cluster.local'],
    },
    {
      name: 'space form and repeated StringArray flags (issuer rotation)',
      host: kubeadmApiserver({
        without: SA,
        add: [
          '--service-account-issuer',
          'https://new.example',
          '--service-account-issuer',
          'https://old.example',
          '--service-account-key-file',
          '/pki/sa.pub',
          '--service_account_signing_key_file=/pki/sa.key',
        ],
      }),
      messageIncludes: ['--service-account-issuer https://old.example'],
    },
  ],
  fail: [
    {
      name: 'no --service-account-key-file',
      host: kubeadmApiserver({ without: ['service-account-key-file'] }),
      messageId: 'missing',
      messageIncludes: ['--service-account-key-file'],
    },
    {
      name: 'issuer given but no signing key',
      host: kubeadmApiserver({ without: ['service-account-signing-key-file'] }),
      messageId: 'missing',
      messageIncludes: ['--service-account-signing-key-file'],
    },
    {
      name: 'a static pod manifest (not a running process) without any service account flag',
      host: {
        processes: [
          {
            component: 'kube-apiserver',
            source: 'static-pod-manifest',
            pid: 0,
            args: ['--etcd-servers=https://127.0.0.1:2379'],
          },
        ],
      },
      messageId: 'missing',
      messageIncludes: ['--service-account-issuer, --service-account-key-file, --service-account-signing-key-file'],
    },
  ],
  unknown: [
    {
      name: 'a running pre-1.20 apiserver without --service-account-key-file falls back to its TLS key',
      host: apiserverHost({
        args: ['--etcd-servers=https://127.0.0.1:2379', '--tls-private-key-file=/etc/kubernetes/pki/apiserver-key.pem'],
      }),
      messageId: 'tlsKeyFallback',
      messageIncludes: ['/etc/kubernetes/pki/apiserver-key.pem'],
    },
    {
      name: '--service-account-issuer without a value swallows the next flag',
      host: kubeadmApiserver({
        without: SA,
        add: [
          '--service-account-issuer',
          '--service-account-key-file=/pki/sa.pub',
          '--service-account-signing-key-file=/pki/sa.key',
        ],
      }),
      messageId: 'ambiguous',
      messageIncludes: ['--service-account-issuer'],
    },
  ],
  skip: NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
});
