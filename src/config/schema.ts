// The config file's schema: one rule per key (scripts/gen-schemas.ts turns it into JSON Schema),
// and the validation of a parsed document against it, waivers included.
import path from 'node:path';
import { COMPONENTS } from '../collect/types.js';
import { LOG_FORMATS, LOG_LEVELS } from '../log.js';
import { PROBE_TIMEOUT_MAX_MS } from '../collect/probes/plan.js';
import { CHECKS } from '../checks/index.js';
import { SELECTABLE_COMPONENTS, SELECTABLE_LEVELS } from '../checks/select.js';
import { COLOR_MODES, configError, FAIL_ON, FORMATS, type ConfigErrorCode } from './settings.js';
import {
  cidrProblem,
  cidrScopeProblem,
  dateProblem,
  describe,
  durationProblem,
  listenProblem,
  urlProblem,
} from './values.js';

// ---- the config file schema -------------------------------------------------------------------

/** One node of the config file's schema; scripts/gen-schemas.ts turns the tree into JSON Schema. */
export type Rule =
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'duration'; minMs?: number }
  | { kind: 'listen' }
  /** `internal`: only non-public ranges; `public`: any range an operator can own (see MIN_PUBLIC_DECLARED_PREFIX). */
  | { kind: 'cidrs'; scope: 'internal' | 'public' }
  | { kind: 'url' }
  | { kind: 'checkIds' }
  | { kind: 'enumList'; values: readonly string[] }
  | { kind: 'waivers' }
  | { kind: 'object'; keys: Record<string, Rule> };

const PATH_RULE: Rule = { kind: 'path' };
export const SCHEMA: Rule = {
  kind: 'object',
  keys: {
    root: PATH_RULE,
    proc: PATH_RULE,
    format: { kind: 'enum', values: FORMATS },
    output: PATH_RULE,
    failOn: { kind: 'enum', values: FAIL_ON },
    listen: { kind: 'listen' },
    interval: { kind: 'duration' },
    // Any positive deadline: a tiny one only makes every audit fail, loudly.
    auditTimeout: { kind: 'duration', minMs: 1 },
    log: {
      kind: 'object',
      keys: { level: { kind: 'enum', values: LOG_LEVELS }, format: { kind: 'enum', values: LOG_FORMATS } },
    },
    web: { kind: 'object', keys: { configFile: PATH_RULE } },
    probes: {
      kind: 'object',
      keys: {
        enabled: { kind: 'boolean' },
        // Each probe is bounded anyway, so a larger value would be a setting that does nothing.
        timeoutMs: { kind: 'integer', min: 1, max: PROBE_TIMEOUT_MAX_MS },
        etcd: { kind: 'object', keys: { certFile: PATH_RULE, keyFile: PATH_RULE, caFile: PATH_RULE } },
      },
    },
    // A public range declared internal turns a public plain-HTTP port into a pass, so it needs
    // its own, loudly named key; internalCIDRs refuses it (issue 11).
    network: {
      kind: 'object',
      keys: {
        internalCIDRs: { kind: 'cidrs', scope: 'internal' },
        publicCIDRsDeclaredInternal: { kind: 'cidrs', scope: 'public' },
      },
    },
    authentication: { kind: 'object', keys: { strict: { kind: 'boolean' } } },
    releases: { kind: 'object', keys: { file: PATH_RULE, url: { kind: 'url' } } },
    color: { kind: 'enum', values: COLOR_MODES },
    hideSkipped: { kind: 'boolean' },
    expect: { kind: 'enumList', values: COMPONENTS },
    waivers: { kind: 'waivers' },
    waiversFile: PATH_RULE,
    selection: {
      kind: 'object',
      keys: {
        checks: { kind: 'checkIds' },
        skip: { kind: 'checkIds' },
        levels: { kind: 'enumList', values: SELECTABLE_LEVELS },
        components: { kind: 'enumList', values: SELECTABLE_COMPONENTS },
      },
    },
  },
};

/** Every check id the registry knows: waivers and selections may name only these. */
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
export const WAIVER_KEYS = ['check', 'reason', 'owner', 'expires', 'component'] as const;

/** The documented keys, as dotted paths (README and `--help` list them; a test keeps them in step). */
export function configKeys(rule: Rule = SCHEMA, prefix = ''): string[] {
  if (rule.kind !== 'object') return [prefix];
  return Object.entries(rule.keys).flatMap(([key, child]) => configKeys(child, prefix ? `${prefix}.${key}` : key));
}

