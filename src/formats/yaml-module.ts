// The parts of the `yaml` package that yaml.ts uses, loaded on first use. The package is 72
// modules: loading it costs more than a whole audit of a host without Kubernetes, which never
// reads a YAML file. Loading is synchronous because collect and resolve are: `require` in the
// esbuild bundles of dist/bundle/ and the single executable (where esbuild turns it into a lazily
// evaluated module), `createRequire` when run as ES modules from dist/src/. The package's `node` export is CommonJS
// (`yaml/package.json` "exports"), so both give the same module.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export type { Document, YAMLError } from 'yaml';

let loaded: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  // `require` exists only in the CommonJS bundle; esbuild bundles a direct require('yaml') call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's lazy require is the point (see above)
  loaded ??= (typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml')) as typeof Yaml;
  return loaded;
}

// `new Lexer()` on a function that returns an object yields that object: the real class's instance.
export const Lexer = function Lexer() {
  return new (yaml().Lexer)();
} as unknown as typeof Yaml.Lexer;

export const Parser = function Parser(...args: ConstructorParameters<typeof Yaml.Parser>) {
  return new (yaml().Parser)(...args);
} as unknown as typeof Yaml.Parser;

export const Composer = function Composer(...args: ConstructorParameters<typeof Yaml.Composer>) {
  return new (yaml().Composer)(...args);
} as unknown as typeof Yaml.Composer;

export const isNode = ((node: unknown) => yaml().isNode(node)) as typeof Yaml.isNode;
export const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;

/** `visit` with its BREAK, SKIP and REMOVE markers, which are the package's own symbols. */
export const visit: typeof Yaml.visit = Object.defineProperties(
  ((...args: Parameters<typeof Yaml.visit>) => yaml().visit(...args)) as typeof Yaml.visit,
  {
    BREAK: { get: () => yaml().visit.BREAK },
    SKIP: { get: () => yaml().visit.SKIP },
    REMOVE: { get: () => yaml().visit.REMOVE },
  },
);
