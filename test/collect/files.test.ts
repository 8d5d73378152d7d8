import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readDirListing, readTextFile, type FileRoot } from '../../src/collect/files.js';
import { readFile } from '../../src/collect/process-files.js';
import type { DirRead, FileRead } from '../../src/collect/types.js';
import { makeFakeRoot, type FakeRoot } from './fake-root.js';

function reasonOf(read: FileRead | DirRead): string {
  return read.ok ? 'ok' : read.reason;
}

describe('reading a file inside a fake root', () => {
  let fake: FakeRoot;
  let root: FileRoot;
  const text = (p: string) => readTextFile(root, p);

  before(() => {
    fake = makeFakeRoot();
    root = { dir: fake.root, description: `under ${fake.root}` };
    fake.write('etc/kubernetes/config.yaml', 'kind: KubeletConfiguration\n');
    fake.write('var/lib/kubelet/kubeconfig', 'apiVersion: v1\nkind: Config\n');
    fake.link('etc/kubernetes/kubelet.conf', '/var/lib/kubelet/kubeconfig');
    fake.link('etc/kubernetes/relative.conf', '../../var/lib/kubelet/kubeconfig');
    fake.link('etc/kubernetes/escape.conf', '../../../../../../../../etc/passwd');
    fake.link('etc/kubernetes/zero', '/dev/zero');
    fake.link('etc/kubernetes/root-link', '/');
    fake.link('etc/kubernetes/loop-a', 'loop-b');
    fake.link('etc/kubernetes/loop-b', 'loop-a');
    fake.link('etc/kubernetes/dir-link', '../../var/lib');
    fake.mkdir('etc/kubernetes/a-directory');
    execFileSync('mkfifo', [path.join(fake.root, 'etc/kubernetes/fifo')]);
    fake.write('etc/kubernetes/latin1.yaml', Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
    const huge = fake.write('etc/kubernetes/huge.yaml', '');
    fs.truncateSync(huge, 50 * 1024 * 1024);
    fake.write('etc/kubernetes/drop-ins/10-a.conf', 'a\n');
    fake.write('etc/kubernetes/drop-ins/sub/20-b.conf', 'b\n');
    fake.link('etc/kubernetes/drop-ins/30-link.conf', '/etc/kubernetes/config.yaml');
    fake.link('etc/kubernetes/drop-ins/40-dangling.conf', '/nowhere');
    fake.link('etc/kubernetes/drop-ins/cycle', '.');
  });
  after(() => fake.remove());

  it('reads a regular file with its metadata', () => {
    const read = text('/etc/kubernetes/config.yaml');
    assert.ok(read.ok);
    assert.equal(read.content, 'kind: KubeletConfiguration\n');
    assert.equal(read.path, '/etc/kubernetes/config.yaml');
    assert.equal(read.size, 27);
    assert.equal(read.mode & 0o170000, 0o100000);
  });

  it('missing: a file that is not there', () => {
    const read = text('/etc/kubernetes/absent.yaml');
    assert.equal(reasonOf(read), 'missing');
    assert.ok(!read.ok && read.detail.includes('/etc/kubernetes/absent.yaml') && read.detail.includes(fake.root));
  });

  it('missing: a path through a regular file', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/config.yaml/x')), 'missing');
  });

  it('re-roots an absolute symlink inside the fake root', () => {
    const read = text('/etc/kubernetes/kubelet.conf');
    assert.ok(read.ok);
    assert.equal(read.content, 'apiVersion: v1\nkind: Config\n');
    assert.equal(read.path, '/etc/kubernetes/kubelet.conf');
  });

  it('follows a relative symlink from its directory', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/relative.conf')), 'ok');
  });

  it('outside-root: a symlink whose ../ climbs above the root', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/escape.conf')), 'outside-root');
    assert.equal(reasonOf(text('/../etc/kubernetes/config.yaml')), 'outside-root');
  });

  it('never follows a link onto the real /: /dev/zero inside a fake root is the fake one', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/zero')), 'missing');
    // A link to / is the fake root, so this is the fake config, not a host file.
    const viaRoot = text('/etc/kubernetes/root-link/etc/kubernetes/config.yaml');
    assert.ok(viaRoot.ok && viaRoot.content.startsWith('kind: KubeletConfiguration'));
  });

  it('loop: a symlink cycle', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/loop-a')), 'loop');
  });

  // Opening a FIFO for reading blocks until a writer comes; returning at all is the test.
  it('not-regular: a FIFO, without blocking on it', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/fifo')), 'not-regular');
  });

  it('not-regular: a directory', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/a-directory')), 'not-regular');
    assert.equal(reasonOf(text('/etc/kubernetes/dir-link')), 'not-regular');
  });

  it('too-large: a 50 MB file is refused from its size', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/huge.yaml')), 'too-large');
  });

  it('not-utf8: Latin-1 text', () => {
    assert.equal(reasonOf(text('/etc/kubernetes/latin1.yaml')), 'not-utf8');
  });

  it('permission: a file the auditor may not read', () => {
    const secret = fake.write('etc/kubernetes/unreadable.yaml', 'x');
    fs.chmodSync(secret, 0);
    if (process.getuid?.() !== 0) {
      assert.equal(reasonOf(text('/etc/kubernetes/unreadable.yaml')), 'permission');
      return;
    }
    // Root reads every file, so the read runs in a child as nobody (as the daemon would without
    // CAP_DAC_READ_SEARCH); the directories on the way stay traversable, the file itself does not.
    for (let dir = path.dirname(secret); dir.startsWith(fake.root); dir = path.dirname(dir)) fs.chmodSync(dir, 0o755);
    const typescript = import.meta.url.endsWith('.ts');
    const files = new URL(`../../src/collect/files.${typescript ? 'ts' : 'js'}`, import.meta.url).href;
    const script =
      `const { readTextFile } = await import(${JSON.stringify(files)});` +
      `const read = readTextFile({ dir: ${JSON.stringify(fake.root)}, description: 'under the fake root' }, '/etc/kubernetes/unreadable.yaml');` +
      `process.stdout.write(read.ok ? 'ok' : read.reason);`;
    const child = spawnSync(
      process.execPath,
      [...(typescript ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script],
      {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(child.stdout, 'permission', child.stderr);
  });

  it('lists a directory recursively: regular files and links to regular files, sorted', () => {
    const { read } = readDirListing(root, '/etc/kubernetes/drop-ins');
    assert.deepEqual(read, {
      ok: true,
      path: '/etc/kubernetes/drop-ins',
      entries: ['10-a.conf', '30-link.conf', 'sub/20-b.conf'],
    });
    assert.equal(reasonOf(readDirListing(root, '/etc/kubernetes/config.yaml').read), 'not-regular');
    assert.equal(reasonOf(readDirListing(root, '/etc/kubernetes/none.d').read), 'missing');
  });

  it('reads a certificate request of a file without certificates as empty, not as its text', () => {
    const read = readFile(root, '/etc/kubernetes/config.yaml', '/etc/kubernetes/config.yaml', 'certificate');
    assert.ok(read.ok);
    assert.equal(read.content, '');
    assert.deepEqual(read.certificates, []);
  });
});

describe('reading a file on the real root', () => {
  let fake: FakeRoot;
  before(() => {
    fake = makeFakeRoot();
    fake.link('zero', '/dev/zero');
  });
  after(() => fake.remove());
  const hostRoot: FileRoot = { dir: '/', description: 'on this host' };

  it('not-regular: /dev/zero behind a symlink is refused, not read forever', () => {
    const read = readTextFile(hostRoot, path.join(fake.root, 'zero'));
    assert.equal(reasonOf(read), 'not-regular');
    assert.ok(!read.ok && read.detail.includes('character device'));
  });

  it('.. at / is outside the root', () => {
    assert.equal(reasonOf(readTextFile(hostRoot, '/../etc/hostname')), 'outside-root');
  });
});
