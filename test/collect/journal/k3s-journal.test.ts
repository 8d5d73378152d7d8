// readK3sCommandLines on fake roots whose journal files systemd-journal-remote wrote: the running
// k3s's lines are taken, never those of an earlier process or boot; broken input gives notes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  INCOMPATIBLE,
  JournalFile,
  readK3sCommandLines,
  type K3sJournalRead,
} from '../../../src/collect/journal/index.js';
import { writeJournal } from '../../../scripts/journal-fixture.js';
import { prng } from '../../support/prng.js';
import {
  BOOT_ID,
  CLOUD_CONTROLLER_MANAGER_ARGS,
  CONTROLLER_MANAGER_ARGS,
  K3S_PID,
  MACHINE_ID,
  OLD_PID,
  PREVIOUS_BOOT_ID,
  PROXY_ARGS,
  SCHEDULER_ARGS,
  VERSION,
  apiserverArgs,
  k3sProcess,
  kubeletArgs,
  makeK3sHost,
  makeTempDir,
  noise,
} from './k3s-host.js';

const SERVER_UNITS = ['k3s.service', 'k3s-agent.service'];

function argvOf(read: K3sJournalRead): Record<string, string[] | undefined> {
  return Object.fromEntries(Object.entries(read.commandLines).map(([c, line]) => [c, line.argv]));
}

const RUNNING_SERVER: Record<string, string[]> = {
  'kube-apiserver': apiserverArgs(false),
  'kube-scheduler': SCHEDULER_ARGS,
  'kube-controller-manager': CONTROLLER_MANAGER_ARGS,
  'cloud-controller-manager': CLOUD_CONTROLLER_MANAGER_ARGS,
  kubelet: kubeletArgs(false),
  'kube-proxy': PROXY_ARGS,
};

