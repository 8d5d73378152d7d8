// Where the daemon's resident memory goes: the same runtime run as a series of ever larger
// programs, each sampled once it has done its part, against a bare `node -e 'setInterval(()=>{},1e3)'`
// started in the same round (rounds interleave the stages, so a shared machine's load falls on all).
// The stages are bundled with esbuild like the single executable (one CommonJS file, no
// node_modules tree to read) and run with the single executable's V8 flags:
//   bare          setInterval, nothing else (the target's baseline; also run with the flags)
//   worker        + one worker thread started and ended (each audit runs in one)
//   http          + a node:http server on loopback, one request answered
//   fastify       fastify instead, listening on loopback, one request answered
//   prom-client   + a prom-client registry with the default metrics, one scrape
//   daemon        the single executable itself after its first audit of the kubeadm fixture and one scrape
// RSS is split into anonymous memory (heaps, stacks, malloc) and file-backed pages (the
// executable's code and read-only data paged in), from /proc/PID/smaps_rollup.
//   npm run build && packaging/build.sh && node dist/bench/rss-floor.js [rounds]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { showSpread, sleep, smapsRollupKib, spread } from './ratio.js';

const rounds = Number(process.argv[2] ?? 10);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const sea = `${repo}out/scs-node-audit`;
const fixture = `${repo}test/fixtures/hosts/kubeadm-1.34-control-plane`;
/** The single executable's execArgv (packaging/build.sh). */
const SEA_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=96', '--disable-optimizing-compilers'];

// Each stage prints `ready` once it has done its part, then idles.
const WORKER = `await new Promise((resolve) => new (require('node:worker_threads').Worker)('0', { eval: true }).once('exit', resolve));`;
const FASTIFY = `const app = require('fastify')({ logger: false });
app.get('/', async () => 'ok');`;
const PROM = `const prom = require('prom-client');
const registry = new prom.Registry();
prom.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));`;
// Requests by node:http, not fetch(): fetch loads undici and compiles its WebAssembly HTTP parser,
// which the daemon never does (its scrapers are other processes).
const GET = `const get = (port, url) => new Promise((resolve, reject) => require('node:http').get({ host: '127.0.0.1', port, path: url }, (response) => response.resume().on('end', resolve)).on('error', reject));`;
const HTTP = `const server = require('node:http').createServer((_request, response) => response.end('ok'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
await get(server.address().port, '/');`;
const LISTEN = (paths: string[]) => `await app.listen({ host: '127.0.0.1', port: 0 });
for (const url of ${JSON.stringify(paths)}) await get(app.server.address().port, url);`;
const program = (body: string) =>
  `(async () => {\n${body}\nconsole.log('ready');\nsetInterval(() => {}, 1e3);\n})();\n`;

const stages: { name: string; flags: string[]; source?: string }[] = [
  { name: 'bare node', flags: [] },
  { name: 'bare node, SEA flags', flags: SEA_FLAGS },
  { name: '+ a worker thread started and ended', flags: SEA_FLAGS, source: program(WORKER) },
  { name: '+ a node:http server, one request', flags: SEA_FLAGS, source: program([GET, WORKER, HTTP].join('\n')) },
  {
    name: '+ fastify instead, one request',
    flags: SEA_FLAGS,
    source: program([GET, WORKER, FASTIFY, LISTEN(['/'])].join('\n')),
  },
  {
    name: '+ prom-client default metrics, one scrape',
    flags: SEA_FLAGS,
    source: program([GET, WORKER, FASTIFY, PROM, LISTEN(['/', '/metrics'])].join('\n')),
  },
];

