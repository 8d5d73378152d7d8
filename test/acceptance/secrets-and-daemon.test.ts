// Acceptance (DESIGN rules, issues 2 and 3): the real command line never logs or exports a secret,
// and the real daemon (not a stand-in audit) keeps its promises: /readyz 503 until the first
// audit, SIGHUP with a broken config keeps the old one (also for later audits), SIGTERM exits 0
// within 5 s.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeComponent } from '../probes/fake-component.js';
import { spawnCliDaemon, type DaemonProcess } from '../server/spawn-daemon.js';
import { createTestPki, etcdUnavailable, exclusiveHost, freePort, removeDir, type TestPki } from '../support/etcd.js';
import { copyFixture, runCli } from '../support/cli.js';
import { get } from '../support/http.js';

const TOKEN = 'scs-acceptance-bearer-token-8c1f0e2d9b';
const PASSWORD = 'scs-acceptance-password-Q7w!x2';
const KEY_DATA = Buffer.from('scs-acceptance-client-key-data-5e6f').toString('base64');
const ENV_PASSWORD = 'scs-acceptance-env-secret-91ab';
const STATIC_TOKEN = 'scs-acceptance-static-token-3d4c';
const ETCD_PID = 1190;
const APISERVER_PID = 1210;

async function stopDaemon(
  daemon: DaemonProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const sent = Date.now();
  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  return { ...exit, ms: Date.now() - sent };
}

