// The fixtures' certificates: real X.509 made with openssl, committed under test/fixtures/certs/.
// Their private keys live in a temporary directory that is deleted before the script ends, so no
// key ever reaches the repository; `--new-certs` (index.ts) makes them again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { certsDir } from './paths.js';

export interface CertSpec {
  /** File name under test/fixtures/certs/. */
  name: string;
  subject: string;
  /** Name of the CA cert that signs it; absent for a self-signed CA. */
  issuer?: string;
  ca?: boolean;
  usage?: 'client' | 'server' | 'client,server';
}

export const CERTS: CertSpec[] = [
  // kubeadm: cmd/kubeadm/app/phases/certs/certlist.go (CA "kubernetes", etcd CA "etcd-ca",
  // "kube-apiserver-etcd-client"); kubelet client certs from the CSR the kubelet files:
  // CN=system:node:<node>, O=system:nodes (kubernetes.io/docs/reference/access-authn-authz/node/).
  { name: 'kubeadm-ca.crt', subject: '/CN=kubernetes', ca: true },
  { name: 'kubeadm-etcd-ca.crt', subject: '/CN=etcd-ca', ca: true },
  {
    name: 'kubeadm-apiserver-etcd-client.crt',
    subject: '/CN=kube-apiserver-etcd-client',
    issuer: 'kubeadm-etcd-ca.crt',
    usage: 'client',
  },
  ...['cp-1', 'worker-1', 'cp-ext-1', 'kind-control-plane', 'node1', 'scs-cp-7x2kq-abcde', 'trap-node', 'image-cp'].map(
    (node) => ({
      name: `kubelet-${node}.crt`,
      subject: `/O=system:nodes/CN=system:node:${node}`,
      issuer: 'kubeadm-ca.crt',
      usage: 'client' as const,
    }),
  ),
  // kubespray: roles/etcd/files/make-ssl-etcd.sh signs its own etcd CA and node certificates.
  { name: 'kubespray-etcd-ca.crt', subject: '/CN=etcd-ca', ca: true },
  {
    name: 'kubespray-etcd-node-node1.crt',
    subject: '/CN=etcd-node-node1',
    issuer: 'kubespray-etcd-ca.crt',
    usage: 'client,server',
  },
  // RKE2 (k3s certificate code): CAs named "<prefix>-ca@<unix time>".
  { name: 'rke2-client-ca.crt', subject: '/CN=rke2-client-ca@1767225600', ca: true },
  { name: 'rke2-etcd-server-ca.crt', subject: '/CN=etcd-server-ca@1767225600', ca: true },
  { name: 'rke2-etcd-peer-ca.crt', subject: '/CN=etcd-peer-ca@1767225600', ca: true },
  { name: 'rke2-etcd-client.crt', subject: '/CN=etcd-client', issuer: 'rke2-etcd-server-ca.crt', usage: 'client' },
  {
    name: 'rke2-kubelet-rke2-server-1.crt',
    subject: '/O=system:nodes/CN=system:node:rke2-server-1',
    issuer: 'rke2-client-ca.crt',
    usage: 'client',
  },
  // Hand-rolled cluster that reused a generic client certificate for the kubelet.
  { name: 'legacy-kubelet.crt', subject: '/O=system:masters/CN=kubelet', issuer: 'kubeadm-ca.crt', usage: 'client' },
  // k3s (pkg/util certificate code, as RKE2): "k3s-client-ca@<unix time>", kubelet client certs per node.
  { name: 'k3s-client-ca.crt', subject: '/CN=k3s-client-ca@1767225600', ca: true },
  ...['k3s-server-1', 'k3s-agent-1'].map((node) => ({
    name: `k3s-kubelet-${node}.crt`,
    subject: `/O=system:nodes/CN=system:node:${node}`,
    issuer: 'k3s-client-ca.crt',
    usage: 'client' as const,
  })),
  // minikube: its own CA "minikubeCA" (kubernetes/minikube pkg/minikube/bootstrapper/certs.go), which kubeadm then uses.
  { name: 'minikube-ca.crt', subject: '/CN=minikubeCA', ca: true },
  {
    name: 'kubelet-minikube.crt',
    subject: '/O=system:nodes/CN=system:node:minikube',
    issuer: 'minikube-ca.crt',
    usage: 'client',
  },
  // Parsing traps: the apiserver talks to etcd as etcd's "root" user.
  { name: 'trap-etcd-root-client.crt', subject: '/CN=root', issuer: 'kubeadm-etcd-ca.crt', usage: 'client' },
];

