// A throwaway PKI made by the test with openssl: a CA, a server certificate for 127.0.0.1,
// a client certificate from the same CA and one from a CA the server does not trust.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue, selfSigned } from '../support/openssl.js';

export interface TestPki {
  dir: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  rogueClientCert: string;
  rogueClientKey: string;
  /** Paths for the web config. */
  files: { ca: string; serverCert: string; serverKey: string };
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'scs-pki-'));
  const ca = selfSigned(dir, 'ca', '/CN=ca');
  selfSigned(dir, 'rogue-ca', '/CN=rogue-ca');
  const server = issue(dir, 'server', {
    ca: 'ca',
    subject: '/CN=server',
    extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  });
  const client = issue(dir, 'client', { ca: 'ca', subject: '/CN=client', extensions: 'extendedKeyUsage=clientAuth\n' });
  const rogue = issue(dir, 'rogue-client', {
    ca: 'rogue-ca',
    subject: '/CN=rogue-client',
    extensions: 'extendedKeyUsage=clientAuth\n',
  });
  return {
    dir,
    caCert: ca.cert,
    clientCert: client.cert,
    clientKey: client.key,
    rogueClientCert: rogue.cert,
    rogueClientKey: rogue.key,
    files: { ca: ca.certFile, serverCert: server.certFile, serverKey: server.keyFile },
  };
}
