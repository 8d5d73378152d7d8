// How the bundled program starts (src/launch.ts; scripts/bundle.sh builds the bundles): each
// bundle is compiled with a V8 code cache written by a training run (scripts/train-code-cache.ts),
// not by Node's own caches. Both of those are written right after compiling, before anything
// runs, so they hold only the top level: each of the hundreds of functions an audit calls (the
// yaml package's lexer among them) was compiled again at every start. A cache taken when the
// training audit has finished holds every function it compiled. Nor do the bundles use Node's
// compile cache: by default it lives in $TMPDIR, where another local user could plant code for a
// root run to execute (src/cli.ts keeps it in dist/ for dist/src/cli.js only).
// V8 accepts a cache only from the same V8 version and flags and for a source of the same length
// (https://v8.dev/blog/code-caching-for-devs); otherwise it compiles as usual, only slower.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

/** The program (src/cli.ts), every package it needs on every run bundled in. */
export const APP_BUNDLE = 'app.js';
/**
 * fastify (with its ~40 packages), prom-client and bcryptjs, which only the daemon and
 * `--format prometheus` load: apart, `--once` reads, decodes and compiles 0.47 MB, not 1.2 MB.
 */
export const DAEMON_PACKAGES_BUNDLE = 'daemon-packages.js';
/** The packages in it; scripts/bundle.sh keeps them out of app.js (`--external`). */
export const DAEMON_PACKAGES = ['fastify', 'prom-client', 'bcryptjs'] as const;

/** A bundle's trained cache is stored beside it: app.js → app.cache. */
export function cacheName(bundle: string): string {
  return bundle.replace(/\.js$/, '.cache');
}

/** Where the bundles come from: files in a directory, or the single executable's assets. */
export interface BundleStore {
  source(bundle: string): string;
  /** The trained cache; undefined when there is none (the program then only starts slower). */
  cache(bundle: string): Uint8Array | undefined;
  /** The file name stack traces show. */
  filename(bundle: string): string;
}

export function bundlesIn(directory: string): BundleStore {
  return {
    source: (bundle) => readFileSync(path.join(directory, bundle), 'utf8'),
    cache(bundle) {
      try {
        return readFileSync(path.join(directory, cacheName(bundle)));
      } catch {
        return undefined;
      }
    },
    filename: (bundle) => path.join(directory, bundle),
  };
}

/** Runs the program from `store`, handing out the daemon's packages when it first requires one. */
export function runApp(store: BundleStore): void {
  let packages: Record<string, () => unknown> | undefined;
  const require = (id: string): unknown => {
    if (!(DAEMON_PACKAGES as readonly string[]).includes(id)) return builtinRequire(id);
    packages ??= (compileBundle(store, DAEMON_PACKAGES_BUNDLE).run() as { packages: Record<string, () => unknown> })
      .packages;
    const load = packages[id];
    if (load === undefined) throw moduleNotFound(id, `${DAEMON_PACKAGES_BUNDLE} does not bundle it`);
    return load();
  };
  compileBundle(store, APP_BUNDLE, require).run();
}

export interface CompiledBundle {
  script: Script;
  /** Runs the bundle's top level, as Node runs a CommonJS file, and returns its module.exports. */
  run(): unknown;
}

type CommonJsBody = (
  exports: object,
  require: (id: string) => unknown,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * Compiles a CommonJS bundle with its cache (if `store` has one). Its `require` reaches built-in
 * modules only, as inside a single executable, unless `require` is given: the rest is bundled.
 */
export function compileBundle(
  store: BundleStore,
  bundle: string,
  require: (id: string) => unknown = builtinRequire,
): CompiledBundle {
  const cachedData = store.cache(bundle);
  const filename = store.filename(bundle);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${store.source(bundle)}\n})`,
    {
      filename,
      ...(cachedData !== undefined && { cachedData }),
    },
  );
  return {
    script,
    run() {
      const body = script.runInThisContext() as CommonJsBody;
      const module = { exports: {} };
      // Only the call: like the single executable's `require`
      // (nodejs.org/api/single-executable-applications.html), it has none of resolve, cache or
      // main; fastify, the one package that looks at require.cache, expects that inside one.
      body(module.exports, require, module, filename, path.dirname(filename));
      return module.exports;
    },
  };
}

function builtinRequire(id: string): unknown {
  const loaded = process.getBuiltinModule(id);
  if (loaded === undefined) throw moduleNotFound(id, 'not a built-in module, and not bundled');
  return loaded;
}

function moduleNotFound(id: string, why: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}': ${why}`), { code: 'MODULE_NOT_FOUND' });
}
