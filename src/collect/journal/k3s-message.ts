// Parsing the k3s lines that carry a component's command line or the k3s version, as they reach the
// journal: k3s logs through logrus, whose TextFormatter writes `time="…" level=info msg="…"` when
// stderr is not a terminal (systemd's stdout stream), quoting a value with Go's %q
// (sirupsen/logrus:text_formatter.go `needsQuoting`, `appendValue`). On a terminal it writes
// `INFO[0000] …` instead; both forms, and a bare message, are accepted.

/** Components whose command line k3s logs as `Running <component> <args>`. */
export const K3S_COMPONENTS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
  'kubelet',
  'kube-proxy',
] as const;
export type K3sComponent = (typeof K3S_COMPONENTS)[number];

export type K3sLine =
  | { kind: 'start'; role: 'server' | 'agent'; version: string }
  | { kind: 'command-line'; component: K3sComponent; argv: string[]; ambiguous: string[] };

const GO_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * Reads a Go double-quoted string literal starting at `start` (on the quote), as strconv.Quote
 * writes it. Returns the value and the index after the closing quote, or undefined if malformed.
 */
export function readGoQuoted(text: string, start: number): { value: string; end: number } | undefined {
  if (text[start] !== '"') return undefined;
  let out = '';
  // \xNN escapes are raw bytes (strconv.Quote writes them for invalid UTF-8): collected, then decoded together.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  let i = start + 1;
  while (i < text.length) {
    const quote = text.indexOf('"', i);
    const backslash = text.indexOf('\\', i);
    if (quote < 0) return undefined;
    if (backslash < 0 || quote < backslash) {
      flush();
      out += text.slice(i, quote);
      return { value: out, end: quote + 1 };
    }
    if (backslash > i) {
      flush();
      out += text.slice(i, backslash);
    }
    i = backslash;
    const esc = text[i + 1] ?? '';
    const simple = GO_ESCAPES[esc];
    if (simple !== undefined) {
      flush();
      out += simple;
      i += 2;
    } else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const digits = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const n = Number.parseInt(hex, 16);
      if (esc === 'x') bytes.push(n);
      else if (n <= 0x10ffff) {
        flush();
        out += String.fromCodePoint(n);
      } else return undefined;
      i += 2 + digits;
    } else if (/^[0-7]$/.test(esc)) {
      const oct = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      bytes.push(Number.parseInt(oct, 8) & 0xff);
      i += 4;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The `msg` of a logrus line: from the key=value text format, the terminal format, or the line itself. */
export function logrusMessage(line: string): string {
  if (line.startsWith('time=') || line.startsWith('level=')) {
    // key=value pairs separated by single spaces; a value is a Go-quoted string or runs to the next space.
    let i = 0;
    while (i < line.length) {
      const eq = line.indexOf('=', i);
      if (eq < 0) break;
      const key = line.slice(i, eq);
      let value: string;
      let end: number;
      if (line[eq + 1] === '"') {
        const quoted = readGoQuoted(line, eq + 1);
        if (quoted === undefined) break;
        value = quoted.value;
        end = quoted.end;
      } else {
        const space = line.indexOf(' ', eq + 1);
        end = space < 0 ? line.length : space;
        value = line.slice(eq + 1, end);
      }
      if (key === 'msg') return value;
      i = end + 1;
    }
    return line;
  }
  // Terminal format: `INFO[0000] Running kube-apiserver …` (level, bracketed time, padded message).
  const tty = /^[A-Z]{4}\[[^\]]*\] (.*)$/s.exec(line);
  return tty?.[1]?.trimEnd() ?? line;
}

/**
 * Splits the argument string k3s logged. k3s builds it with `config.ArgString`, which joins the
 * arguments with single spaces (k3s-io/k3s:pkg/daemons/config/types.go `ArgString`), and every
 * argument comes from `config.GetArgs`, which always writes `--name=value`
 * (k3s-io/k3s:pkg/daemons/config/types.go `GetArgs`, later pkg/util/args.go). So a word that does
 * not start with `--` continues the previous argument's value, which contained a space. A value
 * that itself contains ` --` cannot be told apart from two arguments: such splits are reported.
 */
export function splitK3sArgs(text: string): { argv: string[]; ambiguous: string[] } {
  const argv: string[] = [];
  const ambiguous: string[] = [];
  for (const word of text.split(' ')) {
    const last = argv.length - 1;
    if (word.startsWith('--') || last < 0) {
      argv.push(word);
    } else {
      argv[last] = `${argv[last] ?? ''} ${word}`;
      const name = (argv[last] ?? '').split('=', 1)[0] ?? '';
      if (!ambiguous.includes(name)) ambiguous.push(name);
    }
  }
  return { argv: argv.filter((a) => a !== ''), ambiguous };
}

// `Starting k3s v1.33.4+k3s1 (abcdef12)` (server) and `Starting k3s agent v1.33.4+k3s1 (abcdef12)`:
// k3s-io/k3s:pkg/cli/server/server.go and pkg/cli/agent/agent.go log
// "Starting " + version.Program + [" agent"] + " " + app.Version.
const START = /^Starting k3s (agent )?(v\d+\.\d+\.\d+\S*)/;
// `Running kube-apiserver --…`: k3s-io/k3s:pkg/daemons/control/server.go (apiserver, scheduler,
// controller-manager, cloud-controller-manager) and pkg/daemons/agent/agent*.go (kubelet, kube-proxy).
const RUNNING = /^Running ([a-z-]+) (--.*)$/s;

/** Classifies one MESSAGE value of the k3s unit, or undefined when it is neither line. */
export function parseK3sMessage(message: string): K3sLine | undefined {
  // Cheap reject first: nearly every line of a running k3s is something else.
  if (!message.includes('Running ') && !message.includes('Starting k3s')) return undefined;
  const msg = logrusMessage(message);
  const start = START.exec(msg);
  if (start !== null)
    return { kind: 'start', role: start[1] === undefined ? 'server' : 'agent', version: start[2] ?? '' };
  const running = RUNNING.exec(msg);
  if (running === null) return undefined;
  const component = K3S_COMPONENTS.find((c) => c === running[1]);
  if (component === undefined) return undefined;
  const { argv, ambiguous } = splitK3sArgs(running[2] ?? '');
  return { kind: 'command-line', component, argv, ambiguous };
}
