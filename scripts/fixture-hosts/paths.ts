// Where the generator reads and writes: the committed trees and certificates of the repository.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository: two levels up when run by tsx, three from dist/scripts/ after `tsc` (which copies no fixtures). */
export const repo =
  [path.resolve(here, '../..'), path.resolve(here, '../../..')].find((dir) =>
    existsSync(path.join(dir, 'test/fixtures/certs')),
  ) ?? path.resolve(here, '../..');

export const hostsDir = path.join(repo, 'test/fixtures/hosts');

export const certsDir = path.join(repo, 'test/fixtures/certs');

/** Files of a fixture written by hand, which the generator never touches. */
export const HAND_WRITTEN: readonly string[] = ['README.md', 'expected.json', 'audit-config.yaml'];
