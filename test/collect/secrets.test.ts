import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseCertificates, withoutPrivateKeys } from '../../src/collect/certs.js';
import { readFile } from '../../src/collect/process-files.js';
import { redactKubeconfig } from '../../src/collect/redact.js';
import { selfSigned } from '../support/openssl.js';

describe('certificates', () => {
  let dir: string;
  let node: { cert: string; key: string };
  let ca: { cert: string; key: string };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-certs-'));
    node = selfSigned(dir, 'node', '/O=system:nodes/CN=system:node:worker-1');
    ca = selfSigned(dir, 'ca', '/CN=kubernetes');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses CN, O, issuer, validity and fingerprint of each block', () => {
    const [info, second] = parseCertificates(`${node.cert}${ca.cert}`);
    assert.equal(info?.commonName, 'system:node:worker-1');
    assert.deepEqual(info.organizations, ['system:nodes']);
    assert.equal(info.subject, 'O=system:nodes, CN=system:node:worker-1');
    assert.equal(info.issuer, 'O=system:nodes, CN=system:node:worker-1');
    assert.match(info.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(Date.parse(info.notAfter) - Date.parse(info.notBefore) >= 2 * 86_400_000 - 1000);
    assert.equal(second?.commonName, 'kubernetes');
  });

  it('skips a corrupt block instead of failing the file', () => {
    const corrupt = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    assert.deepEqual(
      parseCertificates(corrupt + ca.cert).map((c) => c.commonName),
      ['kubernetes'],
    );
  });

  it('a kubelet-client-current.pem read as certificate keeps only the certificate, never the key', () => {
    const file = path.join(dir, 'kubelet-client-current.pem');
    fs.writeFileSync(file, `${node.cert}${node.key}`);
    const read = readFile({ dir: '/', description: 'on this host' }, file, file, 'certificate');
    assert.ok(read.ok);
    assert.doesNotMatch(read.content, /PRIVATE KEY/);
    assert.equal(read.content.trim(), node.cert.trim());
    assert.equal(read.certificates?.[0]?.commonName, 'system:node:worker-1');
    assert.ok(!JSON.stringify(read).includes(node.key.split('\n')[1] as string));
  });

  // etcd and the kube-apiserver read every block of a CA file; judged on the readable ones only, a
  // check would miss a CA the component trusts.
  it('a certificate file with a block that is no certificate is not read, naming the count', () => {
    const file = path.join(dir, 'ca-bundle.crt');
    const corrupt = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    fs.writeFileSync(file, `${ca.cert}${corrupt}`);
    const read = readFile({ dir: '/', description: 'on this host' }, file, file, 'certificate');
    assert.ok(!read.ok, 'read as if it held only certificates');
    assert.equal(read.reason, 'bad-certificate');
    assert.match(
      read.detail,
      /ca-bundle\.crt holds a CERTIFICATE block that is not a readable X\.509 certificate \(1 of 2\)/,
    );
    fs.writeFileSync(file, ca.cert);
    assert.equal(readFile({ dir: '/', description: 'on this host' }, file, file, 'certificate').ok, true);
  });

  it('a file read as text loses any private key block', () => {
    assert.equal(withoutPrivateKeys(`a: 1\n${node.key}b: 2\n`), 'a: 1\n<redacted private key>\nb: 2\n');
    assert.equal(withoutPrivateKeys('x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE'), 'x\n<redacted private key>');
  });
});

describe('redactKubeconfig', () => {
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: LS0tQ0EtLS0=
    server: https://10.0.0.5:6443
  name: kubernetes
users:
- name: admin
  user:
    client-certificate-data: LS0tQ0VSVC0tLQ==
    client-key-data: LS0tS0VZLS0tc2VjcmV0
    client-key: /etc/kubernetes/pki/admin.key
- name: bot
  user:
    token: eyJhbGciOiJSUzI1NiJ9.secret-token
    "password": "hunter2"
- name: folded
  user:
    token: >-
      first-half-of-secret
      second-half-of-secret
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: kubernetes
        id-token: oidc-id-secret
        refresh-token: oidc-refresh-secret
        idp-issuer-url: https://issuer.example
- name: exec
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      env:
      - name: AWS_PROFILE
        value: exec-env-secret
      - {name: OTHER, value: flow-env-secret}
      args: [eks, get-token]
- name: flow
  user: {token: flow-secret, username: u}
current-context: admin@kubernetes
`;
  const redacted = redactKubeconfig(kubeconfig);

  it('removes every secret value', () => {
    for (const secret of [
      'LS0tS0VZLS0tc2VjcmV0',
      'secret-token',
      'hunter2',
      'half-of-secret',
      'oidc-id-secret',
      'oidc-refresh-secret',
      'exec-env-secret',
      'flow-env-secret',
      'flow-secret',
    ]) {
      assert.ok(!redacted.includes(secret), `${secret} leaked`);
    }
  });

  it('keeps what the checks read: server, CA data, client-key path, auth-provider name, exec command', () => {
    /* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- a parsed kubeconfig (yaml's parse() is any), walked to each value this test checks */
    const doc = parse(redacted, { version: '1.1' });
    assert.equal(doc.clusters[0].cluster.server, 'https://10.0.0.5:6443');
    assert.equal(doc.clusters[0].cluster['certificate-authority-data'], 'LS0tQ0EtLS0=');
    assert.equal(doc.users[0].user['client-key'], '/etc/kubernetes/pki/admin.key');
    assert.equal(doc.users[0].user['client-key-data'], '<redacted>');
    assert.equal(doc.users[0].user['client-certificate-data'], 'LS0tQ0VSVC0tLQ==');
    assert.equal(doc.users[1].user.password, '<redacted>');
    assert.equal(doc.users[2].user.token, '<redacted>');
    assert.equal(doc.users[3].user['auth-provider'].name, 'oidc');
    assert.equal(doc.users[4].user.exec.command, 'aws');
    assert.equal(doc.users[4].user.exec.env[0].name, 'AWS_PROFILE');
    assert.equal(doc.users[5].user.username, 'u');
    assert.equal(doc['current-context'], 'admin@kubernetes');
    /* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
  });

  it('redacts JSON kubeconfigs and keeps them valid JSON', () => {
    const json = JSON.stringify(
      { users: [{ name: 'a', user: { token: 'json-secret', 'client-key-data': 'key-secret' } }] },
      null,
      2,
    );
    const out = redactKubeconfig(json);
    assert.deepEqual((JSON.parse(out) as { users: { user: unknown }[] }).users[0]!.user, {
      token: '<redacted>',
      'client-key-data': '<redacted>',
    });
    const oneLine = redactKubeconfig(JSON.stringify({ users: [{ user: { token: 'json-secret' } }] }));
    assert.ok(!oneLine.includes('json-secret'));
    assert.deepEqual(JSON.parse(oneLine), { users: [{ user: { token: '<redacted>' } }] });
  });
});
