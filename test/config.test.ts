import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import {
  cidrProblem,
  configKeys,
  DEFAULT_LISTEN,
  DEFAULT_PORT,
  listenProblem,
  loadConfig,
  mergeFlags,
  parseConfig,
  parseDuration,
} from '../src/config.js';
import { readOperatorFile as readBoundedFile } from '../src/collect/files.js';
import { BUNDLED_RELEASES } from '../src/resolve/release-table.js';
import { configErrorOf } from './support/config-error.js';

const ORIGIN = '/etc/scs-node-audit/config.yaml';

describe('parseConfig: valid files', () => {
  it('accepts every documented key', () => {
    const file = parseConfig(
      [
        'root: /host',
        'proc: /host/proc',
        'format: json',
        'output: /var/lib/scs-node-audit/report.json',
        'failOn: should',
        'listen: "[::1]:20217"',
        'interval: 5m',
        'log: {level: debug, format: json}',
        'web: {configFile: /etc/scs-node-audit/web.yml}',
        'probes:',
        '  enabled: no', // YAML 1.1, as Kubernetes reads it: a boolean
        '  timeoutMs: 500',
        '  etcd: {certFile: /etc/a.crt, keyFile: /etc/a.key, caFile: /etc/ca.crt}',
        'network:',
        '  internalCIDRs: [10.0.0.0/8, "fd00::/8", 192.168.1.7/32]',
        'authentication: {strict: true}',
        'releases: {file: /etc/scs-node-audit/releases.yaml}',
      ].join('\n'),
      ORIGIN,
    );
    assert.equal(file.probes?.enabled, false);
    assert.deepEqual(file.network?.internalCIDRs, ['10.0.0.0/8', 'fd00::/8', '192.168.1.7/32']);
    const settings = mergeFlags(file, {}, '/');
    assert.equal(settings.intervalMs, 300_000);
    assert.equal(settings.failOn, 'should');
    assert.equal(settings.releases.file, '/etc/scs-node-audit/releases.yaml');
  });

  it('treats an empty file or a comment-only file as an empty config', () => {
    assert.deepEqual(parseConfig('', ORIGIN), {});
    assert.deepEqual(parseConfig('# nothing here\n', ORIGIN), {});
  });
});

