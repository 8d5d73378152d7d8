// Parsing argv: the flag tables of the audit and of `releases`, strict parsing, and usage
// messages that name the flag. Pure: arguments in, flags or a message out.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FlagValues } from '../config.js';

const OPTIONS = {
  once: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  'no-probes': { type: 'boolean' },
  root: { type: 'string' },
  proc: { type: 'string' },
  config: { type: 'string' },
  listen: { type: 'string' },
  'web.listen-address': { type: 'string' },
  'web.config.file': { type: 'string' },
  interval: { type: 'string' },
  'log.level': { type: 'string' },
  'log.format': { type: 'string' },
  color: { type: 'string' },
  'hide-skipped': { type: 'boolean' },
  expect: { type: 'string' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // Check selection (issue 11), kube-bench's --check/--skip plus level and component.
  check: { type: 'string' },
  skip: { type: 'string' },
  level: { type: 'string' },
  component: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const RELEASES_OPTIONS = {
  output: { type: 'string' },
  url: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type Parsed =
  | { ok: true; once: boolean; help: boolean; version: boolean; configPath: string | undefined; flags: FlagValues }
  | { ok: false; message: string };

/** Parse argv strictly: an unknown, repeated or malformed flag is a usage error naming it. */
export function parseCommandLine(args: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    return { ok: false, message: usageMessage(error) };
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    // parseArgs keeps the last of a repeated flag silently; an operator who wrote two meant one of them.
    if (seen.has(token.name)) return { ok: false, message: `${token.rawName.split('=')[0]!}: given more than once` };
    seen.add(token.name);
  }
  const { once, help, version, config, ...flags } = parsed.values;
  if (flags['web.listen-address'] !== undefined) {
    // One setting under two names (ours and node_exporter's); both at once is a contradiction.
    if (flags.listen !== undefined)
      return { ok: false, message: '--listen and --web.listen-address: give one of them, they are the same setting' };
    flags.listen = flags['web.listen-address'];
  }
  return { ok: true, once: once === true, help: help === true, version: version === true, configPath: config, flags };
}

export function usageMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const named = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${named ?? message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(named ?? message)} (this command takes flags only)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message
        .replace(/^Option '([^']+)'/, '$1')
        .replace(/ argument missing$/, ' needs a value')
        .split('\n')[0]!;
    default:
      return message.split('\n')[0]!;
  }
}
