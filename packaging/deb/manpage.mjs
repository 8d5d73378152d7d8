// Turns `scs-node-audit --help` (on stdin) into a roff man page (on stdout), so the man page
// can never disagree with --help.
import { readFileSync } from 'node:fs';

const version = process.argv[2] ?? '0.0.0';
const help = readFileSync(0, 'utf8');
const escape = (line) => line.replaceAll('\\', '\\e').replace(/^([.'])/, '\\&$1');
process.stdout.write(
  [
    `.TH SCS-NODE-AUDIT 1 "" "scs-node-audit ${version}" "User Commands"`,
    '.SH NAME',
    'scs-node-audit \\- audit Kubernetes nodes against SCS scs-0217 cluster hardening',
    '.SH DESCRIPTION',
    '.nf',
    ...help.trimEnd().split('\n').map(escape),
    '.fi',
    '.SH FILES',
    '/etc/scs-node-audit/config.yaml',
    '',
  ].join('\n'),
);
