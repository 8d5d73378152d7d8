// src/formats/x509.ts against node:crypto's X509Certificate, which it replaces: every field of
// every certificate the fixture hosts hold, of certificates openssl makes with awkward names,
// dates and extensions, and of damaged ones (never a throw; where both read one, the same fields).
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certificateBlocks, parseCertificates } from '../../src/collect/certs.js';
import { sha256 } from '../../src/formats/sha256.js';
import { readCertificate, type X509Fields } from '../../src/formats/x509.js';
import { openssl, selfSigned } from '../support/openssl.js';
import { FIXTURE_HOSTS } from '../support/cli.js';
import { prng } from '../support/prng.js';

/** What node:crypto reads in the same DER, in src/formats/x509.ts's terms; undefined if it refuses it. */
function nodeFields(der: Uint8Array): X509Fields | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    return undefined;
  }
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    isCA: certificate.ca,
    fingerprint256: certificate.fingerprint256,
  };
}

function derOf(pem: string): Buffer[] {
  return certificateBlocks(pem).map((block) => new X509Certificate(block).raw);
}

/** Every PEM certificate under `dir`; links are not followed (fixture trees hold proc/1/cwd -> /). */
function pemFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pemFiles(file));
    else if (entry.isFile() && /\.(crt|pem)$/.test(entry.name) && readFileSync(file, 'utf8').includes(BEGIN))
      found.push(file);
  }
  return found;
}
const BEGIN = '-----BEGIN CERTIFICATE-----';

