// Throwaway certificates made by the real openssl in a test's temp dir: self-signed ones, and CAs
// with certificates they sign (EC P-256). One helper for the collect, server and probe tests.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const EC_P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
}

export interface Issued {
  certFile: string;
  keyFile: string;
  /** PEM text of the certificate and of its private key. */
  cert: string;
  key: string;
}

function issued(dir: string, name: string): Issued {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** `<dir>/<name>.{crt,key}`: a self-signed certificate (a CA, as `req -x509` makes it) for `subject` like `/O=a/CN=b`. */
export function selfSigned(dir: string, name: string, subject: string, days = 2): Issued {
  openssl(dir, [
    'req',
    '-x509',
    ...EC_P256,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-subj',
    subject,
    '-days',
    String(days),
  ]);
  return issued(dir, name);
}

/**
 * `<dir>/<name>.{crt,key}` signed by the CA `<dir>/<ca>.{crt,key}`, with `extensions` in openssl's
 * extfile syntax (`subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`). Serial numbers
 * come from `<ca>.srl`, so no two certificates of one CA share one.
 */
export function issue(
  dir: string,
  name: string,
  opts: { ca: string; subject: string; extensions: string; days?: number },
): Issued {
  openssl(dir, ['req', ...EC_P256, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', opts.subject]);
  writeFileSync(path.join(dir, `${name}.ext`), opts.extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${opts.ca}.crt`,
    '-CAkey',
    `${opts.ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    String(opts.days ?? 2),
    '-extfile',
    `${name}.ext`,
  ]);
  return issued(dir, name);
}
