// Issue 9 item 7: every file the operator names (our config, the web config and the cert_file,
// key_file and client_ca_file it names, the release table, probe credentials) goes through one
// bounded, non-blocking reader. A FIFO froze start-up and SIGHUP, `cert_file: /dev/zero` grew
// the daemon to 1.78 GB, a 200 MB file was read whole. Each now gets a clear error naming it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readOperatorFile } from '../../src/collect/files.js';
import { readEtcdProbeCredentials } from '../../src/collect/probes/credentials.js';
import { CLI_ENTRY } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { sampleCheck, sampleReport } from '../support/sample-report.js';
import { spawnDaemon } from './spawn-daemon.js';
import { get } from '../support/http.js';

const dir = mkdtempSync(join(tmpdir(), 'scs-operator-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/** A hang guard for child processes, far above what a refusal takes; speed is not asserted. */
const GUARD_MS = 30_000;

const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const sparse = join(dir, 'sparse-200MB');
writeFileSync(sparse, '');
truncateSync(sparse, 200 * 1024 * 1024);
const directory = join(dir, 'directory');
mkdirSync(directory);
const loop = join(dir, 'loop');
symlinkSync(loop, loop);
const regular = join(dir, 'regular.txt');
writeFileSync(regular, 'hello\n');
const linkToRegular = join(dir, 'link-to-regular');
symlinkSync(regular, linkToRegular);

/** Each hostile file and the reason the reader gives for it. */
const HOSTILE: [string, string, RegExp][] = [
  ['a FIFO', fifo, /^not a regular file \(a FIFO\)$/],
  ['/dev/zero', '/dev/zero', /^not a regular file \(a character device\)$/],
  ['a 200 MB sparse file', sparse, /^larger than 1048576 bytes \(209715200 bytes\)$/],
  ['a directory', directory, /^(is a directory|not a regular file \(a directory\))$/],
  ['a symlink loop', loop, /^too many symbolic links$/],
];

describe('readOperatorFile', () => {
  for (const [name, file, reason] of HOSTILE) {
    it(`${name}: refused with the reason`, () => {
      const read = readOperatorFile(file);
      assert.ok(!read.ok);
      assert.match(read.reason, reason);
      assert.equal(read.missing, false);
    });
  }
  it('a regular file, also through a symbolic link (Secret volumes are links), is read', () => {
    assert.deepEqual(readOperatorFile(linkToRegular), { ok: true, text: 'hello\n' });
  });
  it('a missing file says so', () => {
    assert.deepEqual(readOperatorFile(join(dir, 'absent')), { ok: false, reason: 'no such file', missing: true });
  });
  it('probe credentials: a FIFO as the client key is refused, naming the file', () => {
    const cert = join(dir, 'client.crt');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\n');
    const read = readEtcdProbeCredentials({ certFile: cert, keyFile: fifo, origin: 'probes.etcd' });
    assert.deepEqual(read.ok ? undefined : read.problem, `${fifo} (probes.etcd): not a regular file (a FIFO)`);
  });
});

function runCli(args: string[]) {
  const run = spawnSync(process.execPath, [...CLI_ENTRY, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: GUARD_MS,
  });
  assert.equal(run.signal, null, `the run ended; stderr: ${run.stderr}`);
  return run;
}

describe('the command line refuses each as a file it names', () => {
  for (const [name, file, reason] of HOSTILE) {
    it(`--config ${name}: exit 2 naming the file`, () => {
      const run = runCli(['--once', '--config', file]);
      assert.equal(run.status, 2, run.stderr);
      assert.ok(run.stderr.includes(`${file}: cannot read config file: `), run.stderr);
      assert.match(run.stderr.trim().split(': cannot read config file: ')[1]!, reason);
    });
    it(`--web.config.file ${name}, and cert_file: ${name}: the daemon does not start, naming the file`, () => {
      const web = join(dir, `web-cert-${name.replace(/\W+/g, '-')}.yml`);
      writeFileSync(web, `tls_server_config:\n  cert_file: ${file}\n  key_file: ${regular}\n`);
      for (const [config, key] of [
        [file, '(file)'],
        [web, 'tls_server_config.cert_file'],
      ] as const) {
        const run = runCli([
          '--config',
          '/dev/null',
          '--root',
          directory,
          '--listen',
          '127.0.0.1:0',
          '--interval',
          '1h',
          '--web.config.file',
          config,
        ]);
        assert.equal(run.status, 3, run.stderr);
        assert.ok(
          run.stderr.includes(`the daemon could not start: ${config}: ${key}: cannot read ${file}: `),
          run.stderr,
        );
      }
    });
  }
});

describe('SIGHUP with a web config naming a hostile file', () => {
  for (const [name, file] of HOSTILE) {
    it(
      `cert_file: ${name}: the reload is rejected naming the file, the daemon keeps answering`,
      { timeout: GUARD_MS },
      async (t) => {
        const work = mkdtempSync(join(dir, 'daemon-'));
        const report = join(work, 'report.json');
        const settings = join(work, 'settings.json');
        const web = join(work, 'web.yml');
        writeFileSync(report, JSON.stringify(sampleReport([sampleCheck('kubelet-anonymous-auth', 'pass')])));
        writeFileSync(settings, JSON.stringify({ intervalSeconds: 3600 }));
        writeFileSync(web, '');
        const daemon = await spawnDaemon([report, settings, web]);
        t.after(() => daemon.child.kill('SIGKILL'));
        await daemon.waitForLine((line) => line.msg === 'audit finished');

        writeFileSync(web, `tls_server_config:\n  cert_file: ${file}\n  key_file: ${regular}\n`);
        const mark = daemon.lines.length;
        daemon.child.kill('SIGHUP');
        const rejected = await daemon.waitForLine(
          (line) => line.msg === 'configuration reload rejected; keeping the previous configuration',
          10_000,
          mark,
        );
        assert.ok(
          String(rejected.err).startsWith(`${web}: tls_server_config.cert_file: cannot read ${file}: `),
          String(rejected.err),
        );
        assert.equal((await get(daemon.address, '/healthz')).status, 200);
      },
    );
  }
});