export function validate(value: unknown, rule: Rule, key: string, origin: string): void {
  const fail = (code: ConfigErrorCode, problem: string) => {
    throw configError(code, key, `${origin}: ${key}: ${problem}`);
  };
  const wrongType = (expected: string) => fail('CONFIG_TYPE', `must be ${expected}, got ${describe(value)}`);
  switch (rule.kind) {
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
        return wrongType('a mapping');
      for (const [child, childValue] of Object.entries(value)) {
        const childKey = key ? `${key}.${child}` : child;
        // Own keys only: `toString` or `constructor` would otherwise find Object.prototype's.
        const childRule = Object.hasOwn(rule.keys, child) ? rule.keys[child] : undefined;
        if (!childRule) {
          throw configError(
            'CONFIG_UNKNOWN_KEY',
            childKey,
            `${origin}: ${childKey}: unknown key (known here: ${Object.keys(rule.keys).join(', ')})`,
          );
        }
        validate(childValue, childRule, childKey, origin);
      }
      return;
    }
    case 'string':
    case 'path':
      if (typeof value !== 'string') return wrongType('a string');
      if (value === '') return fail('CONFIG_VALUE', 'must not be empty');
      if (value.includes('\0')) return fail('CONFIG_VALUE', 'must not contain a NUL byte');
      // Relative to what? The daemon's cwd is an accident; say what is meant.
      if (rule.kind === 'path' && !path.isAbsolute(value))
        return fail('CONFIG_VALUE', `"${value}" must be an absolute path`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType('true or false');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer');
      if (value < rule.min || value > rule.max)
        return fail('CONFIG_VALUE', `${value} is out of range ${rule.min}–${rule.max}`);
      return;
    case 'enum':
      if (typeof value !== 'string') return wrongType(`one of ${rule.values.join(', ')}`);
      if (!rule.values.includes(value))
        return fail('CONFIG_VALUE', `"${value}" is not one of ${rule.values.join(', ')}`);
      return;
    case 'duration': {
      if (typeof value !== 'string') return wrongType('a duration string such as "60s" or "5m"');
      const problem = durationProblem(value, rule.minMs);
      if (problem) return fail('CONFIG_VALUE', problem);
      return;
    }
    case 'listen': {
      if (typeof value !== 'string') return wrongType('a string ADDR:PORT');
      const problem = listenProblem(value);
      if (problem) return fail('CONFIG_VALUE', `"${value}" ${problem}`);
      return;
    }
    case 'url': {
      if (typeof value !== 'string') return wrongType('a URL string');
      const problem = urlProblem(value);
      if (problem) return fail('CONFIG_VALUE', problem);
      return;
    }
    case 'checkIds':
    case 'enumList': {
      const allowed = rule.kind === 'checkIds' ? CHECK_IDS : rule.values;
      const what = rule.kind === 'checkIds' ? 'check id' : 'value';
      if (!Array.isArray(value)) return wrongType(`a list of ${what}s`);
      if (value.length === 0) return fail('CONFIG_VALUE', 'must not be an empty list (leave the key out instead)');
      value.forEach((item: unknown, index) => {
        const itemKey = `${key}[${index}]`;
        if (typeof item !== 'string' || !allowed.includes(item)) {
          const shown = typeof item === 'string' ? `"${item}"` : describe(item);
          throw configError(
            'CONFIG_VALUE',
            itemKey,
            `${origin}: ${itemKey}: ${shown} is not a known ${what} (known: ${allowed.join(', ')})`,
          );
        }
      });
      return;
    }
    case 'waivers':
      validateWaivers(value, key, origin);
      return;
    case 'cidrs': {
      if (!Array.isArray(value)) return wrongType('a list of CIDRs');
      value.forEach((item: unknown, index) => {
        const itemKey = `${key}[${index}]`;
        if (typeof item !== 'string')
          throw configError(
            'CONFIG_TYPE',
            itemKey,
            `${origin}: ${itemKey}: must be a CIDR string, got ${describe(item)}`,
          );
        const problem = cidrProblem(item);
        if (problem)
          throw configError('CONFIG_VALUE', itemKey, `${origin}: ${itemKey}: "${item}" is not a CIDR (${problem})`);
        const scopeProblem = cidrScopeProblem(item, rule.scope);
        if (scopeProblem)
          throw configError('CONFIG_VALUE', itemKey, `${origin}: ${itemKey}: "${item}" ${scopeProblem}`);
      });
      return;
    }
  }
}

/**
 * `waivers:` — a list of {check, reason, owner, expires, component?}. Every problem is a config
 * error naming the entry's key path: an unknown check id, a date that is no calendar date, an
 * empty reason or owner, a component that is not the check's, the same check waived twice.
 */
export function validateWaivers(value: unknown, key: string, origin: string): void {
  const fail = (at: string, problem: string): never => {
    throw configError('CONFIG_WAIVER', at, `${origin}: ${at}: ${problem}`);
  };
  if (!Array.isArray(value)) return fail(key, `must be a list of waivers, got ${describe(value)}`);
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const at = `${key}[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      return fail(at, `must be a mapping with check, reason, owner and expires, got ${describe(entry)}`);
    const waiver = entry as Record<string, unknown>;
    for (const field of Object.keys(waiver)) {
      if (!(WAIVER_KEYS as readonly string[]).includes(field))
        fail(`${at}.${field}`, `unknown key (known here: ${WAIVER_KEYS.join(', ')})`);
    }
    const text = (field: string): string => {
      const v = waiver[field];
      if (v === undefined) return fail(`${at}.${field}`, 'is required');
      if (typeof v !== 'string') return fail(`${at}.${field}`, `must be a string, got ${describe(v)}`);
      if (v.trim() === '') return fail(`${at}.${field}`, 'must not be empty');
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      if (/[\u0000-\u001f\u007f]/.test(v) && field !== 'reason')
        return fail(`${at}.${field}`, 'must not contain control characters');
      return v;
    };
    const check = text('check');
    const definition = CHECKS.find((c) => c.id === check);
    if (!definition) fail(`${at}.check`, `"${check}" is not a known check id (known: ${CHECK_IDS.join(', ')})`);
    if (seen.has(check)) fail(`${at}.check`, `"${check}" is waived twice; keep one entry per check`);
    seen.add(check);
    text('reason');
    text('owner');
    const problem = dateProblem(text('expires'));
    if (problem) fail(`${at}.expires`, problem);
    if (waiver.component !== undefined && waiver.component !== definition!.component) {
      fail(
        `${at}.component`,
        `${check} is a check of component "${definition!.component}", not ${describe(waiver.component)}`,
      );
    }
  });
}