describe('parseConfig: errors carry a stable code and the key path', () => {
  const cases: { name: string; yaml: string; code: string; key: string; includes: string }[] = [
    {
      name: 'unknown top-level key',
      yaml: 'fail_on: must',
      code: 'CONFIG_UNKNOWN_KEY',
      key: 'fail_on',
      includes: 'unknown key',
    },
    {
      name: 'unknown nested key (misspelt)',
      yaml: 'network:\n  internalCidrs: [10.0.0.0/8]',
      code: 'CONFIG_UNKNOWN_KEY',
      key: 'network.internalCidrs',
      includes: 'internalCIDRs',
    },
    {
      name: 'CIDR with a bad prefix',
      yaml: 'network:\n  internalCIDRs: [10.0.0.0/8, 10.1.0.0/16, 10.0.0.0/33]',
      code: 'CONFIG_VALUE',
      key: 'network.internalCIDRs[2]',
      includes: '"10.0.0.0/33" is not a CIDR',
    },
    {
      name: 'CIDR without a prefix',
      yaml: 'network: {internalCIDRs: [10.0.0.1]}',
      code: 'CONFIG_VALUE',
      key: 'network.internalCIDRs[0]',
      includes: 'prefix length',
    },
    {
      name: 'CIDR that is a number',
      yaml: 'network: {internalCIDRs: [10]}',
      code: 'CONFIG_TYPE',
      key: 'network.internalCIDRs[0]',
      includes: 'must be a CIDR string',
    },
    {
      name: 'list where a mapping belongs',
      yaml: 'probes: [1]',
      code: 'CONFIG_TYPE',
      key: 'probes',
      includes: 'must be a mapping, got a list',
    },
    {
      name: 'YAML 1.1 "no" is not a format',
      yaml: 'format: no',
      code: 'CONFIG_TYPE',
      key: 'format',
      includes: 'got boolean false',
    },
    {
      name: 'enum value',
      yaml: 'format: xml',
      code: 'CONFIG_VALUE',
      key: 'format',
      includes: '"xml" is not one of text, json, junit, prometheus',
    },
    {
      name: 'interval as a bare number',
      yaml: 'interval: 60',
      code: 'CONFIG_TYPE',
      key: 'interval',
      includes: 'duration string',
    },
    {
      name: 'interval 1:30 (YAML 1.1 sexagesimal)',
      yaml: 'interval: 1:30',
      code: 'CONFIG_TYPE',
      key: 'interval',
      includes: 'got number 90',
    },
    { name: 'interval below 5s', yaml: 'interval: 2s', code: 'CONFIG_VALUE', key: 'interval', includes: 'minimum 5s' },
    {
      name: 'interval in days (not Go syntax)',
      yaml: 'interval: 1d',
      code: 'CONFIG_VALUE',
      key: 'interval',
      includes: 'not a duration',
    },
    {
      name: 'timeoutMs not an integer',
      yaml: 'probes: {timeoutMs: 1.5}',
      code: 'CONFIG_TYPE',
      key: 'probes.timeoutMs',
      includes: 'integer',
    },
    {
      name: 'timeoutMs out of range',
      yaml: 'probes: {timeoutMs: 0}',
      code: 'CONFIG_VALUE',
      key: 'probes.timeoutMs',
      includes: 'out of range',
    },
    {
      name: 'timeoutMs above the 2 s a probe may take',
      yaml: 'probes: {timeoutMs: 2001}',
      code: 'CONFIG_VALUE',
      key: 'probes.timeoutMs',
      includes: 'out of range',
    },
    {
      name: 'strict as a string',
      yaml: 'authentication: {strict: "true"}',
      code: 'CONFIG_TYPE',
      key: 'authentication.strict',
      includes: 'true or false',
    },
    {
      name: 'relative path',
      yaml: 'releases: {file: releases.yaml}',
      code: 'CONFIG_VALUE',
      key: 'releases.file',
      includes: 'absolute path',
    },
    {
      name: 'listen without a port',
      yaml: 'listen: 127.0.0.1',
      code: 'CONFIG_VALUE',
      key: 'listen',
      includes: 'ADDR:PORT',
    },
    {
      name: 'listen port out of range',
      yaml: 'listen: 127.0.0.1:70000',
      code: 'CONFIG_VALUE',
      key: 'listen',
      includes: '0–65535',
    },
    {
      name: 'a timestamp where a path belongs',
      yaml: 'root: 2001-12-14',
      code: 'CONFIG_TYPE',
      key: 'root',
      includes: 'timestamp',
    },
    { name: 'top level is a list', yaml: '- a', code: 'CONFIG_TYPE', key: '', includes: 'mapping' },
    { name: 'malformed YAML', yaml: 'log: {level: info', code: 'CONFIG_PARSE', key: '', includes: 'is not valid YAML' },
    {
      name: 'duplicate key',
      yaml: 'format: json\nformat: text',
      code: 'CONFIG_PARSE',
      key: '',
      includes: 'has a duplicate key "format" at line 2',
    },
    {
      name: 'two documents',
      yaml: 'format: json\n---\nformat: text',
      code: 'CONFIG_PARSE',
      key: '',
      includes: 'holds more than one YAML document',
    },
  ];
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const error = configErrorOf(() => parseConfig(c.yaml, ORIGIN));
      assert.equal(error.code, c.code, error.message);
      assert.equal(error.key, c.key, error.message);
      assert.ok(error.message.startsWith(ORIGIN), `names the file: ${error.message}`);
      assert.ok(error.message.includes(c.includes), `${error.message} lacks ${c.includes}`);
    });
  }

  // Issue 9 item 9: names Object.prototype has were found by a plain lookup and accepted.
  const prototypeKeys = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
  const mappings = [
    '',
    ...new Set(
      configKeys().flatMap((k) =>
        k
          .split('.')
          .slice(0, -1)
          .map((_, i, parts) => parts.slice(0, i + 1).join('.')),
      ),
    ),
  ];
  it('the mappings of the schema, each tested below', () => {
    assert.deepEqual(mappings.sort(), [
      '',
      'authentication',
      'log',
      'network',
      'probes',
      'probes.etcd',
      'releases',
      'selection',
      'web',
    ]);
  });
  for (const mapping of mappings) {
    for (const name of prototypeKeys) {
      const key = mapping === '' ? name : `${mapping}.${name}`;
      it(`CONFIG_UNKNOWN_KEY: ${key}`, () => {
        const yaml = mapping
          .split('.')
          .filter((p) => p !== '')
          .reduceRight((inner, part) => `{${part}: ${inner}}`, `{${name}: 1}`);
        const error = configErrorOf(() => parseConfig(yaml, ORIGIN));
        assert.equal(error.code, 'CONFIG_UNKNOWN_KEY', `${yaml}: ${error.message}`);
        assert.equal(error.key, key);
        assert.ok(error.message.includes('unknown key'), error.message);
      });
    }
  }

  it('CONFIG_PARSE: an alias bomb is refused, not expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i += 1)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const error = configErrorOf(() => parseConfig(lines.join('\n'), ORIGIN));
    assert.equal(error.code, 'CONFIG_PARSE');
    assert.match(error.message, /alias/i);
  });

  it('the line of a syntax error is in the message', () => {
    const error = configErrorOf(() => parseConfig('format: json\nlog: {level: info\n', ORIGIN));
    assert.match(error.message, new RegExp(`^${ORIGIN} is not valid YAML: .* at line \\d+, column \\d+$`));
  });
});

