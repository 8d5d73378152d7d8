// Issue 9 item 5: PEM scanning in linear time, with the answer Go's pem.Decode gives (the
// components' reader), checked on real openssl-made certificates and on the hostile shapes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certificateBlocks, parseCertificates } from '../../src/collect/certs.js';
import { readFile } from '../../src/collect/process-files.js';
import { selfSigned } from '../support/openssl.js';

const BEGIN = '-----BEGIN CERTIFICATE-----';
const CAP = 4 * 1024 * 1024;

describe('certificateBlocks', () => {
  let dir: string;
  const pem: Record<'node' | 'ca' | 'nodeKey', string> = { node: '', ca: '', nodeKey: '' };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pem-'));
    for (const [name, subject] of [
      ['node', '/O=system:nodes/CN=system:node:worker-1'],
      ['ca', '/CN=kubernetes'],
    ] as const) {
      pem[name] = selfSigned(dir, name, subject).cert;
    }
    pem.nodeKey = fs.readFileSync(path.join(dir, 'node.key'), 'utf8');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = (text: string) => parseCertificates(text).map((c) => c.commonName);

  it('finds each certificate of a bundle, with text between them and CRLF line ends', () => {
    assert.deepEqual(certificateBlocks(`${pem.node}# comment\n${pem.ca}`), [pem.node.trim(), pem.ca.trim()]);
    assert.deepEqual(names(`${pem.node}${pem.ca}`.replaceAll('\n', '\r\n')), ['system:node:worker-1', 'kubernetes']);
  });

  const shapes: { name: string; text: () => string; expected: () => Array<string | undefined> }[] = [
    {
      name: 'stray BEGIN lines in front of a certificate (Go skips them)',
      text: () => `${`${BEGIN}\n`.repeat(2000)}${pem.ca}`,
      expected: () => ['kubernetes'],
    },
    {
      name: 'a BEGIN line without an END after the certificates',
      text: () => `${pem.node}${BEGIN}\nMIIB\n`,
      expected: () => ['system:node:worker-1'],
    },
    {
      name: 'END lines without a BEGIN',
      text: () => `${'-----END CERTIFICATE-----\n'.repeat(2000)}${pem.ca}`,
      expected: () => ['kubernetes'],
    },
    {
      name: 'a BEGIN marker that does not end its line',
      text: () => `${BEGIN}x\n${pem.ca.split('\n').slice(1).join('\n')}`,
      expected: () => [],
    },
    {
      name: 'a private key between BEGIN CERTIFICATE and END is never a block',
      text: () => `${BEGIN}\n${pem.nodeKey}-----END CERTIFICATE-----\n${pem.ca}`,
      expected: () => ['kubernetes'],
    },
  ];
  for (const shape of shapes) {
    it(shape.name, () => assert.deepEqual(names(shape.text()), shape.expected()));
  }

  it('a block holding a private key is dropped, so the key cannot leave collect', () => {
    const blocks = certificateBlocks(`${BEGIN}\n${pem.nodeKey}-----END CERTIFICATE-----\n${pem.ca}`);
    assert.deepEqual(blocks, [pem.ca.trim()]);
  });

  it('a kubelet client certificate behind 100,000 stray BEGIN lines is read, its key is not', () => {
    const file = path.join(dir, 'kubelet-client-current.pem');
    fs.writeFileSync(file, `${`${BEGIN}\n`.repeat(100_000)}${pem.node}${pem.nodeKey}`);
    const read = readFile({ dir: '/', description: 'on this host' }, file, file, 'certificate');
    assert.ok(read.ok);
    assert.equal(read.content, pem.node);
    assert.equal(read.certificates?.[0]?.commonName, 'system:node:worker-1');
  });

  // In a child process, so that a scan that does not end (the regex needed minutes for this) fails
  // the test at the guard instead of blocking the test runner.
  for (const [name, unit] of [
    ['unterminated BEGIN lines', `${BEGIN}\n`],
    ['BEGIN markers on one line', BEGIN],
  ] as const) {
    it(`${name} up to the 4 MiB read cap give no block`, () => {
      const script = `import { certificateBlocks } from ${JSON.stringify(new URL('../../src/collect/certs.js', import.meta.url).href)};
        const text = ${JSON.stringify(unit)}.repeat(${Math.floor(CAP / unit.length)});
        process.stdout.write(JSON.stringify({ bytes: text.length, blocks: certificateBlocks(text).length }));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.signal, null, 'the scan ended');
      assert.deepEqual(JSON.parse(run.stdout), { bytes: Math.floor(CAP / unit.length) * unit.length, blocks: 0 });
    });
  }
});
