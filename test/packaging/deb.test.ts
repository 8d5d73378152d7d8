// The Debian package as an operator meets it: built from scratch by packaging/build.sh, installed
// with dpkg, run from the installed path, removed with the config kept, then purged.
// Needs root and dpkg (CI has both); elsewhere the suite says why it does not run.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const canInstall = process.getuid?.() === 0 && spawnSync('dpkg', ['--version']).status === 0;
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const deb = path.join(repoRoot, 'out', `scs-node-audit_${version}_amd64.deb`);
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
const rootfs = path.join(repoRoot, 'out', 'rootfs');
/** Run the image's entry point as a container runtime would: chrooted into its tree, an empty environment. */
const inImage = (args: string[]) =>
  spawnSync('/usr/sbin/chroot', [rootfs, '/usr/bin/scs-node-audit', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {},
  });

describe('Debian package', { skip: canInstall ? false : 'needs root and dpkg to install a package' }, () => {
  it('builds from scratch: executable, units, conffile, docs, man page', { timeout: 300_000 }, () => {
    execFileSync('bash', [path.join(repoRoot, 'packaging/build.sh')], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const listing = run('dpkg-deb', ['--contents', deb]).stdout;
    for (const file of [
      './usr/bin/scs-node-audit',
      './lib/systemd/system/scs-node-audit.service',
      './lib/systemd/system/scs-node-audit-once.service',
      './lib/systemd/system/scs-node-audit-once.timer',
      './etc/scs-node-audit/config.yaml',
      './usr/share/doc/scs-node-audit/copyright',
      './usr/share/doc/scs-node-audit/changelog.gz',
      './usr/share/man/man1/scs-node-audit.1.gz',
    ]) {
      assert.ok(listing.includes(file), `${file} missing from the package`);
    }
    assert.equal(run('dpkg-deb', ['--field', deb, 'Package']).stdout.trim(), 'scs-node-audit');
    assert.equal(run('dpkg-deb', ['--ctrl-tarfile', deb]).status, 0);
  });

  it(
    'the container image tree (out/rootfs, FROM scratch) starts: --version and --once in a chroot, as the DaemonSet runs it',
    { timeout: 120_000 },
    () => {
      const files = run('find', [rootfs, '-type', 'f', '-printf', '/%P\\n']).stdout.trim().split('\n').sort();
      // Exactly the executable and what ldd lists for it (the vDSO has no file).
      const ldd = run('ldd', [path.join(repoRoot, 'out', 'scs-node-audit')]).stdout;
      const libraries = [...ldd.matchAll(/(?:=> )?(\/\S+) \(0x/g)].map((m) => m[1]!);
      assert.deepEqual(files, ['/usr/bin/scs-node-audit', ...libraries].sort());
      assert.match(
        readFileSync(path.join(repoRoot, 'packaging/container/Containerfile'), 'utf8'),
        /^FROM scratch\nCOPY out\/rootfs\/ \/$/m,
      );

      const versionRun = inImage(['--version']);
      assert.equal(versionRun.status, 0, versionRun.stderr);
      assert.match(versionRun.stdout, new RegExp(`^scs-node-audit ${version.replaceAll('.', '\\.')} `));

      // The host root mounted at /host, as in packaging/kubernetes/daemonset.yaml.
      const host = path.join(rootfs, 'host');
      cpSync(path.join(repoRoot, 'test/fixtures/hosts/kubeadm-1.36-worker'), host, { recursive: true });
      try {
        const once = inImage([
          '--once',
          '--no-probes',
          '--root=/host',
          '--config=/host/audit-config.yaml',
          '--format=json',
          '--expect=kubelet',
        ]);
        assert.equal(once.status, 0, once.stderr);
        const report = JSON.parse(once.stdout) as {
          host: { hostname: string };
          components: { name: string }[];
          checks: unknown[];
        };
        assert.equal(report.host.hostname, 'worker-1');
        assert.deepEqual(report.components.map((c) => c.name).sort(), ['kube-proxy', 'kubelet']);
        assert.equal(report.checks.length, 28);
      } finally {
        rmSync(host, { recursive: true, force: true });
        mkdirSync(host);
      }

      // The failure the distroless image had (Node 26 needed libatomic.so.1, which cc-debian12
      // lacks): a library ldd lists is missing and the loader gives up (exit 127). libstdc++ stands
      // for any of them here; the tree above is exactly the ldd closure of the runtime it ships.
      const libstdcxx = path.join(
        rootfs,
        files.find((f) => f.endsWith('/libstdc++.so.6'))!,
      );
      renameSync(libstdcxx, `${libstdcxx}.away`);
      try {
        const broken = inImage(['--version']);
        assert.equal(broken.status, 127, broken.stderr);
        assert.match(broken.stderr, /libstdc\+\+\.so\.6/);
      } finally {
        renameSync(`${libstdcxx}.away`, libstdcxx);
      }
    },
  );

  it(
    'installs, audits this host from /usr/bin, keeps an edited config on removal, purges cleanly',
    { timeout: 120_000 },
    () => {
      run('dpkg', ['--purge', 'scs-node-audit']);
      const install = run('dpkg', ['-i', deb]);
      assert.equal(install.status, 0, install.stderr);
      try {
        assert.equal(run('getent', ['passwd', 'scs-node-audit']).status, 0, 'postinst creates the system user');
        assert.match(
          run('dpkg-query', ['-W', '-f', '${Conffiles}', 'scs-node-audit']).stdout,
          /\/etc\/scs-node-audit\/config\.yaml/,
        );

        const audit = run('/usr/bin/scs-node-audit', ['--once', '--no-probes', '--format', 'json']);
        assert.equal(audit.status, 0, audit.stderr);
        const report = JSON.parse(audit.stdout) as { tool: { version: string }; checks: { status: string }[] };
        assert.equal(report.tool.version, version);
        assert.equal(report.checks.length, 28);

        assert.match(run('/usr/bin/scs-node-audit', ['--help']).stdout, /--once/);
        assert.equal(run('/usr/bin/scs-node-audit', ['--version']).status, 0);

        // The --help example works on a fresh install: the package brings the directory (issue 11).
        const example = run('/usr/bin/scs-node-audit', [
          '--once',
          '--no-probes',
          '--format',
          'json',
          '--output',
          '/var/lib/scs-node-audit/report.json',
        ]);
        assert.equal(example.status, 0, example.stderr);
        assert.equal(
          (JSON.parse(readFileSync('/var/lib/scs-node-audit/report.json', 'utf8')) as { schemaVersion: number })
            .schemaVersion,
          1,
        );

        // A real man page, not --help pasted: the sections man-pages(7) expects, and a date.
        const manPage = run('sh', ['-c', 'zcat /usr/share/man/man1/scs-node-audit.1.gz']).stdout;
        assert.match(manPage, /^\.TH SCS\\-NODE\\-AUDIT 1 \d{4}-\d{2}-\d{2} /m);
        for (const heading of [
          'NAME',
          'SYNOPSIS',
          'DESCRIPTION',
          'OPTIONS',
          'EXIT STATUS',
          'ENVIRONMENT',
          'FILES',
          'SEE ALSO',
        ]) {
          assert.match(manPage, new RegExp(`^\\.SH ${heading}$`, 'm'), heading);
        }

        // What the README tells operators to keep in /etc/scs-node-audit.
        writeFileSync('/etc/scs-node-audit/tls.key', 'operator key\n', { mode: 0o600 });

        writeFileSync('/etc/scs-node-audit/config.yaml', 'network:\n  internalCIDRs: [10.0.0.0/8]\n');
        assert.equal(run('dpkg', ['-r', 'scs-node-audit']).status, 0);
        assert.ok(!existsSync('/usr/bin/scs-node-audit'), 'removal removes the executable');
        assert.match(
          readFileSync('/etc/scs-node-audit/config.yaml', 'utf8'),
          /10\.0\.0\.0\/8/,
          'removal keeps the edited config',
        );
      } finally {
        const purge = run('dpkg', ['--purge', 'scs-node-audit']);
        assert.equal(purge.status, 0, purge.stderr);
      }
      try {
        assert.ok(!existsSync('/etc/scs-node-audit/config.yaml'), "purge removes the package's config file");
        assert.deepEqual(
          readdirSync('/etc/scs-node-audit'),
          ['tls.key'],
          "purge keeps the operator's own files (issue 11)",
        );
        assert.equal(readFileSync('/etc/scs-node-audit/tls.key', 'utf8'), 'operator key\n');
        assert.ok(!existsSync('/var/lib/scs-node-audit'), "purge removes the package's state directory");
      } finally {
        rmSync('/etc/scs-node-audit', { recursive: true, force: true });
      }
      assert.notEqual(run('getent', ['passwd', 'scs-node-audit']).status, 0, 'purge removes the system user');
    },
  );

  it(
    'lintian finds no error and no warning (the few accepted tags are explained in the shipped overrides)',
    { skip: spawnSync('lintian', ['--version']).status === 0 ? false : 'lintian is not installed', timeout: 300_000 },
    () => {
      const result = run('lintian', ['--tag-display-limit', '0', deb]);
      const findings = result.stdout.split('\n').filter((line) => /^[EW]:/.test(line));
      assert.deepEqual(findings, [], result.stdout);
    },
  );
});
