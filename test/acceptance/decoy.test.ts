// Issue 9 items 1 and 3 with real processes, audited through the real CLI on the real /proc:
// - a decoy started by `nobody` under a component's name (`exec -a kubelet`, listening on a port,
//   with a configuration of its own) beside the real root kubelet whose configuration fails;
// - a kube-apiserver whose command line is larger than the 4 MiB read limit, with a static pod
//   manifest that would pass.
// Each test holds the machine-wide live-host lock: the processes it starts must not meet another
// test file's audit of the real /proc, nor theirs ours.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../src/report/types.js';
import { componentBinary } from '../support/component-binary.js';
import { exclusiveHost, removeDir } from '../support/etcd.js';
import { auditOnce, checkOf, describeCheck, FIXTURE_HOSTS } from '../support/cli.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Stays alive, holding nothing: a component that is (re)starting and does not listen yet. */
// Each names itself in /proc/self/comm as a component's executable would be named (node renames its
// thread to MainThread; collect reads comm first), so the attacker here is the strong one who also
// sets comm (prctl PR_SET_NAME), not only argv[0].
const NAME_ITSELF = "require('fs').writeFileSync('/proc/self/comm', process.argv0);";
const HOLD = `${NAME_ITSELF} console.log('named'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30);`;
/** Listens on a free loopback port and prints it: the decoy answers there, as the python3 did. */
const LISTEN = `${NAME_ITSELF} process.on('SIGTERM', () => process.exit(0)); const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port));`;

const KUBELET_CONFIG = (anonymous: boolean, mode: string) =>
  `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: ${anonymous}\nauthorization:\n  mode: ${mode}\nreadOnlyPort: 0\n`;