describe('network ranges: internalCIDRs takes only non-public ranges; public ones need the loud key (issue 11)', () => {
  // [range, accepted under internalCIDRs, accepted under publicCIDRsDeclaredInternal, part of the refusal]
  const cases: [string, boolean, boolean, string][] = [
    ['10.0.0.0/8', true, true, ''],
    ['172.16.0.0/12', true, true, ''],
    ['192.168.10.0/24', true, true, ''],
    ['100.64.0.0/10', true, true, ''], // RFC 6598 shared address space (provider-internal)
    ['127.0.0.0/8', true, true, ''],
    ['169.254.0.0/16', true, true, ''],
    ['fd00::/8', true, true, ''],
    ['fe80::/10', true, true, ''],
    ['::1/128', true, true, ''],
    ['0.0.0.0/0', false, false, 'covers public addresses'],
    ['::/0', false, false, 'covers public addresses'],
    ['0.0.0.0/1', false, false, 'covers public addresses'],
    ['::ffff:0:0/96', false, false, 'covers public addresses'], // all of IPv4, written as IPv6
    ['10.0.0.0/7', false, false, 'e.g. 11.255.255.255'], // one bit short: 11.0.0.0/8 is public
    ['172.0.0.0/8', false, true, 'e.g. 172.0.0.0'],
    ['192.168.0.0/15', false, true, 'covers public addresses'],
    ['100.64.0.0/9', false, true, 'covers public addresses'],
    ['fc00::/6', false, false, 'covers public addresses'],
    ['198.51.100.0/24', false, true, 'covers public addresses'], // documentation range: nobody's internal network
    ['198.18.0.0/15', false, true, 'covers public addresses'], // benchmarking (RFC 2544): not internal either
    ['2001:db8::/32', false, true, 'covers public addresses'],
    ['203.0.113.7/32', false, true, 'covers public addresses'],
    ['8.0.0.0/8', false, true, 'covers public addresses'],
    ['2003::/19', false, true, 'covers public addresses'],
    ['2000::/3', false, false, 'covers public addresses'],
  ];
  for (const [range, internal, declared, refusal] of cases) {
    it(`${range}: internalCIDRs ${internal ? 'accepts' : 'refuses'}, publicCIDRsDeclaredInternal ${declared ? 'accepts' : 'refuses'}`, () => {
      const underInternal = () => parseConfig(`network:\n  internalCIDRs: [10.1.0.0/16, "${range}"]`, ORIGIN);
      if (internal) assert.deepEqual(underInternal().network?.internalCIDRs, ['10.1.0.0/16', range]);
      else {
        const error = configErrorOf(underInternal);
        assert.equal(error.code, 'CONFIG_VALUE');
        assert.equal(error.key, 'network.internalCIDRs[1]');
        assert.ok(error.message.includes(refusal), error.message);
        assert.ok(error.message.includes('network.publicCIDRsDeclaredInternal'), 'says where a public range may go');
      }
      const underDeclared = () => parseConfig(`network:\n  publicCIDRsDeclaredInternal: ["${range}"]`, ORIGIN);
      if (declared) assert.deepEqual(mergeFlags(underDeclared(), {}, '/').network.publicCIDRsDeclaredInternal, [range]);
      else {
        const error = configErrorOf(underDeclared);
        assert.equal(error.key, 'network.publicCIDRsDeclaredInternal[0]');
        assert.match(error.message, /good part of the Internet/);
      }
    });
  }
});

