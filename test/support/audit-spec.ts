// A whole evaluation of a described host: the real resolve stage, every view, the real runner.
import { CHECKS } from '../../src/checks/index.js';
import { evaluateViews } from '../../src/checks/run.js';
import type { Finding } from '../../src/checks/types.js';
import { resolveViews } from '../../src/resolve/index.js';
import { BUNDLED_RELEASES } from '../../src/resolve/release-table.js';
import { hostSnapshot, type HostSpec } from './host.js';

export const CONTEXT = { now: new Date('2026-11-29T10:00:00.000Z'), internalCIDRs: [], strictAuthentication: false };

/** Every finding of an audit of the host, by check id. */
export function auditSpec(spec: HostSpec): Map<string, Finding> {
  const views = resolveViews(hostSnapshot(spec), { releases: BUNDLED_RELEASES });
  return new Map(evaluateViews(CHECKS, views, CONTEXT).map((f) => [f.id, f]));
}
