// One line per event on stdout (journald keeps it), logfmt or JSON, as the Prometheus
// ecosystem's `--log.format` / `--log.level` flags do.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Field values are plain scalars: a log line never carries objects (or secrets inside them). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export type LogFunction = (message: string, fields?: LogFields) => void;

export interface Logger {
  debug: LogFunction;
  info: LogFunction;
  warn: LogFunction;
  error: LogFunction;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where a finished line (with its newline) goes; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const minimum = LOG_LEVELS.indexOf(options.level);
  const render = options.format === 'json' ? renderJsonLine : renderLogfmtLine;
  const at =
    (level: LogLevel): LogFunction =>
    (message, fields = {}) => {
      if (LOG_LEVELS.indexOf(level) < minimum) return;
      write(render({ ts: now().toISOString(), level, msg: message, ...fields }) + '\n');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (tests, `buildServer` without a logger). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function definedEntries(fields: LogFields): [string, string | number | boolean | null][] {
  return Object.entries(fields).filter(
    (entry): entry is [string, string | number | boolean | null] => entry[1] !== undefined,
  );
}

function renderJsonLine(fields: LogFields): string {
  // JSON.stringify escapes newlines and control characters, so the event stays on one line.
  return JSON.stringify(Object.fromEntries(definedEntries(fields)));
}

export function renderLogfmtLine(fields: LogFields): string {
  return definedEntries(fields)
    .map(([key, value]) => `${logfmtKey(key)}=${logfmtValue(value)}`)
    .join(' ');
}

function logfmtKey(key: string): string {
  const cleaned = key.replace(/[^A-Za-z0-9_.-]/g, '_');
  return cleaned === '' ? '_' : cleaned;
}

function logfmtValue(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  const text = String(value);
  // Quote when a reader could split the value; JSON string escaping covers quotes,
  // backslashes, newlines and other control characters (one event, one line).
  if (text === '' || /[\s="\\\p{Cc}]/u.test(text)) return JSON.stringify(text);
  return text;
}
