// A release table that stays fresh (issue 11): `releases update` and the daemon's refresher against
// a LOOPBACK HTTP server serving endoflife.date-shaped answers — good, malformed, huge, slow, stale,
// failing — never a real host. The shape is endoflife.date's v0 API for "kubernetes"
// (https://endoflife.date/docs/api): [{cycle, releaseDate, eol, latest, latestReleaseDate, …}].
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpGet } from '../../src/collect/http-get.js';
import { writeFileAtomic } from '../../src/command-line.js';
import { loadConfig } from '../../src/config.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { mergeEndOfLife, parseEndOfLife } from '../../src/resolve/endoflife.js';
import { BUNDLED_RELEASES, parseReleaseTable } from '../../src/resolve/release-table.js';
import { createReleaseRefresher, refreshReleaseTable } from '../../src/releases-refresh.js';
import { CLI_ENTRY, FIXTURE_HOSTS } from '../support/cli.js';
import { configErrorOf } from '../support/config-error.js';
import { repoRoot } from '../support/paths.js';
import { sampleReport } from '../support/sample-report.js';
import { spawnCliDaemon } from '../server/spawn-daemon.js';

/**
 * Shaped like endoflife.date's answer, with the extra fields it has (support, lts, link). Dates up
 * to 1.37.1 are the real ones of the bundled table; "1.37.3 on 2026-11-10" and "1.36.7" are test
 * data for a day after the bundled table ends.
 */
const GOOD = [
  {
    cycle: '1.37',
    releaseDate: '2026-08-26',
    support: '2027-08-28',
    eol: '2027-10-28',
    latest: '1.37.3',
    latestReleaseDate: '2026-11-10',
    lts: false,
  },
  {
    cycle: '1.36',
    releaseDate: '2026-04-22',
    support: '2027-04-28',
    eol: '2027-06-28',
    latest: '1.36.7',
    latestReleaseDate: '2026-11-10',
    lts: false,
  },
  {
    cycle: '1.35',
    releaseDate: '2025-12-17',
    support: '2026-12-28',
    eol: '2027-02-28',
    latest: '1.35.9',
    latestReleaseDate: '2026-09-15',
    lts: false,
  },
  {
    cycle: '1.34',
    releaseDate: '2025-08-27',
    support: '2026-08-27',
    eol: '2026-10-27',
    latest: '1.34.9',
    latestReleaseDate: '2026-06-09',
    lts: false,
    link: 'https://kubernetes.io/blog/',
  },
];

type Handler = (response: ServerResponse) => void;
const routes: Record<string, Handler> = {
  '/good.json': (r) => r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(GOOD)),
  '/not-json': (r) => r.writeHead(200).end('<html>maintenance</html>'),
  '/wrong-shape': (r) => r.writeHead(200).end(JSON.stringify({ kubernetes: GOOD })),
  '/bad-entry': (r) => r.writeHead(200).end(JSON.stringify([{ ...GOOD[0], latest: '1.36.9' }])),
  '/bad-date': (r) => r.writeHead(200).end(JSON.stringify([{ ...GOOD[0], eol: '2027-02-30' }])),
  // Month 13 is no date either (it once made the reader throw a RangeError instead of saying so).
  '/bad-month': (r) => r.writeHead(200).end(JSON.stringify([{ ...GOOD[0], eol: '2027-13-01' }])),
  // Older than the bundled table knows: 1.34.5 while 1.34.9 (2026-06-09) exists.
  '/stale': (r) =>
    r.writeHead(200).end(JSON.stringify([{ ...GOOD[3], latest: '1.34.5', latestReleaseDate: '2026-02-26' }])),
  '/huge-declared': (r) =>
    r.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024, 0x20)),
  // No Content-Length: chunked, endless until the client stops reading.
  '/huge-chunked': (r) => {
    r.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!r.destroyed && r.write(chunk));
      if (!r.destroyed) r.once('drain', pump);
    };
    pump();
  },
  // Headers at once, then one byte now and then: only a deadline on the whole answer stops it.
  '/slow': (r) => {
    r.writeHead(200);
    const timer = setInterval(() => (r.destroyed ? clearInterval(timer) : r.write(' ')), 50);
    r.on('close', () => clearInterval(timer));
  },
  '/error': (r) => r.writeHead(503).end('try later'),
};