// Inside the repository, so that esbuild finds fastify and prom-client in its node_modules.
mkdirSync(`${repo}node_modules/.cache`, { recursive: true });
const work = mkdtempSync(`${repo}node_modules/.cache/rss-floor-`);
const scripts = stages.map((stage, index) => {
  if (stage.source === undefined) return undefined;
  const entry = path.join(work, `stage-${index}.cjs`);
  const bundle = path.join(work, `stage-${index}.bundle.cjs`);
  writeFileSync(entry, stage.source);
  const built = spawnSync(
    'npx',
    [
      'esbuild',
      entry,
      '--bundle',
      '--platform=node',
      '--target=node24',
      '--format=cjs',
      '--minify',
      `--outfile=${bundle}`,
      '--log-level=error',
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`esbuild ${entry}: ${built.stderr}`);
  return bundle;
});

function waitFor(child: ChildProcess, predicate: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (predicate(line)) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${String(code ?? signal)}) before it was ready`)));
  });
}

/** Starts one stage, waits until it is ready and settled, samples it, ends it. */
async function sample(index: number | 'daemon'): Promise<{ rss: number; anonymous: number; file: number }> {
  let child: ChildProcess;
  if (index === 'daemon') {
    child = spawn(
      sea,
      [
        '--root',
        fixture,
        '--config',
        `${fixture}/audit-config.yaml`,
        '--listen',
        '127.0.0.1:0',
        '--log.format',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let address = '';
    await waitFor(child, (text) => {
      const line = JSON.parse(text) as { msg?: string; address?: string };
      if (line.msg === 'listening') address = line.address!;
      return line.msg === 'audit finished';
    });
    await fetch(`http://${address}/metrics`).then((response) => response.text());
  } else {
    const script = scripts[index];
    if (script === undefined) {
      // The bare stages are exactly the target's baseline, `node -e 'setInterval(()=>{},1e3)'`
      // (writing a `ready` line would load the stream modules and add ~2 MiB): sampled after a
      // second, when a node start is long over.
      child = spawn(process.execPath, [...stages[index]!.flags, '-e', 'setInterval(()=>{},1e3)'], { stdio: 'ignore' });
      await sleep(1_000);
    } else {
      child = spawn(process.execPath, [...stages[index]!.flags, script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await waitFor(child, (line) => line === 'ready');
    }
  }
  await sleep(1_000); // let the last garbage collection and the worker's teardown settle
  const measured = smapsRollupKib(child.pid!);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return measured;
}

const names = [...stages.map((stage) => stage.name), 'the daemon (single executable), first audit + one scrape'];
const subjects: (number | 'daemon')[] = [
  ...stages.map((_, index) => index),
  ...(existsSync(sea) ? ['daemon' as const] : []),
];
const results = new Map<number | 'daemon', { rss: number[]; anonymous: number[]; file: number[]; ratio: number[] }>();
try {
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    const measured = new Map<number | 'daemon', { rss: number; anonymous: number; file: number }>();
    for (const subject of order) measured.set(subject, await sample(subject));
    const bare = measured.get(0)!.rss;
    for (const [subject, value] of measured) {
      const entry = results.get(subject) ?? { rss: [], anonymous: [], file: [], ratio: [] };
      entry.rss.push(value.rss / 1024);
      entry.anonymous.push(value.anonymous / 1024);
      entry.file.push(value.file / 1024);
      entry.ratio.push(value.rss / bare);
      results.set(subject, entry);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (!existsSync(sea)) console.error(`${sea} not built (packaging/build.sh): no daemon row`);
console.log(`node ${process.version}, ${rounds} interleaved rounds; flags: ${SEA_FLAGS.join(' ')}`);
console.log(
  '| stage | RSS MiB, median (min–max) | anonymous MiB | file-backed MiB | ratio to bare node (same round) |',
);
console.log('|---|---|---|---|---|');
for (const subject of subjects) {
  const entry = results.get(subject)!;
  const median = (values: number[]) => spread(values).median.toFixed(1);
  const name = names[subject === 'daemon' ? names.length - 1 : subject]!;
  console.log(
    `| ${name} | ${median(entry.rss)} (${spread(entry.rss).min.toFixed(1)}–${spread(entry.rss).max.toFixed(1)}) | ${median(entry.anonymous)} | ${median(entry.file)} | ${showSpread(spread(entry.ratio), 2, '×')} |`,
  );
}