describe('mergeFlags: defaults, file, flags', () => {
  it('has the documented defaults', () => {
    const settings = mergeFlags({}, {}, '/');
    assert.deepEqual(
      {
        root: settings.root,
        proc: settings.proc,
        format: settings.format,
        failOn: settings.failOn,
        listen: settings.listen,
        intervalMs: settings.intervalMs,
      },
      { root: '/', proc: '/proc', format: 'text', failOn: 'must', listen: DEFAULT_LISTEN, intervalMs: 60_000 },
    );
    assert.equal(settings.probes.enabled, true);
    assert.deepEqual(settings.network.internalCIDRs, []);
  });

  it('a flag wins over the file, the file over the default', () => {
    const file = parseConfig('format: json\nfailOn: should\nlisten: 127.0.0.1:9999\nprobes: {enabled: true}', ORIGIN);
    const settings = mergeFlags(file, { format: 'junit', 'no-probes': true }, '/');
    assert.equal(settings.format, 'junit');
    assert.equal(settings.failOn, 'should');
    assert.equal(settings.listen, '127.0.0.1:9999');
    assert.equal(settings.probes.enabled, false);
  });

  it('proc defaults to <root>/proc; a --root flag moves it even when the file names one', () => {
    assert.equal(mergeFlags({}, { root: '/mnt/img' }, '/').proc, '/mnt/img/proc');
    assert.equal(mergeFlags({ root: '/host' }, {}, '/').proc, '/host/proc');
    assert.equal(mergeFlags({ proc: '/proc' }, { root: '/mnt/img' }, '/').proc, '/mnt/img/proc');
    assert.equal(mergeFlags({ proc: '/proc' }, {}, '/').proc, '/proc');
  });

  it('relative flag paths resolve against the working directory', () => {
    const settings = mergeFlags({}, { root: 'img', output: 'out/report.json' }, '/home/op');
    assert.equal(settings.root, '/home/op/img');
    assert.equal(settings.output, '/home/op/out/report.json');
  });

  const bad: { flags: Parameters<typeof mergeFlags>[1]; key: string; includes: string }[] = [
    { flags: { format: 'xml' }, key: '--format', includes: 'not one of text, json, junit, prometheus' },
    { flags: { 'fail-on': 'MUST' }, key: '--fail-on', includes: 'not one of must, should, never' },
    { flags: { interval: '1s' }, key: '--interval', includes: 'minimum 5s' },
    { flags: { listen: '0.0.0.0' }, key: '--listen', includes: 'ADDR:PORT' },
    { flags: { 'log.format': 'text' }, key: '--log.format', includes: 'logfmt, json' },
    { flags: { root: '' }, key: '--root', includes: 'non-empty path' },
  ];
  for (const c of bad) {
    it(`USAGE_VALUE: ${c.key} ${JSON.stringify(Object.values(c.flags)[0])}`, () => {
      const error = configErrorOf(() => mergeFlags({}, c.flags, '/'));
      assert.equal(error.code, 'USAGE_VALUE');
      assert.equal(error.key, c.key);
      assert.ok(error.message.startsWith(c.key) && error.message.includes(c.includes), error.message);
    });
  }
});

