// First source: each component's own process, its argv in `<proc>/<pid>/cmdline` (read in host.ts).
import type { ComponentSourceModule } from './types.js';

export const ownProcess: ComponentSourceModule = {
  name: 'process',
  find: (context) => [...context.scanned],
};
