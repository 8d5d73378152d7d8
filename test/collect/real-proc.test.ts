// Runs collect against this machine's real /proc. Both tests live in one file because node:test
// runs files in parallel and the second one starts a process that looks like a kubelet.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { collectForAudit } from '../../src/audit.js';
import { collectHost } from '../../src/collect/index.js';
import { repoRoot } from '../support/paths.js';
import { parseProcNetTcp } from '../../src/collect/sockets.js';
import type { FileRequest, ProcessInfo } from '../../src/collect/types.js';

describe('collect on the real /proc', () => {
  it('spawns no child process: nothing on the audit path imports child_process, worker_threads or cluster', () => {
    const auditPath = ['src/collect', 'src/resolve', 'src/checks', 'src/report', 'src/audit.ts'].map((p) =>
      path.join(repoRoot, p),
    );
    const sources = auditPath.flatMap((p) =>
      fs.statSync(p).isDirectory()
        ? fs
            .readdirSync(p, { recursive: true, encoding: 'utf8' })
            .filter((f) => f.endsWith('.ts'))
            .map((f) => path.join(p, f))
        : [p],
    );
    assert.ok(
      sources.some((f) => f.endsWith(path.join('collect', 'index.ts'))),
      'the sources were found',
    );
    for (const file of sources) {
      assert.doesNotMatch(
        fs.readFileSync(file, 'utf8'),
        /['"](node:)?(child_process|worker_threads|cluster)['"]/,
        file,
      );
    }
  });

  it("parseProcNetTcp reads this kernel's net/tcp6: ::1 and an IPv4-mapped listener", async (t) => {
    if (!fs.existsSync('/proc/net/tcp6')) {
      t.skip('IPv6 is disabled on this machine');
      return;
    }
    const listen = async (host: string) => {
      const server = net.createServer().listen(0, host);
      await once(server, 'listening');
      t.after(() => server.close());
      return (server.address() as net.AddressInfo).port;
    };
    const loopbackPort = await listen('::1');
    const mappedPort = await listen('::ffff:127.0.0.1');
    const listeners = parseProcNetTcp(fs.readFileSync('/proc/net/tcp6', 'utf8'), 'tcp6');
    assert.equal(listeners.find((l) => l.port === loopbackPort)?.address, '::1');
    assert.equal(listeners.find((l) => l.port === mappedPort)?.address, '::ffff:127.0.0.1');
  });

  it('completes and, on a machine without Kubernetes, says no component was found', () => {
    const snapshot = collectForAudit({ root: '/' });
    assert.equal(snapshot.realProc, true);
    assert.equal(snapshot.proc, '/proc');
    assert.ok(Array.isArray(snapshot.listeners), "this machine's /proc/net/tcp is readable");
    assert.ok(snapshot.addresses.includes('127.0.0.1'));
    assert.notEqual(snapshot.hostname, '');
    if (snapshot.processes.length === 0 && snapshot.distributions.length === 0) {
      const notes = snapshot.notes.filter((n) => n.startsWith('not a Kubernetes node'));
      assert.equal(notes.length, 1);
      assert.match(
        notes[0] as string,
        /^not a Kubernetes node: no Kubernetes component or distribution found among \d+ processes in \/proc/,
      );
    }
  });

  it('reads a live component through /proc/<pid>/root, with its cwd and its listening socket', async (t) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-live-'));
    fs.writeFileSync(path.join(cwd, 'config.yaml'), 'kind: KubeletConfiguration\n');
    // A node process named `kubelet` as a renamed binary would be: argv[0], and comm, which the
    // kernel sets from the executable's file name (node renames its own to MainThread, so it is
    // set back here before the port is printed).
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        "require('fs').writeFileSync('/proc/self/comm','kubelet');const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))",
        '--',
        '--config=config.yaml',
      ],
      { argv0: 'kubelet', cwd, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => {
      child.kill();
      fs.rmSync(cwd, { recursive: true, force: true });
    });
    const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const port = Number(chunk.toString().trim());
    const references = (proc: ProcessInfo): FileRequest[] =>
      proc.args
        .filter((a) => a.startsWith('--config='))
        .map((a) => ({ path: a.slice('--config='.length), kind: 'text' }));

    const snapshot = collectHost({ root: '/', references });
    const kubelet = snapshot.processes.find((p) => p.pid === child.pid);
    assert.ok(kubelet, 'the kubelet-named process is found');
    assert.equal(kubelet.component, 'kubelet');
    assert.equal(kubelet.cwd, fs.realpathSync(cwd));
    assert.equal(kubelet.exe, path.basename(fs.realpathSync(process.execPath)));
    assert.ok(kubelet.startedAt !== undefined && Math.abs(Date.parse(kubelet.startedAt) - Date.now()) < 60_000);
    const config = kubelet.files[path.join(fs.realpathSync(cwd), 'config.yaml')];
    assert.ok(config?.ok, JSON.stringify(config));
    assert.equal(config.content, 'kind: KubeletConfiguration\n');
    assert.ok(Array.isArray(snapshot.listeners));
    const listener = snapshot.listeners.find((l) => l.port === port && l.address === '127.0.0.1');
    assert.equal(listener?.pid, child.pid);
  });
});