describe('secrets planted in a fake root never reach a report, the metrics, the status page or the logs', () => {
  const { work, root } = copyFixture('kubeadm-1.34-control-plane', 'scs-acceptance-secrets-');
  after(() => removeDir(work));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyBody = keyPem.split('\n')[1]!;
  const secrets = [TOKEN, PASSWORD, KEY_DATA, ENV_PASSWORD, STATIC_TOKEN, keyBody];

  // kubeconfig: a bearer token, basic-auth credentials and inline key data beside the file references.
  const kubeconfig = path.join(root, 'etc/kubernetes/kubelet.conf');
  writeFileSync(
    kubeconfig,
    readFileSync(kubeconfig, 'utf8').replace(
      '    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n',
      `    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key-data: ${KEY_DATA}\n    token: ${TOKEN}\n    username: admin\n    password: ${PASSWORD}\n`,
    ),
  );
  // Private keys where certificates are read: the kubelet rotation file (as on a real node) and a CA file.
  appendFileSync(path.join(root, 'var/lib/kubelet/pki/kubelet-client-2026-11-20-06-00-41.pem'), keyPem);
  appendFileSync(path.join(root, 'etc/kubernetes/pki/ca.crt'), keyPem);
  // Environment of etcd, whose ETCD_* variables collect reads.
  appendFileSync(
    path.join(root, `proc/${ETCD_PID}/environ`),
    `ETCDCTL_PASSWORD=${ENV_PASSWORD}\0ETCD_ROOT_PASSWORD=${ENV_PASSWORD}\0`,
  );
  // A static token file named by the apiserver.
  writeFileSync(path.join(root, 'etc/kubernetes/tokens.csv'), `${STATIC_TOKEN},admin,1,"system:masters"\n`);
  const cmdline = path.join(root, `proc/${APISERVER_PID}/cmdline`);
  writeFileSync(cmdline, `${readFileSync(cmdline, 'utf8')}--token-auth-file=/etc/kubernetes/tokens.csv\0`);

  const config = path.join(root, 'audit-config.yaml');
  const assertClean = (what: string, text: string) => {
    assert.ok(text.length > 0, `${what} is empty`);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${what} contains the planted secret ${secret}`);
    assert.doesNotMatch(text, /PRIVATE KEY/, what);
  };

  for (const format of ['text', 'json', 'junit', 'prometheus']) {
    it(`--once --format ${format} (stdout and stderr, log level debug)`, () => {
      const run = runCli(['--once', '--root', root, '--config', config, '--format', format, '--log.level', 'debug']);
      assert.ok(run.status === 0 || run.status === 1, run.stderr);
      assertClean(`--format ${format}`, run.stdout + run.stderr);
    });
  }

  it('the audit saw the planted files (the test is not vacuous): the static token file is named, the kubeconfig read', () => {
    const run = runCli(['--once', '--root', root, '--config', config, '--format', 'json']);
    const report = JSON.parse(run.stdout) as {
      checks: { id: string; status: string; message: string; evidence: { detail: string }[] }[];
    };
    const identity = report.checks.find((c) => c.id === 'kubelet-node-identity')!;
    assert.equal(identity.status, 'pass', identity.message);
    const second = report.checks.find((c) => c.id === 'apiserver-authn-second-method')!;
    assert.match(JSON.stringify(second), /token-auth-file|static token/i);
  });

  it('the daemon: /metrics, /report, / and every log line at debug level', { timeout: 60_000 }, async () => {
    const daemon = await spawnCliDaemon([
      '--root',
      root,
      '--config',
      config,
      '--listen',
      '127.0.0.1:0',
      '--log.format',
      'json',
      '--log.level',
      'debug',
    ]);
    try {
      await daemon.waitForLine((line) => line.msg === 'audit finished', 20_000);
      for (const urlPath of ['/metrics', '/report', '/']) {
        const answer = await get(daemon.address, urlPath);
        assert.equal(answer.status, 200, urlPath);
        assertClean(`daemon ${urlPath}`, answer.body);
      }
      daemon.child.kill('SIGHUP');
      await daemon.waitForLine((line) => line.msg === 'configuration reloaded', 10_000);
    } finally {
      const exit = await stopDaemon(daemon);
      assert.equal(exit.code, 0);
    }
    assertClean('daemon logs', daemon.lines.map((l) => JSON.stringify(l)).join('\n'));
  });
});

describe('the real daemon (scs-node-audit without --once)', () => {
  it(
    'SIGHUP with a broken config: an error line naming the key, and the old config keeps deciding later audits; SIGTERM exits 0 within 5 s',
    { timeout: 60_000 },
    async () => {
      const { work, root } = copyFixture('kubeadm-1.34-control-plane', 'scs-acceptance-reload-');
      after(() => removeDir(work));
      const config = path.join(work, 'config.yaml');
      // Declaring the node network internal is what makes network-exposure pass on this fixture.
      writeFileSync(config, 'network:\n  internalCIDRs: [10.0.0.0/16]\ninterval: 5s\n');
      const daemon = await spawnCliDaemon([
        '--root',
        root,
        '--config',
        config,
        '--listen',
        '127.0.0.1:0',
        '--log.format',
        'json',
        '--log.level',
        'debug',
      ]);
      try {
        await daemon.waitForLine((line) => line.msg === 'audit finished', 20_000);
        const status = async (id: string) =>
          (
            JSON.parse((await get(daemon.address, '/report')).body) as { checks: { id: string; status: string }[] }
          ).checks.find((c) => c.id === id)?.status;
        assert.equal(await status('network-exposure'), 'pass');

        writeFileSync(config, 'network:\n  internalCIDRs: [nope]\ninterval: 5s\n');
        const mark = daemon.lines.length;
        daemon.child.kill('SIGHUP');
        const rejected = await daemon.waitForLine((line) => /reload rejected/.test(String(line.msg)), 10_000, mark);
        assert.equal(rejected.level, 'error');
        assert.match(String(rejected.key), /^network\.internalCIDRs/);
        assert.ok(String(rejected.err).includes(config), `the line names the file: ${JSON.stringify(rejected)}`);

        // The next timer audit (interval 5s from the old config) still runs with the old internalCIDRs.
        await daemon.waitForLine((line) => line.msg === 'audit finished', 15_000, daemon.lines.length);
        assert.equal(await status('network-exposure'), 'pass', 'the old config still decides');
        assert.equal((await get(daemon.address, '/readyz')).status, 200);
      } finally {
        const exit = await stopDaemon(daemon);
        assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
        assert.ok(exit.ms < 5_000, `exited ${exit.ms} ms after SIGTERM`);
      }
    },
  );

  it(
    '/readyz and /report answer 503 while the first audit runs, /healthz 200; then 200',
    { skip: etcdUnavailable(), timeout: 120_000 },
    async () => {
      // The first audit is made slow by a kubelet-like process whose port accepts and never answers:
      // its probes wait their 2 s budget, which holds the daemon before its first report.
      let pki: TestPki | undefined;
      const stops: (() => void | Promise<void>)[] = [];
      const work = mkdtempSync(path.join(tmpdir(), 'scs-acceptance-readyz-'));
      after(() => {
        removeDir(work);
        if (pki) removeDir(pki.dir);
      });
      await exclusiveHost(
        async () => {
          pki = createTestPki();
          const port = await freePort();
          const kubelet = await startFakeComponent(
            'kubelet',
            ['--anonymous-auth=false', '--authorization-mode=Webhook', `--port=${port}`, '--read-only-port=0'],
            [{ host: '0.0.0.0', port, mode: 'silent' }],
            pki,
          );
          stops.push(() => kubelet.stop());
          const daemon = await spawnCliDaemon([
            '--config',
            '/dev/null',
            '--listen',
            '127.0.0.1:0',
            '--log.format',
            'json',
            '--log.level',
            'debug',
          ]);
          stops.push(() => {
            if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
          });
          const early = {
            readyz: await get(daemon.address, '/readyz'),
            report: await get(daemon.address, '/report'),
            healthz: await get(daemon.address, '/healthz'),
          };
          const firstDone = daemon.lines.some((l) => l.msg === 'audit finished');
          assert.ok(!firstDone, 'the first audit was already over; the test could not observe the window');
          assert.equal(early.readyz.status, 503);
          assert.equal(early.report.status, 503);
          assert.equal(early.healthz.status, 200);
          await daemon.waitForLine((line) => line.msg === 'audit finished', 20_000);
          assert.equal((await get(daemon.address, '/readyz')).status, 200);
          const report = JSON.parse((await get(daemon.address, '/report')).body) as {
            components: { name: string; pid: number }[];
          };
          assert.equal(report.components.find((c) => c.name === 'kubelet')?.pid, kubelet.pid);
          const exit = await stopDaemon(daemon);
          assert.equal(exit.code, 0);
          assert.ok(exit.ms < 5_000, `exited ${exit.ms} ms after SIGTERM`);
        },
        async () => {
          for (const stop of stops.splice(0)) await stop();
        },
      );
    },
  );
});
