// The journal reader against files written by systemd's own writer (systemd-journal-remote), in
// both layouts, with journalctl --file as the oracle.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { jenkinsHash64, siphash24 } from '../../../src/collect/journal/hash.js';
import { INCOMPATIBLE, JournalFile } from '../../../src/collect/journal/journal-file.js';
import { K3S_PID, makeK3sHost, makeTempDir } from './k3s-host.js';

describe('hash functions', () => {
  test('SipHash-2-4 matches the reference vectors of the SipHash paper (key 00..0f)', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i);
    assert.equal(siphash24(new Uint8Array(0), key), 0x726fdb47dd0e0e31n);
    assert.equal(
      siphash24(
        Uint8Array.from({ length: 15 }, (_, i) => i),
        key,
      ),
      0xa129ca6149be45e5n,
    );
    assert.equal(
      siphash24(
        Uint8Array.from({ length: 8 }, (_, i) => i),
        key,
      ),
      0x93f5f5799a932462n,
    );
  });

  test('Jenkins hashlittle2 matches lookup3.c driver5 (primary word high, secondary low)', () => {
    assert.equal(jenkinsHash64(new Uint8Array(0)), 0xdeadbeefdeadbeefn);
    assert.equal(jenkinsHash64(Buffer.from('Four score and seven years ago')), 0x17770551ce7226e6n);
  });
});

interface JournalctlEntry {
  __REALTIME_TIMESTAMP: string;
  _BOOT_ID: string;
  MESSAGE: string;
}

function oracle(file: string, match: string): JournalctlEntry[] {
  const out = execFileSync('journalctl', ['--file', file, '-o', 'json', '--no-pager', match], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JournalctlEntry);
}

const LAYOUTS = [
  {
    name: 'systemd 252 default: compact, keyed hash, zstd',
    options: {},
    flags: INCOMPATIBLE.COMPACT | INCOMPATIBLE.KEYED_HASH | INCOMPATIBLE.COMPRESSED_ZSTD,
  },
  {
    name: 'regular layout, Jenkins hash, zstd',
    options: { compact: false, keyedHash: false },
    flags: INCOMPATIBLE.COMPRESSED_ZSTD,
  },
  {
    name: 'compact, keyed hash, uncompressed',
    options: { compress: false },
    flags: INCOMPATIBLE.COMPACT | INCOMPATIBLE.KEYED_HASH,
  },
] as const;

describe('JournalFile on files written by systemd-journal-remote', () => {
  for (const layout of LAYOUTS) {
    test(`${layout.name}: entries of _PID=${K3S_PID} equal journalctl's, in order`, (t) => {
      const host = makeK3sHost(makeTempDir(t), layout.options);
      for (const file of [host.active, host.archived]) {
        const journal = JournalFile.open(file);
        t.after(() => journal.close());
        assert.equal(journal.header.incompatibleFlags, layout.flags, `${path.basename(file)} header flags`);
        const data = journal.findData(Buffer.from(`_PID=${K3S_PID}`));
        assert.ok(data, '_PID data object found through the hash table');
        const ours = [...journal.entryOffsets(data)].map((offset) => {
          const entry = journal.readEntry(offset);
          const messageItem = entry.items
            .map((i) => journal.payload(journal.readData(i)).toString('utf8'))
            .find((p) => p.startsWith('MESSAGE='));
          return {
            realtime: String(entry.realtime),
            bootId: entry.bootId,
            message: messageItem?.slice('MESSAGE='.length),
          };
        });
        const theirs = oracle(file, `_PID=${K3S_PID}`).map((e) => ({
          realtime: e.__REALTIME_TIMESTAMP,
          bootId: e._BOOT_ID,
          message: e.MESSAGE,
        }));
        assert.ok(theirs.length > 10);
        assert.deepEqual(ours, theirs);
      }
    });
  }

  test('the long k3s lines are stored zstd-compressed by default and plain when compression is off', (t) => {
    for (const [options, compressed] of [
      [{}, true],
      [{ compress: false }, false],
    ] as const) {
      const host = makeK3sHost(makeTempDir(t), options);
      const apiserverLine = oracle(host.active, `_PID=${K3S_PID}`).find((e) =>
        e.MESSAGE.includes('Running kube-apiserver'),
      );
      assert.ok(apiserverLine);
      const journal = JournalFile.open(host.active);
      t.after(() => journal.close());
      const data = journal.findData(Buffer.from(`MESSAGE=${apiserverLine.MESSAGE}`));
      assert.ok(data, 'the exact MESSAGE is found by hash and content');
      assert.equal(data.flags === 4, compressed, `OBJECT_COMPRESSED_ZSTD flag is ${data.flags}`);
      assert.ok(journal.verify(data, journal.payload(data)));
    }
  });

  test('header timestamps and the last entry of a DATA object agree with journalctl', (t) => {
    for (const options of [{}, { compact: false, keyedHash: false }]) {
      const host = makeK3sHost(makeTempDir(t), options);
      const journal = JournalFile.open(host.active);
      t.after(() => journal.close());
      const header = execFileSync('journalctl', ['--file', host.active, '--header'], { encoding: 'utf8' });
      const hex = (label: string) =>
        Number.parseInt(new RegExp(`${label}: .*\\(([0-9a-f]+)\\)`).exec(header)?.[1] ?? 'x', 16);
      assert.equal(journal.header.headEntryRealtime, hex('Head realtime timestamp'));
      assert.equal(journal.header.tailEntryRealtime, hex('Tail realtime timestamp'));
      for (const match of [
        `_PID=${K3S_PID}`,
        '_SYSTEMD_UNIT=k3s.service',
        '_TRANSPORT=stdout',
        '_SYSTEMD_UNIT=cron.service',
      ]) {
        const data = journal.findData(Buffer.from(match));
        assert.ok(data, match);
        const last = journal.lastEntryOffset(data);
        assert.ok(last !== undefined);
        assert.equal(last, [...journal.entryOffsets(data)].at(-1), match);
        const newest = oracle(host.active, match).at(-1);
        assert.equal(String(journal.readEntry(last).realtime), newest?.__REALTIME_TIMESTAMP, match);
      }
    }
  });

  test('a value that is not in the file is not found', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const journal = JournalFile.open(host.active);
    t.after(() => journal.close());
    assert.equal(journal.findData(Buffer.from('_SYSTEMD_UNIT=k3s-agent.service')), undefined);
    assert.equal(journal.findData(Buffer.from('_PID=99999')), undefined);
    assert.ok(journal.findData(Buffer.from('_SYSTEMD_UNIT=k3s.service')));
  });
});
