// Trains the bundled program's code caches (src/code-cache.ts). It compiles the bundles in a
// directory exactly as the launcher does, runs app.js as `--once` on the kubeadm control-plane
// fixture (JSON, then text) and loads every package of daemon-packages.js, then writes V8's cache
// of every function compiled by then beside each bundle. V8 accepts a cache only in a runtime of
// the same version started with the same V8 flags, so run this with the runtime and the flags that
// will read it (scripts/bundle.sh: the build's node; packaging/build.sh: the single executable's).
//   node [V8 flags] train-code-cache.js BUNDLE-DIR CACHE-DIR FIXTURE-DIR   (the reports go to stdout)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  APP_BUNDLE,
  bundlesIn,
  cacheName,
  compileBundle,
  DAEMON_PACKAGES,
  DAEMON_PACKAGES_BUNDLE,
} from '../src/code-cache.js';

const [bundleDir, cacheDir, fixture] = process.argv.slice(2) as Array<string | undefined>;
if (bundleDir === undefined || cacheDir === undefined || fixture === undefined) {
  process.stderr.write('usage: train-code-cache BUNDLE-DIR CACHE-DIR FIXTURE-DIR\n');
  process.exit(2);
}
const cacheDirectory = cacheDir;
// Untrained: no cache is read, whatever lies in the directory.
const store = { ...bundlesIn(path.resolve(bundleDir)), cache: () => undefined };
const host = ['--once', '--root', fixture, '--config', path.join(fixture, 'audit-config.yaml')];
const runs = [
  [...host, '--format', 'json'],
  [...host, '--format', 'text'],
];

const packages = compileBundle(store, DAEMON_PACKAGES_BUNDLE);
const loaded = (packages.run() as { packages: Record<string, () => unknown> }).packages;
for (const name of DAEMON_PACKAGES) loaded[name]?.();

const app = compileBundle(store, APP_BUNDLE);
let done = 0;

function runNext(): void {
  process.argv = [process.execPath, store.filename(APP_BUNDLE), ...(runs[done] ?? [])];
  process.exitCode = undefined;
  app.run();
}

function save(bundle: string, cache: Buffer): void {
  const file = path.join(cacheDirectory, cacheName(bundle));
  writeFileSync(file, cache);
  process.stderr.write(`train-code-cache: ${file}: ${cache.length} bytes\n`);
}

// A run has ended when the event loop is empty; the program only sets the exit code.
process.on('beforeExit', () => {
  const code = process.exitCode;
  // 0 compliant, 1 not compliant: the audit ran. Anything else means the bundle is broken.
  if (code !== undefined && code !== 0 && code !== 1) {
    const run = (runs[done] ?? []).join(' ');
    process.stderr.write(`train-code-cache: run ${done + 1} (${run}) ended with exit code ${String(code)}\n`);
    process.exit(1);
  }
  done += 1;
  if (done < runs.length) {
    // From the event loop: started from here, a run that never waits on I/O would end within this
    // handler's microtasks, and node would exit without another beforeExit.
    setImmediate(runNext);
    return;
  }
  save(APP_BUNDLE, app.script.createCachedData());
  save(DAEMON_PACKAGES_BUNDLE, packages.script.createCachedData());
  process.exitCode = 0;
});

runNext();