describe('X.509 read in JavaScript, as node:crypto reads it', () => {
  it('every certificate of the fixture hosts', () => {
    const files = pemFiles(FIXTURE_HOSTS);
    assert.ok(files.length >= 50, `only ${files.length} certificate files under ${FIXTURE_HOSTS}`);
    for (const file of files)
      for (const der of derOf(readFileSync(file, 'utf8')))
        assert.deepEqual(readCertificate(der), nodeFields(der), file);
  });

  describe('certificates openssl makes', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(path.join(tmpdir(), 'scs-x509-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** A self-signed certificate from `openssl req -x509` with a config of `settings` and `extensions`. */
    function made(
      subject: string,
      settings = 'string_mask = utf8only',
      extensions = '',
      args: string[] = [],
    ): Buffer[] {
      const config = ['[req]', 'distinguished_name = dn', settings, '[dn]'];
      if (extensions !== '') config.push('x509_extensions = ext', '[ext]', extensions);
      // x509_extensions belongs to [req]: moved up before [dn].
      const text = extensions === '' ? config : [...config.slice(0, 3), config[4]!, config[3]!, ...config.slice(5)];
      writeFileSync(path.join(dir, 'req.cnf'), `${text.join('\n')}\n`);
      openssl(dir, [
        'req',
        '-x509',
        '-config',
        'req.cnf',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-days',
        '2',
        '-utf8',
        '-subj',
        subject,
        ...args,
      ]);
      return derOf(readFileSync(path.join(dir, 'c.pem'), 'utf8'));
    }

    const subjects: Array<[string, string, string?, string[]?]> = [
      ['kubelet client', '/O=system:nodes/CN=system:node:worker-1'],
      ['RFC 2253 escapes', '/CN=a\\,b+c"d\\\\e<f>g;h/O=#hash/OU= leading and trailing '],
      ['multi-valued RDN', '/CN=a+O=b+OU=c/C=DE', undefined, ['-multivalue-rdn']],
      ['UTF8String', '/CN=Bäyern ✓ 😀/O=Zürich'],
      ['BMPString', '/CN=Bäyern ✓/O=plain', 'string_mask = pkix'],
      ['T61String', '/CN=Bäyern/O=plain', 'string_mask = default'],
      [
        'named and unnamed attributes',
        '/emailAddress=a@b.c/DC=example/UID=u1/serialNumber=42/2.5.4.97=VATDE-1/title=t/GN=g/SN=s/street=s/postalCode=1',
      ],
      ['an empty value', '/CN=/O=x'],
    ];
    for (const [name, subject, settings, args] of subjects) {
      it(`subject: ${name}`, () => {
        for (const der of made(subject, settings, '', args)) assert.deepEqual(readCertificate(der), nodeFields(der));
      });
    }

    const extensions: Array<[string, string, boolean]> = [
      ['CA:TRUE', 'basicConstraints=critical,CA:TRUE', true],
      ['CA:TRUE without keyCertSign', 'basicConstraints=CA:TRUE\nkeyUsage=digitalSignature', false],
      ['CA:TRUE with keyCertSign', 'basicConstraints=CA:TRUE,pathlen:0\nkeyUsage=keyCertSign,cRLSign', true],
      ['CA:FALSE', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth', false],
      ['no basicConstraints', 'subjectAltName=DNS:a,IP:127.0.0.1', false],
    ];
    for (const [name, text, ca] of extensions) {
      it(`extensions: ${name}`, () => {
        const [der] = made('/CN=x', undefined, text);
        assert.deepEqual(readCertificate(der!), nodeFields(der!));
        assert.equal(readCertificate(der!)?.isCA, ca);
      });
    }

    it('a date past 2049 (GeneralizedTime) and a version 1 certificate', () => {
      const ca = selfSigned(dir, 'ca', '/CN=ca', 10_000);
      openssl(
        dir,
        ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'l.key'].concat([
          '-out',
          'l.csr',
          '-subj',
          '/CN=leaf',
        ]),
      );
      openssl(
        dir,
        ['x509', '-req', '-in', 'l.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-out', 'l.crt'].concat([
          '-days',
          '9000',
          '-set_serial',
          '7',
        ]),
      );
      for (const der of [...derOf(ca.cert), ...derOf(readFileSync(path.join(dir, 'l.crt'), 'utf8'))]) {
        assert.deepEqual(readCertificate(der), nodeFields(der));
      }
      assert.match(readCertificate(derOf(ca.cert)[0]!)!.notAfter, /^20[5-9]\d-/);
    });
  });

  it('damaged certificates: never a throw, and where both read one, the same fields', () => {
    const der = derOf(readFileSync(pemFiles(FIXTURE_HOSTS)[0]!, 'utf8'))[0]!;
    for (let length = 0; length < der.length; length += 1)
      assert.equal(readCertificate(der.subarray(0, length)), undefined, `cut to ${length} bytes`);
    const random = prng(217);
    let bothRead = 0;
    for (let round = 0; round < 2000; round += 1) {
      const damaged = Uint8Array.from(der);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips -= 1)
        damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const ours = readCertificate(damaged);
      if (ours === undefined) continue;
      const theirs = nodeFields(damaged);
      if (theirs === undefined) continue;
      bothRead += 1;
      assert.deepEqual(ours, theirs, `round ${round}`);
    }
    assert.ok(bothRead > 100, `only ${bothRead} damaged certificates read by both`);
  });

  it('parseCertificates: a block with other characters than base64 is no certificate', () => {
    const pem = selfSignedPem();
    const lines = pem.trim().split('\n');
    lines.splice(2, 0, 'Proc-Type: 4,ENCRYPTED');
    assert.equal(parseCertificates(lines.join('\n')).length, 0);
    assert.equal(parseCertificates(pem).length, 1);
  });
});

describe('sha256', () => {
  it('is node:crypto SHA-256 for every length across three blocks', () => {
    const random = prng(256);
    for (let length = 0; length <= 200; length += 1) {
      const data = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      assert.equal(
        Buffer.from(sha256(data)).toString('hex'),
        createHash('sha256').update(data).digest('hex'),
        `${length} bytes`,
      );
    }
  });
});

function selfSignedPem(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-x509-'));
  try {
    return selfSigned(dir, 'c', '/CN=c').cert;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
