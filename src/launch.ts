#!/usr/bin/env node
// The entry of the bundled program: dist/bundle/cli.js (what `scripts/audit-once.sh` and the
// package's `bin` run) and the single executable's main script. It only starts the program
// (src/code-cache.ts) from the bundles beside it, or inside the single executable from its
// assets (packaging/build.sh). Built as CommonJS by scripts/bundle.sh, where import.meta.dirname
// becomes __dirname.
import { getAsset, getRawAsset, isSea } from 'node:sea';
import { bundlesIn, cacheName, runApp } from './code-cache.js';

runApp(
  isSea()
    ? {
        source: (bundle) => getAsset(bundle, 'utf8'),
        cache(bundle) {
          try {
            return new Uint8Array(getRawAsset(cacheName(bundle)));
          } catch {
            return undefined;
          }
        },
        filename: () => process.execPath,
      }
    : bundlesIn(import.meta.dirname),
);
