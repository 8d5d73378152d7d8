// The committed fixture trees (test/fixtures/hosts/) are the generator's output and nothing else:
// every host of scripts/fixture-hosts/registry.ts is written into a temporary directory and
// compared, file by file, with the committed tree — content, symlink target, executable bit, and
// no file more or less. A tree edited by hand, or a generator changed without `npm run fixtures`,
// fails here.
//
// Two kinds of file are compared by meaning instead of bytes:
// - Binary journals (`*.journal`): systemd-journal-remote gives every new file a random file id
//   and seqnum id and stamps the header with the time of writing, so no two runs are byte-equal.
//   They are compared as `journalctl --file X -o export` without the `__CURSOR` line (which holds
//   the seqnum id), plus the header's format flags (`journalctl --header`: compact, keyed hash,
//   compression), which decide what the reader in src/collect/journal has to handle.
// - Certificates are not made at generation time: the generator copies the committed ones from
//   test/fixtures/certs/ (a byte comparison of the trees covers the copies), and the last test
//   holds those to their specs in scripts/fixture-hosts/certs.ts (subject, issuer, CA flag, usage,
//   validity), since their keys were random and are gone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CERTS } from '../scripts/fixture-hosts/certs.js';
import { certsDir, HAND_WRITTEN, hostsDir } from '../scripts/fixture-hosts/paths.js';
import { HOSTS } from '../scripts/fixture-hosts/registry.js';
import { buildHost } from '../scripts/fixture-hosts/tree.js';

/** What a path is, in the terms git keeps: a symlink and its target, or a file with its executable bit. */
type Entry = { kind: 'symlink'; target: string } | { kind: 'file'; executable: boolean };

/** Every non-directory path under `root` (git keeps no empty directories), never following a link. */
function entries(root: string, skipTop: readonly string[] = []): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(root, relative))) {
      if (relative === '' && skipTop.includes(name)) continue;
      const rel = path.join(relative, name);
      const stat = lstatSync(path.join(root, rel));
      if (stat.isSymbolicLink()) out.set(rel, { kind: 'symlink', target: readlinkSync(path.join(root, rel)) });
      else if (stat.isDirectory()) walk(rel);
      else out.set(rel, { kind: 'file', executable: (stat.mode & 0o111) !== 0 });
    }
  };
  walk('');
  return out;
}

function journalctl(args: string[]): string {
  return execFileSync('journalctl', ['--no-pager', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** A journal's entries and format, without what systemd-journal-remote draws at random per file. */
function journalMeaning(file: string): string {
  const flags = journalctl(['--file', file, '--header'])
    .split('\n')
    .filter((line) => /^(Compatible|Incompatible) flags:/.test(line));
  const exported = journalctl(['--file', file, '-o', 'export'])
    .split('\n')
    .filter((line) => !line.startsWith('__CURSOR='));
  return [...flags, ...exported].join('\n');
}

/** The differences between a committed host tree and the generated one, one line each. */
function differences(committed: string, generated: string): string[] {
  const want = entries(generated);
  const have = entries(committed, HAND_WRITTEN);
  const out: string[] = [];
  for (const [rel, entry] of want) {
    const got = have.get(rel);
    if (!got) out.push(`${rel}: missing from the committed tree`);
    else if (got.kind !== entry.kind) out.push(`${rel}: committed as a ${got.kind}, generated as a ${entry.kind}`);
    else if (entry.kind === 'symlink' && got.kind === 'symlink') {
      if (got.target !== entry.target)
        out.push(`${rel}: links to ${got.target}, the generator links to ${entry.target}`);
    } else if (entry.kind === 'file' && got.kind === 'file') {
      if (got.executable !== entry.executable)
        out.push(`${rel}: executable bit ${got.executable}, the generator's ${entry.executable}`);
      const a = path.join(committed, rel);
      const b = path.join(generated, rel);
      const same = rel.endsWith('.journal')
        ? journalMeaning(a) === journalMeaning(b)
        : readFileSync(a).equals(readFileSync(b));
      if (!same) out.push(`${rel}: content differs from the generator's`);
    }
  }
  for (const rel of have.keys()) if (!want.has(rel)) out.push(`${rel}: not written by the generator`);
  return out;
}

describe('fixture trees are exactly what scripts/fixture-hosts generates', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'scs-fixture-drift-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const hosts = HOSTS.map((make) => make());

  it('every committed host directory has a generator, and every generated host is committed', () => {
    const committed = readdirSync(hostsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.deepEqual(committed, hosts.map((h) => h.name).sort());
  });

  for (const host of hosts) {
    it(`${host.name}: the committed tree equals a fresh one (edit scripts/fixture-hosts/, then npm run fixtures -- ${host.name})`, () => {
      buildHost(host, work);
      assert.deepEqual(differences(path.join(hostsDir, host.name), path.join(work, host.name)), []);
    });
  }

  it('the committed certificates match their specs in certs.ts (their keys were random and are gone)', () => {
    const byName = new Map(CERTS.map((spec) => [spec.name, spec]));
    assert.deepEqual(readdirSync(certsDir).sort(), [...byName.keys()].sort());
    // openssl's -subj "/O=a/CN=b" becomes node's "O=a\nCN=b".
    const dn = (subject: string) => subject.slice(1).split('/').join('\n');
    for (const spec of CERTS) {
      const cert = new X509Certificate(readFileSync(path.join(certsDir, spec.name)));
      const issuer = spec.issuer ? byName.get(spec.issuer)!.subject : spec.subject;
      // @types/node declares string[], but Node gives undefined when there is no extendedKeyUsage (our CAs).
      const keyUsage = cert.keyUsage as string[] | undefined;
      const facts = {
        subject: cert.subject,
        issuer: cert.issuer,
        ca: cert.ca,
        usage: keyUsage?.slice().sort() ?? [],
        from: cert.validFromDate.toISOString(),
        to: cert.validToDate.toISOString(),
      };
      const usage = {
        client: ['1.3.6.1.5.5.7.3.2'],
        server: ['1.3.6.1.5.5.7.3.1'],
        'client,server': ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      };
      assert.deepEqual(
        facts,
        {
          subject: dn(spec.subject),
          issuer: dn(issuer),
          ca: spec.ca === true,
          usage: spec.ca ? [] : usage[spec.usage!],
          from: '2025-01-01T00:00:00.000Z',
          to: '2036-01-01T00:00:00.000Z',
        },
        spec.name,
      );
      if (spec.issuer)
        assert.ok(
          cert.verify(new X509Certificate(readFileSync(path.join(certsDir, spec.issuer))).publicKey),
          `${spec.name} is signed by ${spec.issuer}`,
        );
    }
  });
});