describe('readK3sCommandLines', () => {
  for (const [name, options] of [
    ['compact, keyed, zstd (systemd 252 default)', {}],
    ['regular, Jenkins hash', { compact: false, keyedHash: false }],
    ['uncompressed', { compress: false }],
  ] as const) {
    test(`${name}: the lines of the running k3s (pid ${K3S_PID}, this boot), not of the crashed pid ${OLD_PID} nor of the previous boot`, (t) => {
      const host = makeK3sHost(makeTempDir(t), options);
      const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
      assert.deepEqual(argvOf(read), RUNNING_SERVER);
      assert.equal(read.version, VERSION);
      assert.equal(read.role, 'server');
      assert.equal(read.bootId, BOOT_ID);
      assert.deepEqual(read.notes, []);
      const apiserver = read.commandLines['kube-apiserver'];
      assert.equal(apiserver?.file, `/var/log/journal/${MACHINE_ID}/system.journal`);
      assert.equal(apiserver.unit, 'k3s.service');
      assert.equal(apiserver.pid, K3S_PID);
      // The oracle: journalctl's timestamp of the same line in the same file.
      const json = execFileSync(
        'journalctl',
        ['--file', host.active, '-o', 'json', `_PID=${K3S_PID}`, `_BOOT_ID=${BOOT_ID}`],
        { encoding: 'utf8' },
      );
      const line = json
        .split('\n')
        .filter((l) => l.includes('Running kube-apiserver'))
        .map((l) => JSON.parse(l) as { __REALTIME_TIMESTAMP: string });
      assert.equal(line.length, 1);
      assert.equal(String(apiserver.realtime), line[0]?.__REALTIME_TIMESTAMP);
    });
  }

  test('the pid of the crashed process gives its own (insecure) lines: selection is by _PID', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: OLD_PID });
    assert.deepEqual(read.commandLines['kube-apiserver']?.argv, apiserverArgs(true));
  });

  test('without a pid, the pid of the unit’s newest entry of this boot is taken, and a note says so', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS });
    assert.equal(read.pid, K3S_PID);
    assert.deepEqual(argvOf(read), RUNNING_SERVER);
    assert.match(read.notes.join(' '), /pid 1207 is inferred/);
  });

  test('an agent (k3s-agent.service) logs kubelet and kube-proxy', (t) => {
    const host = makeK3sHost(makeTempDir(t), {}, 'agent');
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: ['k3s-agent.service'], pid: K3S_PID });
    assert.equal(read.role, 'agent');
    assert.equal(read.version, VERSION);
    assert.deepEqual(argvOf(read), { kubelet: kubeletArgs(false), 'kube-proxy': PROXY_ARGS });
  });

  test('the unit must match: lines of the same pid in another unit are not taken', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const read = readK3sCommandLines({
      root: host.root,
      proc: host.proc,
      units: ['rke2-server.service'],
      pid: K3S_PID,
    });
    assert.deepEqual(read.commandLines, {});
    assert.match(read.notes.join(' '), /No "Running <component> …" line of k3s pid 1207/);
  });

  test('a boot without entries (journal lost since reboot) takes nothing from earlier boots', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const read = readK3sCommandLines({
      root: host.root,
      proc: host.proc,
      units: SERVER_UNITS,
      pid: K3S_PID,
      bootId: '11111111-2222-3333-4444-555555555555',
    });
    assert.deepEqual(read.commandLines, {});
    assert.equal(read.version, undefined);
    assert.match(read.notes.join(' '), /None of 2 journal files holds entries of the current boot/);
  });

  test('the previous boot, when asked for, comes from the archived file', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const read = readK3sCommandLines({
      root: host.root,
      proc: host.proc,
      units: SERVER_UNITS,
      pid: K3S_PID,
      bootId: PREVIOUS_BOOT_ID,
    });
    assert.deepEqual(read.commandLines['kube-apiserver']?.argv, apiserverArgs(true));
    assert.match(read.commandLines['kube-apiserver'].file, /system@.*\.journal$/);
  });

  test('a restart under the same pid in the same boot: only the lines after the newest start count', (t) => {
    const base = makeTempDir(t);
    const host = makeK3sHost(base);
    // Rewrite the active file: the same pid starts twice; the second start logs no kube-proxy.
    fs.rmSync(host.active);
    const second = k3sProcess({
      pid: K3S_PID,
      bootId: BOOT_ID,
      unit: 'k3s.service',
      role: 'server',
      anonymous: false,
      chatter: 2,
    }).filter((e) => !e.fields.some(([, v]) => v.includes('Running kube-proxy')));
    writeJournal(host.active, [
      ...k3sProcess({
        pid: K3S_PID,
        bootId: BOOT_ID,
        unit: 'k3s.service',
        role: 'server',
        anonymous: true,
        chatter: 2,
      }),
      ...noise(BOOT_ID, 5),
      ...second,
    ]);
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(read.commandLines['kube-apiserver']?.argv, apiserverArgs(false));
    assert.equal(read.commandLines['kube-proxy'], undefined);
  });

  test('rotation after k3s started: the start lines in the archived file of this boot, chatter in the active one', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    fs.rmSync(host.archived);
    fs.rmSync(host.active);
    const before = noise(BOOT_ID, 10);
    const run = k3sProcess({
      pid: K3S_PID,
      bootId: BOOT_ID,
      unit: 'k3s.service',
      role: 'server',
      anonymous: false,
      chatter: 40,
    });
    const rotated = path.join(
      host.dir,
      'system@0000000000000000000000000000000b-0000000000000001-0006400000000000.journal',
    );
    writeJournal(rotated, [...before, ...run.slice(0, 20)]);
    writeJournal(host.active, [...run.slice(20), ...noise(BOOT_ID, 10)]);
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(argvOf(read), RUNNING_SERVER);
    assert.equal(read.commandLines.kubelet?.file, `/var/log/journal/${MACHINE_ID}/${path.basename(rotated)}`);
    // Oldest first by the header's head timestamp, although "system.journal" sorts before "system@…".
    assert.deepEqual(read.files, [
      `/var/log/journal/${MACHINE_ID}/${path.basename(rotated)}`,
      `/var/log/journal/${MACHINE_ID}/system.journal`,
    ]);
  });

  test('a server without kube-proxy (Cilium): the scan ends 30 minutes after the start line, with a note', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    fs.rmSync(host.archived);
    fs.rmSync(host.active);
    const run = k3sProcess({
      pid: K3S_PID,
      bootId: BOOT_ID,
      unit: 'k3s.service',
      role: 'server',
      anonymous: false,
      chatter: 5,
    });
    const proxyAt = run.findIndex((e) => e.fields.some(([, v]) => v.includes('Running kube-proxy')));
    const [proxy] = run.splice(proxyAt, 1);
    assert.ok(proxy);
    // The same line, 31 minutes later, cannot be the start of a component of this k3s start.
    proxy.realtime = (run.at(-1)?.realtime ?? 0) + 31 * 60 * 1_000_000;
    proxy.monotonic += 31 * 60 * 1_000_000;
    writeJournal(host.active, [...run, proxy]);
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    const { 'kube-proxy': _proxy, ...withoutProxy } = RUNNING_SERVER;
    assert.deepEqual(argvOf(read), withoutProxy);
    assert.match(read.notes.join(' '), /Stopped reading pid 1207 30 minutes after its "Starting k3s" line/);
  });

  test('a volatile journal under /run/log/journal and user journals beside it are read', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const volatile = path.join(host.root, 'run/log/journal', MACHINE_ID);
    fs.mkdirSync(volatile, { recursive: true });
    fs.renameSync(host.active, path.join(volatile, 'system.journal'));
    writeJournal(path.join(volatile, 'user-1000.journal'), noise(BOOT_ID, 5));
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(argvOf(read), RUNNING_SERVER);
    assert.equal(read.commandLines.kubelet?.file, `/run/log/journal/${MACHINE_ID}/system.journal`);
    assert.ok(read.files.includes(`/run/log/journal/${MACHINE_ID}/user-1000.journal`));
  });

  test('a missing /etc/machine-id: every machine directory is read, with a note', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    fs.rmSync(path.join(host.root, 'etc/machine-id'));
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(argvOf(read), RUNNING_SERVER);
    assert.match(read.notes.join(' '), /machine-id does not exist.*every machine directory/);
  });

  test('no boot id: nothing is taken, and the notes name the missing file', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    fs.rmSync(path.join(host.proc, 'sys/kernel/random/boot_id'));
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(read.commandLines, {});
    assert.match(read.notes.join(' '), /boot_id does not exist/);
  });

  test('no journal at all', (t) => {
    const root = makeTempDir(t);
    const read = readK3sCommandLines({
      root,
      proc: path.join(root, 'proc'),
      units: SERVER_UNITS,
      pid: K3S_PID,
      bootId: BOOT_ID,
    });
    assert.deepEqual(read.commandLines, {});
    assert.match(read.notes.join(' '), /No journal files under/);
  });

  test('files that are not journals, unknown incompatible flags and a FIFO give notes, the good file still counts', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    fs.writeFileSync(
      path.join(host.dir, 'system@bogus.journal'),
      'not a journal at all, but long enough to hold a header '.repeat(10),
    );
    const future = Buffer.from(fs.readFileSync(host.archived));
    future.writeUInt32LE(future.readUInt32LE(12) | 0x20, 12);
    fs.writeFileSync(path.join(host.dir, 'system@future.journal'), future);
    execFileSync('mkfifo', [path.join(host.dir, 'fifo.journal')]);
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.deepEqual(argvOf(read), RUNNING_SERVER);
    const notes = read.notes.join('\n');
    assert.match(notes, /system@bogus\.journal: has no journal signature/);
    assert.match(notes, /system@future\.journal: uses unknown incompatible header flags 0x20/);
  });
});

