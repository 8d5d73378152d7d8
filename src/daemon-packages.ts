// The entry of dist/bundle/daemon-packages.js (scripts/bundle.sh): the npm packages that only the
// daemon and `--format prometheus` use, bundled apart from the program so that `--once` does not
// read and compile them (src/code-cache.ts hands them out). Each is evaluated when first asked for,
// and is what require() of it returns, so the program sees the same module as when bundled in.
/* eslint-disable @typescript-eslint/no-require-imports -- a require() esbuild bundles is what defers evaluating each package */
import type { DAEMON_PACKAGES } from './code-cache.js';

export const packages: Record<(typeof DAEMON_PACKAGES)[number], () => unknown> = {
  fastify: () => require('fastify') as unknown,
  'prom-client': () => require('prom-client') as unknown,
  bcryptjs: () => require('bcryptjs') as unknown,
};
/* eslint-enable @typescript-eslint/no-require-imports */
