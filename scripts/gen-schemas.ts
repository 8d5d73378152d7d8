// Generates docs/schema/config.schema.json from the config file's own rule tree (src/config.ts
// SCHEMA), so the published schema cannot drift from what the program accepts; test/ops/schema.test.ts
// regenerates it in memory and fails on a difference. docs/schema/report.schema.json is written
// by hand (it describes output) and validated against real reports by the same test.
//
//   node --import tsx scripts/gen-schemas.ts          write docs/schema/config.schema.json
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_IDS, SCHEMA, WAIVER_KEYS, type Rule } from '../src/config.js';
import { SELECTABLE_COMPONENTS } from '../src/checks/select.js';
import { repoRoot } from './gen-docs.js';

export const CONFIG_SCHEMA_PATH = 'docs/schema/config.schema.json';

type JsonSchema = Record<string, unknown>;

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

function schemaOf(rule: Rule): JsonSchema {
  switch (rule.kind) {
    case 'string':
      return { type: 'string', minLength: 1 };
    case 'path':
      return { type: 'string', pattern: '^/', description: 'an absolute path' };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', minimum: rule.min, maximum: rule.max };
    case 'enum':
      return { type: 'string', enum: [...rule.values] };
    case 'duration':
      return {
        type: 'string',
        pattern: '^(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+$',
        description: 'Go duration, 5s to 24h',
      };
    case 'listen':
      return { type: 'string', pattern: '^(\\[[^\\]]*\\]|[^:\\[\\]]*):\\d{1,5}$', description: 'ADDR:PORT' };
    case 'cidrs':
      return { type: 'array', items: { type: 'string', pattern: '/\\d{1,3}$' } };
    case 'url':
      return { type: 'string', pattern: '^https?://', description: 'an http:// or https:// URL without credentials' };
    case 'checkIds':
      return { type: 'array', minItems: 1, items: { type: 'string', enum: [...CHECK_IDS] } };
    case 'enumList':
      return { type: 'array', minItems: 1, items: { type: 'string', enum: [...rule.values] } };
    case 'waivers':
      return {
        type: 'array',
        description: 'accepted deviations; a waived fail does not count until 00:00 UTC of its expiry date',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['check', 'reason', 'owner', 'expires'],
          properties: Object.fromEntries(
            WAIVER_KEYS.map((key) => [
              key,
              key === 'check'
                ? { type: 'string', enum: [...CHECK_IDS] }
                : key === 'expires'
                  ? {
                      type: 'string',
                      pattern: DATE_PATTERN,
                      description: 'YYYY-MM-DD, the first day the waiver no longer applies',
                    }
                  : key === 'component'
                    ? { type: 'string', enum: [...SELECTABLE_COMPONENTS] }
                    : { type: 'string', minLength: 1 },
            ]),
          ),
        },
      };
    case 'object':
      return {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(rule.keys).map(([key, child]) => [key, schemaOf(child)])),
      };
  }
}

export function configJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'scs-node-audit config file (/etc/scs-node-audit/config.yaml)',
    description:
      'Generated from src/config.ts by scripts/gen-schemas.ts. YAML 1.1 as Kubernetes reads it; the program also checks what a schema cannot (calendar dates, CIDR ranges, duration bounds).',
    ...schemaOf(SCHEMA),
  };
}

export function renderConfigSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(path.join(repoRoot(), CONFIG_SCHEMA_PATH), renderConfigSchema());
}
