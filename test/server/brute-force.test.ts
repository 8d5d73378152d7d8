// A real daemon with basic auth under a bounded flood of wrong passwords on loopback: the
// scraper's request is answered, and the flood is turned away with 429 instead of queueing
// bcrypt work without bound (issue 9, item 11). Latency figures: bench/daemon-basic-auth-flood.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { sampleReport } from '../support/sample-report.js';
import { spawnDaemon } from './spawn-daemon.js';

function status(address: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const [host, port] = address.split(':');
    // Prometheus's default scrape timeout.
    const outgoing = request(
      { host, port: Number(port), path: '/metrics', headers: { authorization }, timeout: 10_000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within the 10 s scrape timeout')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test(
  '64 clients trying wrong passwords: the scraper is still answered and the excess gets 429',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-brute-force-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const files = { report: join(dir, 'report.json'), settings: join(dir, 'settings.json'), web: join(dir, 'web.yml') };
    writeFileSync(files.report, JSON.stringify(sampleReport()));
    writeFileSync(files.settings, JSON.stringify({ intervalSeconds: 3600 }));
    // Cost 10, as `htpasswd -nBC 10` in the README: each wrong guess costs a real bcrypt check.
    writeFileSync(files.web, `basic_auth_users:\n  prometheus: '${bcrypt.hashSync('scrape-secret', 10)}'\n`);
    const daemon = await spawnDaemon([files.report, files.settings, files.web]);
    t.after(() => daemon.child.kill('SIGKILL'));
    await daemon.waitForLine((line) => line.msg === 'audit finished');
    assert.equal(await status(daemon.address, basic('prometheus', 'scrape-secret')), 200, 'the first scrape');

    // Bounded: 64 clients, 6 guesses each, one after the other.
    const answers: number[] = [];
    const attackers = Array.from({ length: 64 }, async (_, client) => {
      // A guess left unanswered counts as 0 (and fails the test below), not as a stray rejection.
      for (let guess = 0; guess < 6; guess += 1)
        answers.push(await status(daemon.address, basic('prometheus', `guess-${client}-${guess}`)).catch(() => 0));
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const scrapes = [];
    for (let i = 0; i < 3; i += 1) scrapes.push(await status(daemon.address, basic('prometheus', 'scrape-secret')));
    await Promise.all(attackers);

    assert.deepEqual(scrapes, [200, 200, 200], 'the scraper is answered during the flood');
    assert.equal(answers.length, 64 * 6);
    assert.ok(
      answers.every((code) => code === 401 || code === 429),
      `only 401 and 429 for wrong passwords: ${[...new Set(answers)].join(', ')}`,
    );
    assert.ok(answers.includes(429), 'password checks beyond the bound are turned away');
    assert.ok(answers.includes(401), 'checked guesses are denied');
    assert.equal(await status(daemon.address, basic('prometheus', 'scrape-secret')), 200);
    assert.equal(
      await status(daemon.address, basic('prometheus', 'guess')),
      401,
      'after the flood a guess is checked again',
    );
  },
);