export function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Makes the certificates of `specs` (every one of CERTS by default); keys stay in a temp dir that
 * is removed afterwards, so a subset must bring its own issuers.
 */
export function generateCertificates(specs: readonly CertSpec[] = CERTS): void {
  const work = mkdtempSync(path.join(tmpdir(), 'scs-fixture-certs-'));
  try {
    mkdirSync(path.join(work, 'newcerts'));
    writeFileSync(path.join(work, 'index.txt'), '');
    writeFileSync(path.join(work, 'serial'), '1000\n');
    // `openssl ca` is the only way in OpenSSL 3.0 to set exact validity dates.
    writeFileSync(
      path.join(work, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = fixture',
        '[fixture]',
        `dir = ${work}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/newcerts',
        'serial = $dir/serial',
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'email_in_dn = no',
        'preserve = yes',
        '[any]',
        'organizationName = optional',
        'commonName = supplied',
        '[v3_ca]',
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign',
        'subjectKeyIdentifier = hash',
        '[v3_client]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = clientAuth',
        'authorityKeyIdentifier = keyid',
        '[v3_client_server]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = clientAuth,serverAuth',
        'authorityKeyIdentifier = keyid',
        '',
      ].join('\n'),
    );
    const dates = ['-startdate', '20250101000000Z', '-enddate', '20360101000000Z'];
    for (const cert of specs) {
      const key = `${cert.name}.key`;
      const csr = `${cert.name}.csr`;
      openssl(
        [
          'req',
          '-new',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          key,
          '-subj',
          cert.subject,
          '-out',
          csr,
        ],
        work,
      );
      const out = path.join(certsDir, cert.name);
      if (cert.ca) {
        openssl(
          [
            'ca',
            '-batch',
            '-notext',
            '-config',
            'ca.cnf',
            '-selfsign',
            '-keyfile',
            key,
            '-in',
            csr,
            '-extensions',
            'v3_ca',
            ...dates,
            '-out',
            out,
          ],
          work,
        );
      } else {
        const extensions = cert.usage === 'client,server' ? 'v3_client_server' : 'v3_client';
        if (cert.issuer === undefined)
          throw new Error(`certificate spec ${cert.name}: a leaf certificate needs an issuer`);
        const issuerKey = `${cert.issuer}.key`;
        openssl(
          [
            'ca',
            '-batch',
            '-notext',
            '-config',
            'ca.cnf',
            '-cert',
            path.join(certsDir, cert.issuer),
            '-keyfile',
            issuerKey,
            '-in',
            csr,
            '-extensions',
            extensions,
            ...dates,
            '-out',
            out,
          ],
          work,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function cert(name: string): string {
  return readFileSync(path.join(certsDir, name), 'utf8');
}

/**
 * Makes the certificates that are missing (all of them with `renew`). New certificates whose
 * issuers are new too can be made alone; any other gap remakes them all, since issuer keys are
 * never kept.
 */
export function ensureCertificates(renew: boolean): void {
  mkdirSync(certsDir, { recursive: true });
  const missing = CERTS.filter((c) => !existsSync(path.join(certsDir, c.name)));
  const selfContained = missing.every((c) => c.issuer === undefined || missing.some((m) => m.name === c.issuer));
  if (renew || (missing.length > 0 && !selfContained)) generateCertificates();
  else if (missing.length > 0) generateCertificates(missing);
}
