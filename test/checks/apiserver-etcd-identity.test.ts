import check from '../../src/checks/apiserver-etcd-identity.js';
import { runCheckCases } from '../support/check-tester.js';
import { kubeadmApiserver, NO_APISERVER_HOSTS } from '../support/apiserver-hosts.js';

const CERT = '/etc/kubernetes/pki/apiserver-etcd-client.crt';

runCheckCases(check, {
  pass: [
    {
      name: 'kubeadm: CN=kube-apiserver-etcd-client',
      host: kubeadmApiserver(),
      messageId: 'identity',
      messageIncludes: ['CN=kube-apiserver-etcd-client', CERT],
    },
    {
      name: 'relative --etcd-certfile resolved against the cwd',
      host: {
        processes: [
          {
            component: 'kube-apiserver',
            cwd: '/etc/kubernetes',
            args: ['--etcd-certfile=pki/apiserver-etcd-client.crt'],
            files: { [CERT]: { certificates: [{ commonName: 'apiserver' }] } },
          },
        ],
      },
      messageIncludes: ['CN=apiserver'],
    },
  ],
  fail: [
    {
      name: 'the etcd client certificate is CN=root',
      host: kubeadmApiserver({ files: { [CERT]: { certificates: [{ commonName: 'root' }] } } }),
      messageId: 'rootIdentity',
    },
    {
      name: 'no --etcd-certfile: no client certificate at all',
      host: kubeadmApiserver({ without: ['etcd-certfile'] }),
      messageId: 'noClientCertificate',
    },
    {
      name: 'a certificate without a common name',
      host: kubeadmApiserver({ files: { [CERT]: { certificates: [{ subject: 'O=system:masters' }] } } }),
      messageId: 'noCommonName',
    },
  ],
  unknown: [
    {
      name: 'the certificate file is unreadable',
      host: kubeadmApiserver({ files: { [CERT]: { reason: 'permission' } } }),
      messageId: 'undetermined',
      messageIncludes: [CERT],
    },
    {
      name: 'the certificate file holds no certificate',
      host: kubeadmApiserver({ files: { [CERT]: { certificates: [] } } }),
      messageId: 'undetermined',
      messageIncludes: ['holds no certificate'],
    },
  ],
  skip: [
    ...NO_APISERVER_HOSTS.map((c) => ({ ...c, messageId: 'noApiserver' })),
    {
      name: 'MicroK8s: dqlite behind a local unix socket, no etcd user at all',
      host: kubeadmApiserver({
        without: ['etcd-servers', 'etcd-certfile', 'etcd-keyfile', 'etcd-cafile'],
        add: ['--etcd-servers=unix:///var/snap/microk8s/8492/var/kubernetes/backend/kine.sock:12379'],
      }),
      messageId: 'localSocket',
    },
  ],
});
