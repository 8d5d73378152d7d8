// The command line as a user meets it: spawn the real entry point, read stdout, stderr and the exit code.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../src/audit.js';
import { parseCommandLine, wantsColor } from '../src/command-line.js';
import { STATUSES, LEVELS } from '../src/checks/types.js';
import { CHECKS } from '../src/checks/index.js';
import { REPORT_KEYS } from './support/sample-report.js';

// From source (tsx) the entry point is src/cli.ts; after `tsc` the tests run from dist/test/.
const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');
const repo = fromSource ? path.resolve(here, '..') : path.resolve(here, '..', '..');
const entry = fromSource
  ? [path.join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs'), path.join(repo, 'src', 'cli.ts')]
  : [path.join(repo, 'dist', 'src', 'cli.js')];
const nodeArgs = fromSource ? ['--import', entry[0]!, entry[1]!] : [entry[0]!];

const work = mkdtempSync(path.join(tmpdir(), 'scs-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));
const emptyConfig = path.join(work, 'empty.yaml');
writeFileSync(emptyConfig, '');

/** A fake host with no Kubernetes at all: a proc tree with only network tables (DESIGN §2 fake roots). */
const fakeRoot = path.join(work, 'root');
mkdirSync(path.join(fakeRoot, 'proc', 'net'), { recursive: true });
const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
writeFileSync(path.join(fakeRoot, 'proc', 'net', 'tcp'), TCP_HEADER);
writeFileSync(path.join(fakeRoot, 'proc', 'net', 'tcp6'), TCP_HEADER);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  // No stdin, as in CI; NO_COLOR unset unless a test sets it.
  const { NO_COLOR: _ignored, FORCE_COLOR: _ignored2, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [...nodeArgs, ...args], {
    cwd: work,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One line on stderr, prefixed with the program name, naming each of `mentions`. */
function assertOneLineErrorOn(stderr: string, ...mentions: string[]): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line of stderr: ${stderr}`);
  assert.match(lines[0]!, /^scs-node-audit: /);
  for (const m of mentions) assert.ok(lines[0]!.includes(m), `"${lines[0]}" names ${m}`);
}

/** Every error is one line on stderr, prefixed with the program name. */
function assertOneLineError(run: Run, ...mentions: string[]): void {
  assert.equal(run.stdout, '', 'nothing on stdout');
  assertOneLineErrorOn(run.stderr, ...mentions);
}

describe('scs-node-audit --help and --version', () => {
  it('--help exits 0 and explains flags, defaults, exit codes, config path and examples', () => {
    const run = cli(['--help']);
    assert.equal(run.status, 0, run.stderr);
    for (const text of [
      '--once',
      '--format',
      '--fail-on',
      '--no-probes',
      '--root',
      '--proc',
      '--config',
      '--listen',
      '--web.config.file',
      '--interval',
      '--log.level',
      '--log.format',
      '--version',
      '(default: text)',
      '(default: must)',
      '127.0.0.1:20217',
      '/etc/scs-node-audit/config.yaml',
      'Exit codes',
      'Examples',
    ]) {
      assert.ok(run.stdout.includes(text), `--help mentions ${text}`);
    }
    assert.match(run.stdout, /^ {2}3 {2}the audit could not run/m);
  });

  it('--version prints the package.json version', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    assert.equal(TOOL_VERSION, pkg.version, 'src/audit.ts TOOL_VERSION = package.json version');
    const run = cli(['--version']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, new RegExp(`^scs-node-audit ${pkg.version.replace(/\./g, '\\.')} `));
  });
});

describe('scs-node-audit: bad usage exits 2 naming the flag or key', () => {
  const cases: { name: string; args: string[]; mentions: string[] }[] = [
    { name: 'unknown flag', args: ['--once', '--bogus'], mentions: ['unknown flag --bogus'] },
    { name: 'unknown short flag', args: ['-x'], mentions: ['-x'] },
    { name: 'kube-bench style flag', args: ['--json'], mentions: ['--json'] },
    { name: 'positional argument', args: ['--once', 'check'], mentions: ['"check"'] },
    {
      name: 'flag given twice',
      args: ['--once', '--format', 'json', '--format=text'],
      mentions: ['--format', 'more than once'],
    },
    { name: 'missing value', args: ['--once', '--format'], mentions: ['--format'] },
    { name: 'value for a boolean flag', args: ['--once=false'], mentions: ['--once'] },
    {
      name: 'bad --format',
      args: ['--once', '--format', 'xml', '--config', emptyConfig],
      mentions: ['--format', '"xml"'],
    },
    {
      name: 'bad --fail-on',
      args: ['--once', '--fail-on', 'high', '--config', emptyConfig],
      mentions: ['--fail-on', '"high"'],
    },
    {
      name: 'bad --interval',
      args: ['--interval', '1s', '--config', emptyConfig],
      mentions: ['--interval', 'minimum 5s'],
    },
    {
      name: 'missing named config',
      args: ['--once', '--config', path.join(work, 'absent.yaml')],
      mentions: ['absent.yaml', 'cannot read config file'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = cli(c.args);
      assert.equal(run.status, 2, run.stderr);
      assertOneLineError(run, ...c.mentions);
    });
  }

  it('a hostile flag name is shown escaped, on one line', () => {
    const run = cli(['--\u001b[2Jx\ny']);
    assert.equal(run.status, 2);
    assertOneLineError(run, '--\\x1b[2Jx\\ny');
    assert.ok(!run.stderr.includes('\u001b'));
  });

  it('an invalid config file: exit 2 naming the file and the key path', () => {
    const bad = path.join(work, 'bad-cidr.yaml');
    writeFileSync(bad, 'network:\n  internalCIDRs: [10.0.0.0/8, 10.0.0.0/33]\n');
    const run = cli(['--once', '--config', bad]);
    assert.equal(run.status, 2);
    assertOneLineError(run, bad, 'network.internalCIDRs[1]', '"10.0.0.0/33" is not a CIDR');
  });

  it('an unknown config key: exit 2 naming it', () => {
    const bad = path.join(work, 'typo.yaml');
    writeFileSync(bad, 'probes:\n  timeout: 5\n');
    const run = cli(['--once', '--config', bad]);
    assert.equal(run.status, 2);
    assertOneLineError(run, 'probes.timeout', 'unknown key');
  });
});

describe('scs-node-audit --once', () => {
  const base = ['--once', '--no-probes', '--config', emptyConfig, '--root', fakeRoot];

  it('a host without Kubernetes: exit 0, every check skip, and the report says no component was found', () => {
    const run = cli(base);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /not a Kubernetes node/);
    assert.match(run.stdout, /components: none found/);
    assert.match(
      run.stdout,
      new RegExp(`^0 passed, 0 failed, 0 unknown, ${CHECKS.length} skipped, 0 errors — not a Kubernetes node$`, 'm'),
    );
    assert.ok(!run.stdout.includes('\u001b'), 'no colour into a pipe');
  });

  it('this machine, through the real /proc: a verdict whose exit code matches the report', (t) => {
    const run = cli(['--once', '--no-probes', '--config', emptyConfig, '--format', 'json']);
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      components: { name: string }[];
      checks: { status: string }[];
      notes: string[];
      summary: { compliant: boolean | null };
    };
    if (report.components.length > 0) {
      t.skip(`this machine runs ${report.components.map((c) => c.name).join(', ')}: not a host without Kubernetes`);
      return;
    }
    assert.equal(run.status, 0);
    assert.deepEqual([...new Set(report.checks.map((c) => c.status))], ['skip']);
    assert.ok(
      report.notes.some((n) => /not a Kubernetes node/.test(n)),
      report.notes.join('; '),
    );
  });

  it('--format json is the DESIGN §4 document: every key present, with its type', () => {
    const run = cli([...base, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- a parsed document whose every key and type this test checks one by one */
    const doc = JSON.parse(run.stdout) as Record<string, any>;
    assert.deepEqual(Object.keys(doc), REPORT_KEYS);
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(doc.tool, { name: 'scs-node-audit', version: TOOL_VERSION });
    assert.deepEqual(doc.standard, { id: 'scs-0217', version: 'v1' });
    assert.equal(typeof doc.host.hostname, 'string');
    assert.deepEqual(doc.host.roles, []);
    assert.ok(!Number.isNaN(Date.parse(doc.startedAt)) && doc.startedAt === new Date(doc.startedAt).toISOString());
    assert.ok(typeof doc.durationMs === 'number' && doc.durationMs >= 0);
    assert.deepEqual(doc.components, []);
    assert.ok(Array.isArray(doc.notes) && doc.notes.every((n: unknown) => typeof n === 'string'));
    assert.deepEqual(
      doc.checks.map((c: { id: string }) => c.id),
      CHECKS.map((c) => c.id),
    );
    for (const check of doc.checks) {
      assert.deepEqual(Object.keys(check), [
        'id',
        'title',
        'level',
        'component',
        'status',
        'message',
        'evidence',
        'remediation',
      ]);
      assert.ok(LEVELS.includes(check.level) && STATUSES.includes(check.status), check.id);
      assert.ok(['kube-apiserver', 'etcd', 'kubelet', 'node'].includes(check.component), check.id);
      assert.ok(
        typeof check.title === 'string' && typeof check.message === 'string' && typeof check.remediation === 'string',
      );
      assert.ok(Array.isArray(check.evidence));
    }
    /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access */
    assert.deepEqual(doc.summary, {
      pass: 0,
      fail: 0,
      skip: CHECKS.length,
      unknown: 0,
      error: 0,
      compliant: null,
      waived: 0,
    });
  });

  it('--format junit is one document with a testsuite per component', () => {
    const run = cli([...base, '--format', 'junit']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.equal((run.stdout.match(/<testcase /g) ?? []).length, CHECKS.length);
  });

  it('--format prometheus prints the metrics of the run', () => {
    const run = cli([...base, '--format', 'prometheus']);
    assert.equal(run.status, 0, run.stderr);
    // Not a Kubernetes node: neither compliant nor not, so no sample at all (README "Metrics").
    assert.doesNotMatch(run.stdout, /^scs_node_audit_compliant /m);
    assert.match(
      run.stdout,
      /^scs_node_audit_check_status\{check_id="kubelet-anonymous-auth",component="kubelet",level="MUST",status="skip"\} 1$/m,
    );
  });

  it('--output writes the file atomically with mode 0644, replacing an old one, leaving no temp file', () => {
    const outDir = path.join(work, 'out');
    mkdirSync(outDir);
    const target = path.join(outDir, 'report.json');
    writeFileSync(target, 'old report', { mode: 0o600 });
    const run = cli([...base, '--format', 'json', '--output', target]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '', 'the report went to the file, not stdout');
    const written = JSON.parse(readFileSync(target, 'utf8')) as { schemaVersion: number };
    assert.equal(written.schemaVersion, 1);
    assert.equal(statSync(target).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(outDir), ['report.json']);
  });

  it('--output into a missing directory: exit 3 naming the file and the missing directory, not a temp file', () => {
    const target = path.join(work, 'no-such-dir', 'report.json');
    const run = cli([...base, '--output', target]);
    assert.equal(run.status, 3);
    assertOneLineError(run, '--output', target, `the directory ${path.join(work, 'no-such-dir')} does not exist`);
    assert.doesNotMatch(run.stderr, /\.tmp/, "the temp file is ours, not the operator's business");
  });

  it('--output naming a directory: exit 3, and the temp file is removed', () => {
    const outDir = path.join(work, 'out-dir');
    mkdirSync(path.join(outDir, 'report.json'), { recursive: true });
    const run = cli([...base, '--output', path.join(outDir, 'report.json')]);
    assert.equal(run.status, 3);
    assertOneLineError(run, '--output');
    assert.deepEqual(readdirSync(outDir), ['report.json']);
  });

  it('--expect kubelet on a host where none is found: exit 1 (even with --fail-on never), a clear line, and a note in the report', () => {
    const run = cli([...base, '--expect', 'kubelet', '--fail-on', 'never']);
    assert.equal(run.status, 1, run.stderr);
    assertOneLineErrorOn(run.stderr, '--expect: kubelet not found on this host', 'hostPID');
    assert.match(run.stdout, /^note: +--expect: kubelet not found on this host/m, 'the report says why');
    const json = cli([...base, '--expect', 'kubelet,etcd', '--format', 'json']);
    assert.equal(json.status, 1);
    assert.ok(
      (JSON.parse(json.stdout) as { notes: string[] }).notes.some((note) =>
        note.startsWith('--expect: kubelet, etcd not found'),
      ),
    );
  });

  it('--expect: the config key does the same; a component that is there passes', () => {
    const config = path.join(work, 'expect.yaml');
    writeFileSync(config, 'expect: [kubelet]\n');
    const run = cli(['--once', '--no-probes', '--config', config, '--root', fakeRoot]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /--expect: kubelet not found/);
    const worker = path.join(repo, 'test', 'fixtures', 'hosts', 'kubeadm-1.36-worker');
    const found = cli([
      '--once',
      '--no-probes',
      '--config',
      emptyConfig,
      '--root',
      worker,
      '--fail-on',
      'never',
      '--expect',
      'kubelet',
    ]);
    assert.equal(found.status, 0, found.stderr);
    assert.equal(found.stderr, '');
    const etcd = cli([
      '--once',
      '--no-probes',
      '--config',
      emptyConfig,
      '--root',
      worker,
      '--fail-on',
      'never',
      '--expect',
      'kubelet,etcd',
    ]);
    assert.equal(etcd.status, 1);
    assert.match(etcd.stderr, /--expect: etcd not found/);
  });

  it('--hide-skipped drops the skip rows of the text report', () => {
    const shown = cli(base);
    assert.match(shown.stdout, /^ {2}SKIP /m);
    const run = cli([...base, '--hide-skipped']);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /^ {2}SKIP /m);
    assert.match(run.stdout, new RegExp(`^${CHECKS.length} skipped checks not shown \\(--hide-skipped\\)\\.$`, 'm'));
  });

  it('colour: FORCE_COLOR colours a pipe, NO_COLOR and --color=never do not, --color=always wins over NO_COLOR', () => {
    const ESC = '\u001b[';
    assert.ok(!cli(base).stdout.includes(ESC), 'a pipe: no colour');
    assert.ok(cli(base, { FORCE_COLOR: '1' }).stdout.includes(ESC), 'FORCE_COLOR=1');
    assert.ok(!cli(base, { FORCE_COLOR: '0' }).stdout.includes(ESC), 'FORCE_COLOR=0');
    assert.ok(
      !cli([...base, '--color=never'], { FORCE_COLOR: '1' }).stdout.includes(ESC),
      '--color=never beats FORCE_COLOR',
    );
    assert.ok(
      cli([...base, '--color', 'always'], { NO_COLOR: '1' }).stdout.includes(ESC),
      '--color=always beats NO_COLOR',
    );
    const bad = cli([...base, '--color', 'sometimes']);
    assert.equal(bad.status, 2);
    assertOneLineError(bad, '--color', 'sometimes');
  });

  it('--proc that cannot be read: exit 3 naming it, no report', () => {
    const run = cli(['--once', '--no-probes', '--config', emptyConfig, '--proc', '/nonexistent']);
    assert.equal(run.status, 3);
    assertOneLineError(run, '/nonexistent', 'could not run');
  });
});

/** Start the daemon on the host without Kubernetes; resolves with its bound address once it logs "listening". */
async function startDaemon(
  t: { after: (fn: () => void) => void },
  listen: string[],
): Promise<{ child: ReturnType<typeof spawn>; address: string }> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--no-probes', '--config', emptyConfig, '--root', fakeRoot, ...listen],
    { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line: ${stdout}`)), 20_000);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /msg=listening address=(\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { child, address };
}

describe('scs-node-audit without --once (the daemon)', () => {
  it('serves the report on loopback and exits 0 on SIGTERM', async (t) => {
    const { child, address } = await startDaemon(t, ['--listen', '127.0.0.1:0']);
    assert.match(address, /^127\.0\.0\.1:\d+$/, 'loopback');
    let report: { summary?: { skip: number } } = {};
    for (let attempt = 0; attempt < 50 && report.summary === undefined; attempt += 1) {
      const response = await fetch(`http://${address}/report`);
      if (response.ok) report = (await response.json()) as typeof report;
      else await new Promise((r) => setTimeout(r, 100)); // before the first audit: 503
    }
    assert.equal(report.summary?.skip, CHECKS.length);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  });
});

describe('parseCommandLine', () => {
  it('splits --once/--config from the settings flags', () => {
    const parsed = parseCommandLine([
      '--once',
      '--config=/c.yaml',
      '--format',
      'json',
      '--web.config.file',
      '/w.yml',
      '--no-probes',
    ]);
    assert.deepEqual(parsed, {
      ok: true,
      once: true,
      help: false,
      version: false,
      configPath: '/c.yaml',
      flags: { format: 'json', 'web.config.file': '/w.yml', 'no-probes': true },
    });
  });
});

describe("--web.listen-address, node_exporter's name for --listen", () => {
  it('sets the listen address; given with --listen it is a usage error; a bad value names the flag used', () => {
    const parsed = parseCommandLine(['--web.listen-address', '0.0.0.0:20217']);
    assert.ok(parsed.ok);
    assert.equal(parsed.flags.listen, '0.0.0.0:20217');
    const both = parseCommandLine(['--listen', ':1', '--web.listen-address=:2']);
    assert.ok(!both.ok);
    assert.match(both.message, /--listen and --web.listen-address/);
    const run = cli(['--config', emptyConfig, '--web.listen-address', '127.0.0.1']);
    assert.equal(run.status, 2);
    assertOneLineError(run, '--web.listen-address', 'ADDR:PORT');
  });

  it('the daemon listens there', async (t) => {
    const { child, address } = await startDaemon(t, ['--web.listen-address', '127.0.0.1:0']);
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const response = await fetch(`http://${address}/healthz`);
    assert.equal(response.status, 200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
  });
});

describe('wantsColor', () => {
  const cases = [
    { name: 'TTY', tty: true, env: {}, color: true },
    { name: 'pipe', tty: false, env: {}, color: false },
    { name: 'TTY with NO_COLOR=1', tty: true, env: { NO_COLOR: '1' }, color: false },
    { name: 'TTY with empty NO_COLOR (no-color.org: ignored)', tty: true, env: { NO_COLOR: '' }, color: true },
    { name: 'TTY with TERM=dumb', tty: true, env: { TERM: 'dumb' }, color: false },
  ];
  for (const c of cases) it(`${c.name} → ${c.color}`, () => assert.equal(wantsColor({ isTTY: c.tty }, c.env), c.color));
  const modes = [
    { name: 'pipe with FORCE_COLOR=1', tty: false, env: { FORCE_COLOR: '1' }, mode: 'auto', color: true },
    { name: 'pipe with FORCE_COLOR=true', tty: false, env: { FORCE_COLOR: 'true' }, mode: 'auto', color: true },
    { name: 'TTY with FORCE_COLOR=0', tty: true, env: { FORCE_COLOR: '0' }, mode: 'auto', color: false },
    { name: 'TTY with FORCE_COLOR=false', tty: true, env: { FORCE_COLOR: 'false' }, mode: 'auto', color: false },
    { name: 'TTY with empty FORCE_COLOR (ignored)', tty: true, env: { FORCE_COLOR: '' }, mode: 'auto', color: true },
    {
      name: 'FORCE_COLOR=1 and NO_COLOR=1: the more specific FORCE_COLOR wins',
      tty: false,
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
      mode: 'auto',
      color: true,
    },
    {
      name: '--color=always into a pipe with NO_COLOR',
      tty: false,
      env: { NO_COLOR: '1' },
      mode: 'always',
      color: true,
    },
    {
      name: '--color=never on a TTY with FORCE_COLOR',
      tty: true,
      env: { FORCE_COLOR: '3' },
      mode: 'never',
      color: false,
    },
  ] as const;
  for (const c of modes)
    it(`${c.name} (--color=${c.mode}) → ${c.color}`, () =>
      assert.equal(wantsColor({ isTTY: c.tty }, c.env, c.mode), c.color));
});