describe(
  'decoy processes and unreadable command lines (issue 9)',
  { skip: isRoot ? undefined : 'starting processes as nobody needs root' },
  () => {
    let work: string;
    let nobodyHome: string;
    let root: string;
    const running: ChildProcess[] = [];

    before(() => {
      work = mkdtempSync(path.join(tmpdir(), 'scs-decoy-'));
      // The audited root: only the static pod manifest of the item 3 test lives there.
      root = path.join(work, 'root');
      mkdirSync(root);
      // $HOME of the unprivileged user: their scripts and their configuration.
      nobodyHome = path.join(work, 'nobody');
      mkdirSync(nobodyHome);
      writeFileSync(path.join(nobodyHome, 'decoy.js'), LISTEN);
      writeFileSync(path.join(nobodyHome, 'config.yaml'), KUBELET_CONFIG(false, 'Webhook'));
      chownSync(nobodyHome, NOBODY, NOBODY);
      chmodSync(work, 0o755);
      // The real kubelet's script and configuration, root's: anonymous auth on, AlwaysAllow.
      writeFileSync(path.join(work, 'hold.js'), HOLD);
      writeFileSync(path.join(work, 'kubelet-config.yaml'), KUBELET_CONFIG(true, 'AlwaysAllow'));
    });
    after(() => removeDir(work));

    const stopAll = async () => {
      for (const child of running.splice(0)) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    };
    const serial = (fn: () => Promise<void>) => () => exclusiveHost(fn, stopAll);

    function start(command: string, args: string[], options: { argv0?: string; uid?: number } = {}): ChildProcess {
      const child = spawn(command, args, {
        cwd: work,
        env: { PATH: '/usr/bin:/bin' },
        stdio: ['ignore', 'pipe', 'inherit'],
        ...(options.argv0 !== undefined && { argv0: options.argv0 }),
        // libuv drops supplementary groups when it changes uid/gid.
        ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
      });
      running.push(child);
      // Its first line on stdout says it has named itself (set up now, so no line is missed).
      named.set(
        child,
        once(child.stdout, 'data').then(() => undefined),
      );
      return child;
    }
    const named = new WeakMap<ChildProcess, Promise<void>>();

    /**
     * Until the process runs `binary` with its arguments in place: spawn returns before a shell's
     * `exec` is done, and execve switches `exe` before it sets up the new command line.
     */
    async function runs(child: ChildProcess, binary: string): Promise<void> {
      for (let i = 0; i < 200; i += 1) {
        if (child.exitCode !== null) throw new Error(`pid ${child.pid} exited with ${child.exitCode}`);
        try {
          if (
            readlinkSync(`/proc/${child.pid}/exe`) === binary &&
            readFileSync(`/proc/${child.pid}/cmdline`).includes('hold.js')
          )
            return await named.get(child);
        } catch {
          // Not yet there.
        }
        await sleep(25);
      }
      throw new Error(`pid ${child.pid} does not run ${binary}`);
    }

    /** The real kubelet: root, its own root-owned binary, a configuration that fails. Not listening (restarting). */
    async function realKubelet(): Promise<number> {
      const binary = componentBinary('kubelet');
      const child = start(binary, [path.join(work, 'hold.js'), `--config=${path.join(work, 'kubelet-config.yaml')}`], {
        argv0: 'kubelet',
      });
      await runs(child, binary);
      return child.pid!;
    }

    /** `exec -a kubelet <interpreter> <listener> --config=$HOME/config.yaml` as nobody; resolves once it listens. */
    async function decoyKubelet(binary: string): Promise<number> {
      const child = start(
        binary,
        [path.join(nobodyHome, 'decoy.js'), `--config=${path.join(nobodyHome, 'config.yaml')}`],
        { argv0: 'kubelet', uid: NOBODY },
      );
      await named.get(child);
      return child.pid!;
    }

    const audit = (): { report: Report; exitCode: number | null } =>
      auditOnce(['--root', root, '--proc', '/proc', '--config', '/dev/null', '--no-probes']);

    it(
      'fail: nobody starts `exec -a kubelet node` with a passing config, then the real root kubelet (failing config) restarts',
      serial(async () => {
        const decoy = await decoyKubelet(process.execPath);
        const real = await realKubelet();
        const { report, exitCode } = audit();
        for (const id of ['kubelet-anonymous-auth', 'kubelet-authz-webhook']) {
          const check = checkOf(report, id);
          assert.equal(check.status, 'fail', describeCheck(check));
          assert.match(check.message, new RegExp(`kubelet pid ${real}`), describeCheck(check));
          assert.match(check.message, new RegExp(`kubelet pid ${decoy}`), describeCheck(check));
        }
        assert.equal(exitCode, 1);
        const kubelet = report.components.find((c) => c.name === 'kubelet');
        assert.equal(kubelet?.pid, real, JSON.stringify(report.components));
        const decoyEntry = kubelet.processes?.find((p) => p.pid === decoy);
        assert.equal(decoyEntry?.trusted, false, JSON.stringify(kubelet));
        assert.ok(
          decoyEntry.reasons?.some((r) => /named kubelet but runs .*\/node/.test(r)),
          JSON.stringify(decoyEntry),
        );
        assert.ok(
          report.notes.some((n) => n.startsWith(`suspicious process: kubelet pid ${decoy}`) && /uid 65534/.test(n)),
          report.notes.join('\n'),
        );
      }),
    );

    it(
      'fail: nobody runs the genuine root-owned kubelet binary with a passing config beside the real one',
      serial(async () => {
        const decoy = await decoyKubelet(componentBinary('kubelet'));
        const real = await realKubelet();
        const { report } = audit();
        const check = checkOf(report, 'kubelet-anonymous-auth');
        assert.equal(check.status, 'fail', describeCheck(check));
        const kubelet = report.components.find((c) => c.name === 'kubelet');
        assert.deepEqual(
          kubelet?.processes?.map((p) => [p.pid, p.trusted]).sort(),
          [
            [decoy, false],
            [real, true],
          ].sort(),
        );
      }),
    );

    it(
      'unknown: only the decoy runs (the real kubelet is down); it would pass, so the check names it instead',
      serial(async () => {
        const decoy = await decoyKubelet(process.execPath);
        const { report, exitCode } = audit();
        for (const id of ['kubelet-anonymous-auth', 'kubelet-authz-webhook']) {
          const check = checkOf(report, id);
          assert.equal(check.status, 'unknown', describeCheck(check));
          assert.match(
            check.message,
            new RegExp(`suspicious processes \\(kubelet pid ${decoy} \\(uid 65534`),
            describeCheck(check),
          );
        }
        assert.equal(exitCode, 0);
      }),
    );

    it(
      'unknown: a kube-apiserver with a command line over 4 MiB running AlwaysAllow is judged, not replaced by its static pod manifest',
      serial(async () => {
        mkdirSync(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
        // A manifest that passes every authorization check (kubeadm's, from a fixture).
        copyFileSync(
          path.join(FIXTURE_HOSTS, 'kubeadm-1.34-control-plane/etc/kubernetes/manifests/kube-apiserver.yaml'),
          path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'),
        );
        const binary = componentBinary('kube-apiserver');
        // execve allows a 4+ MiB argv only with a large stack limit (the kernel allows a quarter of
        // RLIMIT_STACK, at most 6 MiB: fs/exec.c); one argument may hold at most 128 KiB.
        const script = [
          'ulimit -s unlimited',
          'big=$(head -c 130000 /dev/zero | tr "\\0" x)',
          'args=()',
          'for i in $(seq 40); do args+=("--flag-$i=$big"); done',
          `exec -a kube-apiserver ${binary} ${path.join(work, 'hold.js')} --authorization-mode=AlwaysAllow "\${args[@]}"`,
        ].join('\n');
        const child = start('/bin/bash', ['-c', script]);
        await runs(child, binary);
        const pid = child.pid!;
        assert.ok(
          readFileSync(`/proc/${pid}/cmdline`).length > 4 * 1024 * 1024,
          'the command line is over the read limit',
        );

        const { report } = audit();
        for (const id of ['apiserver-authz-policy', 'apiserver-authz-node', 'apiserver-authn-second-method']) {
          const check = checkOf(report, id);
          assert.equal(check.status, 'unknown', describeCheck(check));
          assert.match(
            check.message,
            new RegExp(`kube-apiserver \\(pid ${pid}\\) runs, but its command line .*larger than the 4 MiB read limit`),
            describeCheck(check),
          );
        }
        const apiserver = report.components.find((c) => c.name === 'kube-apiserver');
        assert.deepEqual([apiserver?.pid, apiserver?.source], [pid, 'process']);
        assert.ok(!report.notes.some((n) => /audited its static pod manifest/.test(n)), report.notes.join('\n'));
      }),
    );
  },
);