let server: Server;
let base: string;
const work = mkdtempSync(path.join(tmpdir(), 'scs-releases-'));

before(async () => {
  server = createServer((request, response) =>
    (routes[request.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(response),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

const NOW = new Date('2026-11-29T10:00:00Z');
/** The real bounded GET, with a short deadline so the slow answer is cut in a test-sized time. */
const boundedGet = (url: string) =>
  httpGet(url, { timeoutMs: 400, maxBytes: 1024 * 1024, userAgent: 'scs-node-audit/test' });
const refresh = (route: string, file: string) =>
  refreshReleaseTable({
    url: `${base}${route}`,
    file,
    now: NOW,
    write: writeFileAtomic,
    get: boundedGet,
    userAgent: 'scs-node-audit/test',
  });

describe('refreshReleaseTable against a loopback server', () => {
  it('a good answer is merged over the bundled table and cached atomically as a valid releases.file', async () => {
    const file = path.join(work, 'good.json');
    const outcome = await refresh('/good.json', file);
    assert.equal(outcome.updated, true, outcome.notes.join('\n'));
    assert.equal(outcome.table.asOf, '2026-11-29');
    const cached = parseReleaseTable(readFileSync(file, 'utf8'), file);
    assert.deepEqual(cached, outcome.table);
    const m136 = cached.minors.find((m) => m.minor === '1.36')!;
    // The bundled patches stay, the fetched newest one is added with its date.
    assert.deepEqual(m136.patches.slice(0, 2), [
      { version: '1.36.7', date: '2026-11-10' },
      { version: '1.36.4', date: '2026-08-11' },
    ]);
    assert.ok(
      cached.minors.some((m) => m.minor === '1.19'),
      'older minors of the bundled table are kept',
    );
    assert.match(cached.source, /endoflife\.date format\) fetched 2026-11-29/);
  });

  const failures: [string, RegExp][] = [
    ['/not-json', /is not JSON/],
    ['/wrong-shape', /must be a JSON array/],
    ['/bad-entry', /\[0\]\.latest: must be a patch release of 1\.37/],
    ['/bad-date', /\[0\]\.eol: must be a date/],
    ['/bad-month', /\[0\]\.eol: must be a date/],
    ['/stale', /newest patch of 1\.34 is 1\.34\.5, but 1\.34\.9 was released 2026-06-09: the answer is out of date/],
    ['/huge-declared', /larger than 1048576 bytes/],
    ['/huge-chunked', /larger than 1048576 bytes/],
    ['/slow', /no complete answer within 400 ms/],
    ['/error', /HTTP status 503/],
    ['/missing', /HTTP status 404/],
  ];
  for (const [route, reason] of failures) {
    it(`${route}: the last good copy stays byte for byte, is used, and a note says why`, async () => {
      const file = path.join(work, `cache${route.replace(/\//g, '-')}.json`);
      assert.equal((await refresh('/good.json', file)).updated, true);
      const before = readFileSync(file, 'utf8');
      const outcome = await refresh(route, file);
      assert.equal(outcome.updated, false);
      assert.equal(readFileSync(file, 'utf8'), before);
      assert.equal(outcome.table.asOf, '2026-11-29', 'the last good copy, not the bundled table');
      assert.match(outcome.notes[0]!, reason);
      assert.match(outcome.notes[0]!, /using the last good copy in .* \(as of 2026-11-29\)/);
    });
  }

  it('offline without any copy: the bundled table, and a note naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const file = path.join(work, 'never-written.json');
    const outcome = await refreshReleaseTable({
      url: `http://127.0.0.1:${port}/k.json`,
      file,
      now: NOW,
      write: writeFileAtomic,
      get: boundedGet,
      userAgent: 't',
    });
    assert.equal(outcome.table, BUNDLED_RELEASES);
    assert.match(
      outcome.notes[0]!,
      new RegExp(
        `releases\\.url http://127\\.0\\.0\\.1:${port}/k\\.json: ECONNREFUSED; using the bundled release table`,
      ),
    );
  });
});

describe('the daemon refresher: at most once a day', () => {
  it('fetches when the cache is missing, then not again within 24 hours, then again', async () => {
    let calls = 0;
    const file = path.join(work, 'daily.json');
    const refresher = createReleaseRefresher({
      url: `${base}/good.json`,
      file,
      write: writeFileAtomic,
      userAgent: 't',
      get: (url) => {
        calls += 1;
        return boundedGet(url);
      },
    });
    const first = await refresher(NOW, BUNDLED_RELEASES);
    assert.equal(first.table.asOf, '2026-11-29');
    await refresher(new Date(NOW.getTime() + 23 * 3600_000), BUNDLED_RELEASES);
    assert.equal(calls, 1);
    await refresher(new Date(NOW.getTime() + 24 * 3600_000), BUNDLED_RELEASES);
    assert.equal(calls, 2);
  });

  it('a cache written less than a day ago is not refetched after a restart', async () => {
    const file = path.join(work, 'recent.json');
    writeFileSync(file, JSON.stringify(BUNDLED_RELEASES));
    let calls = 0;
    const refresher = createReleaseRefresher({
      url: `${base}/good.json`,
      file,
      write: writeFileAtomic,
      userAgent: 't',
      get: () => {
        calls += 1;
        return Promise.resolve({ ok: false, reason: 'unused' });
      },
    });
    const loaded = parseReleaseTable(readFileSync(file, 'utf8'), file);
    assert.equal((await refresher(new Date(), loaded)).table, loaded);
    assert.equal(calls, 0);
  });
});

describe('merge and table age', () => {
  it('a minor past end of life on the fetch day gets the fetched latest as its final patch', () => {
    const cycles = parseEndOfLife(
      JSON.stringify([{ ...GOOD[3], latest: '1.34.10', latestReleaseDate: '2026-10-13' }]),
      'test',
    );
    const merged = mergeEndOfLife(BUNDLED_RELEASES, cycles, '2026-11-29', 'test');
    assert.equal(merged.minors.find((m) => m.minor === '1.34')!.finalPatch, '1.34.10');
  });

  it("scs_node_audit_release_table_age_seconds is the audit start minus the table's day", async () => {
    const text = await renderPrometheus(
      sampleReport([], {
        releaseTable: { source: 'bundled', asOf: '2026-11-28' },
        startedAt: '2026-11-29T10:00:00.000Z',
      }),
    );
    assert.match(text, /^scs_node_audit_release_table_age_seconds 122400$/m);
  });

  it('releases.url without releases.file is a config error naming releases.url; with it, a missing cache means the bundled table', () => {
    const config = path.join(work, 'url-only.yaml');
    writeFileSync(config, `releases:\n  url: ${base}/good.json\n`);
    assert.equal(configErrorOf(() => loadConfig({ configPath: config, flags: {}, cwd: '/' })).key, 'releases.url');
    writeFileSync(config, `releases:\n  url: ${base}/good.json\n  file: ${path.join(work, 'not-yet.json')}\n`);
    assert.equal(loadConfig({ configPath: config, flags: {}, cwd: '/' }).releaseTable, BUNDLED_RELEASES);
    writeFileSync(config, 'releases:\n  url: ftp://example.invalid/k.json\n');
    assert.equal(configErrorOf(() => loadConfig({ configPath: config, flags: {}, cwd: '/' })).key, 'releases.url');
  });
});

/** The CLI as a separate process, without blocking this process's loopback server (spawnSync would). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ENTRY, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('scs-node-audit releases update (the CLI)', () => {
  it('writes the table; an audit with releases.file then judges a 1.36.4 kubelet by it', async () => {
    const file = path.join(work, 'cli.json');
    const run = await cli([
      'releases',
      'update',
      '--config',
      '/dev/null',
      '--url',
      `${base}/good.json`,
      '--output',
      file,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /cli\.json: release table as of \d{4}-\d{2}-\d{2}, minors 1\.19 … 1\.37/);
    const config = path.join(work, 'cli-config.yaml');
    writeFileSync(config, `releases:\n  file: ${file}\n`);
    const audit = await cli([
      '--once',
      '--root',
      path.join(FIXTURE_HOSTS, 'kubeadm-1.36-worker'),
      '--config',
      config,
      '--no-probes',
      '--format',
      'json',
      '--check',
      'version-patch-current',
    ]);
    const report = JSON.parse(audit.stdout) as {
      checks: { status: string; message: string }[];
      releaseTable: { asOf: string };
    };
    // 1.36.7 (test data: 2026-11-10) is newer than the worker's 1.36.4 and 1.36.5/1.36.6 are unknown
    // to the table: not a pass — a verdict that would need those dates is `unknown`, or `fail` once 1.36.7 is old.
    assert.notEqual(report.checks[0]!.status, 'pass', report.checks[0]!.message);
    assert.notEqual(report.releaseTable.asOf, BUNDLED_RELEASES.asOf);
  });

  it('a failed fetch exits 3, keeps the old file and says why; bad usage exits 2', async () => {
    const file = path.join(work, 'cli-keep.json');
    writeFileSync(file, JSON.stringify(BUNDLED_RELEASES));
    const run = await cli([
      'releases',
      'update',
      '--config',
      '/dev/null',
      '--url',
      `${base}/not-json`,
      '--output',
      file,
    ]);
    assert.equal(run.status, 3);
    assert.match(
      run.stderr,
      /release table not refreshed: releases\.url http:\/\/127\.0\.0\.1:\d+\/not-json: is not JSON/,
    );
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(BUNDLED_RELEASES)));
    assert.equal((await cli(['releases', 'update', '--config', '/dev/null'])).status, 2);
    assert.equal((await cli(['releases', 'fetch'])).status, 2);
    const badUrl = await cli([
      'releases',
      'update',
      '--config',
      '/dev/null',
      '--output',
      file,
      '--url',
      'file:///etc/passwd',
    ]);
    assert.equal(badUrl.status, 2);
    assert.match(badUrl.stderr, /--url: "file:\/\/\/etc\/passwd" must be an http:\/\/ or https:\/\/ URL/);
  });
});

describe('the daemon with releases.url (the real command line)', () => {
  async function daemonReport(
    route: string,
    cache: string,
  ): Promise<{ notes: string[]; releaseTable: { asOf: string }; metrics: string }> {
    const config = path.join(work, `daemon${route.replace(/\//g, '-')}.yaml`);
    writeFileSync(config, `releases:\n  file: ${cache}\n  url: ${base}${route}\n`);
    const daemon = await spawnCliDaemon([
      '--root',
      path.join(FIXTURE_HOSTS, 'kubeadm-1.36-worker'),
      '--config',
      config,
      '--no-probes',
      '--listen',
      '127.0.0.1:0',
      '--log.format',
      'json',
    ]);
    try {
      await daemon.waitForLine((line) => line.msg === 'audit finished', 20_000);
      const report = (await (await fetch(`http://${daemon.address}/report`)).json()) as {
        notes: string[];
        releaseTable: { asOf: string };
      };
      const metrics = await (await fetch(`http://${daemon.address}/metrics`)).text();
      return { ...report, metrics };
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  }

  it('fetches on start when there is no cache, audits with the new table and caches it', async () => {
    const cache = path.join(work, 'daemon-cache.json');
    const report = await daemonReport('/good.json', cache);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(report.releaseTable.asOf, today);
    assert.equal(parseReleaseTable(readFileSync(cache, 'utf8'), cache).asOf, today);
    assert.match(report.metrics, /^scs_node_audit_release_table_age_seconds \d+(\.\d+)?$/m);
  });

  it('an old cache and a failing server: the audit uses the old cache and the report says so', async () => {
    const cache = path.join(work, 'daemon-old.json');
    writeFileSync(cache, JSON.stringify(BUNDLED_RELEASES));
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(cache, twoDaysAgo, twoDaysAgo);
    const report = await daemonReport('/error', cache);
    assert.equal(report.releaseTable.asOf, BUNDLED_RELEASES.asOf);
    assert.ok(
      report.notes.some((n) => /release table not refreshed: .*HTTP status 503; using the last good copy/.test(n)),
      report.notes.join('\n'),
    );
  });
});
