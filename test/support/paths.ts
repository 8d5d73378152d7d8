import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, whether tests run from `test/` under tsx or from `dist/test/` after tsc.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = here.includes(`${path.sep}dist${path.sep}`)
  ? path.resolve(here, '../../..')
  : path.resolve(here, '../..');