describe('values', () => {
  it('parses Go durations', () => {
    assert.equal(parseDuration('60s'), 60_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('500ms'), 500);
    for (const bad of ['', '60', 's', '1d', '-5s', ' 5s', '5 s', '5S'])
      assert.equal(parseDuration(bad), undefined, bad);
  });

  it('knows CIDRs', () => {
    for (const ok of ['10.0.0.0/8', '0.0.0.0/0', '192.168.0.1/32', '::/0', 'fd00::/8', '2001:db8::/128'])
      assert.equal(cidrProblem(ok), undefined, ok);
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0/8',
      '10.0.0.0/',
      '10.0.0.0/-1',
      'fd00::/129',
      'example.com/8',
      '10.0.0.0/8/8',
      '10.0.0.0/ 8',
    ])
      assert.notEqual(cidrProblem(bad), undefined, bad);
  });

  it('knows listen addresses', () => {
    for (const ok of ['127.0.0.1:20217', '[::1]:20217', 'localhost:20217', ':20217', '0.0.0.0:1', '127.0.0.1:0'])
      assert.equal(listenProblem(ok), undefined, ok);
    for (const bad of ['127.0.0.1', '::1:20217', '[127.0.0.1]:80', 'host:65536', 'host:123456', 'a b:80', '[::1]'])
      assert.notEqual(listenProblem(bad), undefined, bad);
  });

  it('the default port is loopback and clear of Kubernetes, etcd and the Prometheus exporter ranges', () => {
    assert.ok(DEFAULT_LISTEN.startsWith('127.0.0.1:'));
    const taken = (p: number) =>
      (p >= 9090 && p <= 9999) ||
      (p >= 10248 && p <= 10259) ||
      (p >= 2379 && p <= 2381) ||
      p === 6443 ||
      (p >= 30000 && p <= 32767) ||
      p === 9464;
    // Typed as a number, so that this test judges the value rather than the compiler.
    const port: number = DEFAULT_PORT;
    assert.ok(!taken(port) && port < 32768, `${port}`);
  });
});

describe('the README documents every config key', () => {
  const readmePath = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    ...(import.meta.url.includes('/dist/') ? ['..', '..'] : ['..']),
    'README.md',
  );
  it('mentions each key path in the config table', () => {
    const readme = readFileSync(readmePath, 'utf8');
    for (const key of configKeys()) assert.ok(readme.includes(`\`${key}\``), `README lacks config key ${key}`);
  });
});

describe('loadConfig and readBoundedFile (files)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-config-'));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads a named file and merges flags', () => {
    const config = loadConfig({
      configPath: write('ok.yaml', 'format: json\n'),
      flags: { 'fail-on': 'never' },
      cwd: dir,
    });
    assert.equal(config.format, 'json');
    assert.equal(config.failOn, 'never');
    assert.equal(config.releaseTable, BUNDLED_RELEASES);
  });

  it('--config /dev/null means no config file', () => {
    assert.equal(loadConfig({ configPath: '/dev/null', flags: {}, cwd: dir }).format, 'text');
  });

  it('CONFIG_READ: a missing named file is an error naming it', () => {
    const error = configErrorOf(() => loadConfig({ configPath: path.join(dir, 'absent.yaml'), flags: {}, cwd: dir }));
    assert.equal(error.code, 'CONFIG_READ');
    assert.equal(error.key, '--config');
    assert.match(error.message, /absent\.yaml: cannot read config file: no such file/);
  });

  it('CONFIG_READ: a directory, a FIFO and a too-large file are refused without hanging', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(path.join(dir, 'subdir'));
    assert.deepEqual(readBoundedFile(fifo), { ok: false, reason: 'not a regular file (a FIFO)', missing: false });
    assert.equal(readBoundedFile(path.join(dir, 'subdir')).ok, false);
    const big = write('big.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    assert.match(
      configErrorOf(() => loadConfig({ configPath: big, flags: {}, cwd: dir })).message,
      /larger than 1048576 bytes/,
    );
  });

  it('CONFIG_READ: a symlink loop and invalid UTF-8 are refused', () => {
    symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop'));
    assert.equal(readBoundedFile(path.join(dir, 'loop')).ok, false);
    writeFileSync(
      path.join(dir, 'latin1.yaml'),
      Buffer.from([0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x3a, 0x20, 0xe9, 0x0a]),
    );
    assert.deepEqual(readBoundedFile(path.join(dir, 'latin1.yaml')), {
      ok: false,
      reason: 'not valid UTF-8',
      missing: false,
    });
  });

  it('CONFIG_RELEASES: a bad release table names releases.file', () => {
    const table = write('releases.yaml', 'minors: 3\n');
    const error = configErrorOf(() =>
      loadConfig({ configPath: write('r.yaml', `releases: {file: ${table}}\n`), flags: {}, cwd: dir }),
    );
    assert.equal(error.code, 'CONFIG_RELEASES');
    assert.match(error.message, /^releases\.file: .*releases\.yaml/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
