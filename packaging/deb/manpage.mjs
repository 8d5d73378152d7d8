// Writes the man page scs-node-audit(1) in roff (man(7) macros) to stdout.
// Usage: scs-node-audit --help | node packaging/deb/manpage.mjs VERSION packaging/deb/changelog
// The options, exit codes and examples are read from `--help`, so the page cannot disagree
// with the program; the sections --help has no room for (FILES, ENVIRONMENT, SEE ALSO) are
// written here. The date is the newest changelog entry's, so a rebuild gives the same page.
import { readFileSync } from 'node:fs';

const [version = '0.0.0', changelogPath = new URL('./changelog', import.meta.url)] = process.argv.slice(2);
const help = readFileSync(0, 'utf8');

/** Characters outside ASCII, as groff's portable escapes (groff_char(7)); troff warns on raw UTF-8. */
const GLYPHS = { '…': '...', '–': '\\(en', '—': '\\(em', '→': '\\(->', '·': '\\(pc', '≥': '\\(>=', '≤': '\\(<=' };
/** Text for roff: backslashes escaped, `-` as a minus/hyphen that copies and searches as "-". */
const text = (line) =>
  line
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replace(/[^\x00-\x7f]/g, (c) => {
      if (!(c in GLYPHS)) throw new Error(`manpage.mjs: no roff glyph for ${JSON.stringify(c)} in --help`);
      return GLYPHS[c];
    });