describe('compression this Node cannot undo', () => {
  test('an xz-compressed MESSAGE is an unreadable object with a note; the other lines still count', (t) => {
    const host = makeK3sHost(makeTempDir(t));
    const json = execFileSync('journalctl', ['--file', host.active, '-o', 'json', `_PID=${K3S_PID}`], {
      encoding: 'utf8',
    });
    const message = json
      .split('\n')
      .filter((l) => l.includes('Running kube-apiserver'))
      .map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE)[0];
    assert.ok(message);
    const journal = JournalFile.open(host.active);
    const data = journal.findData(Buffer.from(`MESSAGE=${message}`));
    journal.close();
    assert.equal(data?.flags, 4, 'stored zstd-compressed');
    // Mark that object (and the file) as xz, which node:zlib cannot decompress.
    const bytes = fs.readFileSync(host.active);
    bytes[data.offset + 1] = 1;
    bytes.writeUInt32LE(bytes.readUInt32LE(12) | INCOMPATIBLE.COMPRESSED_XZ, 12);
    fs.writeFileSync(host.active, bytes);
    const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
    assert.equal(read.commandLines['kube-apiserver'], undefined);
    assert.deepEqual(read.commandLines.kubelet?.argv, kubeletArgs(false));
    assert.match(
      read.notes.join(' '),
      /system\.journal: some DATA objects are unreadable \(unsupported compression; first: DATA object at \d+ is xz-compressed/,
    );
  });
});

describe('corrupt and truncated journal files', () => {
  for (const [name, options] of [
    ['compact', {}],
    ['regular', { compact: false, keyedHash: false }],
  ] as const) {
    test(`${name}: truncations and byte flips give a subset of the true lines, never another line, never a throw`, (t) => {
      const host = makeK3sHost(makeTempDir(t), options);
      fs.rmSync(host.archived);
      const original = fs.readFileSync(host.active);
      const truth: Record<string, string[] | undefined> = argvOf(
        readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID }),
      );
      assert.deepEqual(truth, RUNNING_SERVER);
      // The written part of the file ends with its tail object (header field tail_object_offset);
      // journal-remote preallocates the rest with zeros.
      const used = Number(original.readBigUInt64LE(136)) + 4096;
      const random = prng(name === 'compact' ? 8 : 9);
      // Built one at a time: a copy of the file per mutation.
      function* mutations(): Generator<{ what: string; bytes: Buffer }> {
        for (let i = 0; i < 60; i++) {
          const at = i < 10 ? i * 24 : Math.floor(random() * used);
          yield { what: `truncated at ${at}`, bytes: original.subarray(0, at) };
        }
        for (let i = 0; i < 250; i++) {
          const copy = Buffer.from(original.subarray(0, used));
          const at = Math.floor(random() * used);
          const value = i % 2 === 0 ? (copy[at] ?? 0) ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
          copy[at] = value;
          yield { what: `byte ${at} set to ${value}`, bytes: copy };
        }
      }
      let withNotes = 0;
      let count = 0;
      for (const mutation of mutations()) {
        count += 1;
        fs.writeFileSync(host.active, mutation.bytes);
        const read = readK3sCommandLines({ root: host.root, proc: host.proc, units: SERVER_UNITS, pid: K3S_PID });
        for (const [component, argv] of Object.entries(argvOf(read))) {
          assert.deepEqual(argv, truth[component], `${mutation.what}: ${component}`);
        }
        if (read.notes.length > 0) withNotes += 1;
      }
      // Truncations before the k3s lines lose them and must say so.
      assert.ok(withNotes >= 10, `${withNotes} of ${count} mutations gave notes`);
    });
  }
});
