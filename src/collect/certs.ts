// Certificates: which PEM blocks may leave collect, and what a check needs to know about them.
import type { CertificateInfo } from './types.js';
import { readCertificate, type X509Fields } from '../formats/x509.js';

const BEGIN_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const END_CERTIFICATE = '-----END CERTIFICATE-----';
// Any PEM private key: "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY".
// An unterminated block is cut to the end of the text: a truncated key is still a secret.
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** Only the CERTIFICATE blocks of a PEM text, one per line group, in file order. */
export function certificateBlocks(pem: string): string[] {
  // A forward scan with indexOf, not a lazy regex: for each BEGIN without an END the regex searched
  // to the end of the text again, so 100,000 unterminated BEGIN lines took minutes. Both cursors
  // only move forward, so each character is looked at a bounded number of times.
  // A block runs from the LAST BEGIN line before an END: Go's pem.Decode, which the components
  // use, skips a BEGIN whose block does not decode and tries the next one, so stray BEGIN lines
  // in front of a certificate do not hide it from them (golang/go:src/encoding/pem/pem.go).
  const blocks: string[] = [];
  let nextBegin = pem.indexOf(BEGIN_CERTIFICATE);
  while (nextBegin !== -1) {
    const end = pem.indexOf(END_CERTIFICATE, nextBegin + BEGIN_CERTIFICATE.length);
    if (end === -1) break;
    let begin = -1;
    while (nextBegin !== -1 && nextBegin < end) {
      if (isBeginLine(pem, nextBegin)) begin = nextBegin;
      nextBegin = pem.indexOf(BEGIN_CERTIFICATE, nextBegin + 1);
    }
    const block = begin === -1 ? undefined : pem.slice(begin, end + END_CERTIFICATE.length);
    // A private key inside a would-be certificate block is no certificate, and must not leave collect.
    if (block !== undefined && !block.includes('PRIVATE KEY')) blocks.push(block);
  }
  return blocks;
}

/** The BEGIN marker at `at` ends its line (`\n` or `\r\n` follows). */
function isBeginLine(pem: string, at: number): boolean {
  const after = at + BEGIN_CERTIFICATE.length;
  return pem[after] === '\n' || (pem[after] === '\r' && pem[after + 1] === '\n');
}

/** Text with every PEM private key replaced, for files read as plain text. */
export function withoutPrivateKeys(text: string): string {
  return text.replace(PRIVATE_KEY_BLOCK, '<redacted private key>');
}

/** Parses every certificate in a PEM text; blocks that do not parse are left out. */
export function parseCertificates(pem: string): CertificateInfo[] {
  const infos: CertificateInfo[] = [];
  for (const block of certificateBlocks(pem)) {
    const der = blockContent(block);
    const fields = der === undefined ? undefined : readCertificate(der);
    // A corrupt block is no certificate: the caller sees fewer certificates than blocks, and no
    // check is judged on such a file (src/collect/process-files.ts, src/resolve/kubelet/kubeconfig.ts).
    if (fields !== undefined) infos.push(certificateInfo(fields));
  }
  return infos;
}

/**
 * The DER bytes of a CERTIFICATE block: base64 between the BEGIN and END lines, in lines of any
 * length (RFC 7468 §3's lax reading, as OpenSSL's); anything else in between makes it no certificate.
 */
function blockContent(block: string): Uint8Array | undefined {
  const body = block.slice(BEGIN_CERTIFICATE.length, -END_CERTIFICATE.length).replace(/[ \t\r\n]+/g, '');
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  return Buffer.from(body, 'base64');
}

function certificateInfo(fields: X509Fields): CertificateInfo {
  const subject = distinguishedName(fields.subject);
  return {
    subject: formatName(subject),
    commonName: subject.find(([key]) => key === 'CN')?.[1],
    organizations: subject.filter(([key]) => key === 'O').map(([, value]) => value),
    issuer: formatName(distinguishedName(fields.issuer)),
    // Hashed on first use (src/formats/x509.ts).
    get fingerprint256() {
      return fields.fingerprint256;
    },
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    isCA: fields.isCA,
  };
}

/**
 * A name as src/formats/x509.ts prints it, one relative name per line (`CN=system:node:a\nO=system:nodes`),
 * as attribute-value pairs; a multi-valued one (`CN=a + O=b`) stays one pair, as node:crypto's did.
 */
function distinguishedName(printed: string): Array<[string, string]> {
  const attributes: Array<[string, string]> = [];
  for (const line of printed.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) attributes.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return attributes;
}

function formatName(attributes: Array<[string, string]>): string {
  return attributes.map(([key, value]) => `${key}=${value}`).join(', ');
}