/** A line of running text may not start with a control character (`.` or `'`). */
const line = (content) => text(content).replace(/^([.'])/, '\\&$1');
/** Option names and metavariables: bold flag, italic argument (man-pages(7) conventions). */
const optionTerm = (term) =>
  term
    .split(', ')
    .map((part) => {
      const [flag, ...args] = part.split(' ');
      return `\\fB${text(flag)}\\fR${args.map((arg) => ` \\fI${text(arg)}\\fR`).join('')}`;
    })
    .join(', ');

function changelogDate() {
  const entry = /^ -- .+?  (.+)$/m.exec(readFileSync(changelogPath, 'utf8'));
  if (!entry) throw new Error('packaging/deb/changelog: no trailer line with a date');
  const date = new Date(entry[1]);
  if (Number.isNaN(date.getTime())) throw new Error(`packaging/deb/changelog: "${entry[1]}" is not a date`);
  return date.toISOString().slice(0, 10);
}

/** The lines of the --help section that starts with a line matching `heading`, up to the next blank line. */
function section(heading) {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`--help has no section ${heading}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** `  --flag ARG   description` items with indented continuation lines → [{term, body}]. */
function items(lines, itemPattern) {
  const out = [];
  for (const l of lines) {
    const match = itemPattern.exec(l);
    if (match) out.push({ term: match[1].trim(), body: [(match[2] ?? '').trim()] });
    else if (out.length > 0 && l.trim() !== '') out.at(-1).body.push(l.trim());
  }
  // --help aligns columns with runs of spaces; in a filled paragraph they are one space.
  return out.map(({ term, body }) => ({
    term,
    body: body.filter((b) => b !== '').map((b) => b.replace(/\s{2,}/g, ' ')),
  }));
}

/** Body lines as roff: a continuation that starts with `word:` (a sub-item such as "must: …") starts a new line. */
const bodyLines = (body) => body.flatMap((b, i) => (i > 0 && /^[\w.]+: /.test(b) ? ['.br', line(b)] : [line(b)]));

const description = help.split('\n\n')[1].split('\n').join(' ');
const options = items(section(/^Flags/), /^  (-\S.*?)(?:\s{2,}(.*))?$/);
const exitCodes = items(section(/^Exit codes/), /^  (\d)  (.*)$/);
const examples = section(/^Examples:/);
const closing = help.trimEnd().split('\n').at(-1);

const page = [
  `.TH SCS\\-NODE\\-AUDIT 1 ${changelogDate()} "scs\\-node\\-audit ${version}" "User Commands"`,
  '.SH NAME',
  'scs\\-node\\-audit \\- audit a Kubernetes node against SCS scs\\-0217 cluster hardening',
  '.SH SYNOPSIS',
  '.B scs\\-node\\-audit',
  '.B \\-\\-once',
  '.RI [ option ...]',
  '.br',
  '.B scs\\-node\\-audit',
  '.RI [ option ...]',
  '.SH DESCRIPTION',
  line(description),
  'With',
  '.B \\-\\-once',
  'the report goes to standard output (or',
  '.BR \\-\\-output )',
  'and the exit status says the verdict; the daemon also serves a status page at',
  '.IR / .',
  '.PP',
  line(closing),
  '.SH OPTIONS',
  'Every option but',
  '.BR \\-\\-once ,',
  '.BR \\-\\-config ,',
  '.B \\-\\-version',
  'and',
  '.B \\-\\-help',
  'can also be set in the configuration file; an option wins over the file.',
  'An option given twice, an unknown option or an argument is a usage error.',
  ...options.flatMap(({ term, body }) => ['.TP', optionTerm(term), ...bodyLines(body)]),
  '.SH EXIT STATUS',
  'For',
  '.BR \\-\\-once :',
  ...exitCodes.flatMap(({ term, body }) => ['.TP', `.B ${term}`, ...bodyLines(body)]),
  '.PP',
  'The daemon exits 0 after',
  '.B SIGTERM',
  'or',
  '.BR SIGINT ,',
  '2 for an invalid configuration and 3 when it cannot start (for example, the listen address is in use).',
  '.SH ENVIRONMENT',
  '.TP',
  '.B NO_COLOR',
  'Any non\\-empty value turns off the colours of the text report (https://no\\-color.org).',
  '.TP',
  '.B FORCE_COLOR',
  'A non\\-empty value other than 0 or false colours the text report even when standard output is not a terminal; it wins over',
  '.BR NO_COLOR .',
  '.B \\-\\-color always',
  'or',
  '.B \\-\\-color never',
  'win over both.',
  '.TP',
  '.B TERM',
  'dumb turns colour off.',
  '.SH FILES',
  '.TP',
  '.I /etc/scs\\-node\\-audit/config.yaml',
  'The configuration file (YAML), read when present; see',
  '.BR \\-\\-config .',
  'Operators also keep the TLS, basic auth and etcd probe files it names in',
  '.IR /etc/scs\\-node\\-audit/ ;',
  'purging the package removes only its own configuration file.',
  '.TP',
  '.I /var/lib/scs\\-node\\-audit/',
  'A directory for reports written with',
  '.BR \\-\\-output .',
  '.TP',
  '.I /var/lib/prometheus/node\\-exporter/scs_node_audit.prom',
  'Written by',
  '.B scs\\-node\\-audit\\-once.service',
  '(started by its timer, when enabled) for the textfile collector of',
  '.BR prometheus\\-node\\-exporter (1).',
  '.TP',
  '.I /lib/systemd/system/scs\\-node\\-audit.service',
  'The daemon, listening on 127.0.0.1:20217;',
  '.B systemctl reload scs\\-node\\-audit',
  're\\-reads the configuration.',
  '.TP',
  '.I /proc',
  'The processes, their command lines, environments and sockets.',
  '.SH EXAMPLES',
  '.EX',
  ...examples.map((l) => line(l.trim())),
  '.EE',
  '.SH SEE ALSO',
  '.BR prometheus (1),',
  '.BR promtool (1),',
  '.BR prometheus\\-node\\-exporter (1),',
  '.BR systemctl (1)',
  '.PP',
  'The standard: \\%https://docs.scs.community/standards/scs\\-0217\\-v1\\-cluster\\-hardening',
  '.PP',
  '.I /usr/share/doc/scs\\-node\\-audit/',
  '',
];
process.stdout.write(page.join('\n'));
