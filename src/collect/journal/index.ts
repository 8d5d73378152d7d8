// The systemd journal, read natively (no journalctl, no child process): the k3s component command
// lines and version for the distribution sources of collect.
//
// API (as agreed in issue 8, with these additions, all optional to the caller):
//   readK3sCommandLines({ root, proc, units, pid?, bootId? }) → {
//     version?, role?, pid?, bootId?,
//     commandLines: { [component]: { argv, realtime, pid, file, unit, ambiguous } },
//     files, notes }
// - `realtime` is a number (µs since the epoch; exact as a double until the year 2255), not bigint,
//   so the result stays JSON-serialisable.
// - `commandLines` is keyed by the component name k3s logs: kube-apiserver, kube-controller-manager,
//   kube-scheduler, cloud-controller-manager, kubelet, kube-proxy. k3s logs no command line for its
//   embedded etcd: it writes <data-dir>/server/db/etcd/config instead
//   (k3s-io/k3s:pkg/daemons/executor/executor.go `ETCDConfig.ToConfigFile`).
// - `argv` holds the arguments without the program name, e.g. ['--anonymous-auth=false', …].
// - A line counts only when journald attributed it to `pid` (the running k3s: pass the pid found
//   in /proc), to one of `units`, and to the current boot, and when it follows the newest
//   `Starting k3s …` of that pid; lines of earlier processes or boots never count. Without `pid`,
//   the pid of the units' newest entry of this boot is taken and a note says so.
// - `files` lists every journal file with entries of this boot (for evidence and notes).
// - Every failure (no journal, corrupt or truncated file, unknown boot, xz/lz4 payloads) is a note;
//   only programming errors throw.
export { readK3sCommandLines, MAX_SCANNED_ENTRIES } from './k3s.js';
export type { K3sCommandLine, K3sJournalOptions, K3sJournalRead } from './k3s.js';
export { K3S_COMPONENTS, parseK3sMessage, splitK3sArgs, logrusMessage } from './k3s-message.js';
export type { K3sComponent, K3sLine } from './k3s-message.js';
export { JournalFile, JournalFormatError, UnsupportedCompressionError, INCOMPATIBLE } from './journal-file.js';
