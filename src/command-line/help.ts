// The help texts of the command line (`--help`, `releases --help`): what an operator reads first,
// kept apart from the parsing; test/packaging/manpage.test.ts keeps the man page in step with HELP.
import { DEFAULT_CONFIG_PATH, DEFAULT_LISTEN } from '../config.js';
import { ENDOFLIFE_KUBERNETES_URL } from '../resolve/endoflife.js';

export const HELP = `Usage: scs-node-audit [--once] [flags]
       scs-node-audit releases update [--output FILE] [--url URL]   (see releases --help)

Audits this Kubernetes host (kube-apiserver, etcd, kubelet, kube-controller-manager,
kube-scheduler, kube-proxy, read from /proc and the filesystem; nothing is executed)
against SCS scs-0217-v1 "Kubernetes cluster hardening".
Without --once it runs as a daemon: audits every --interval and on SIGHUP, and serves
Prometheus metrics (/metrics), the JSON report (/report), /healthz and /readyz.

Flags (all but --once, --config, --version and --help can also be set in the config file;
a flag wins over the file):
  --once                     run one audit, print the report, exit with the verdict
  --format FORMAT            text | json | junit | prometheus | sarif  (default: text)
  --output FILE              write the report to FILE (atomically) instead of stdout
  --fail-on LEVEL            must | should | never                     (default: must)
                               must: a MUST check that fails or errors exits 1
                               should: also SHOULD and RECOMMENDED; OPTIONAL never fails a run
  --expect COMPONENT[,…]     demand components: one not found fails the run (exit 1);
                               kubelet | kube-apiserver | etcd | kube-controller-manager |
                               kube-scheduler | kube-proxy
  --color WHEN               auto | always | never (default: auto: on a terminal, unless
                               NO_COLOR is set; FORCE_COLOR turns it on in a pipe too)
  --hide-skipped             text report: leave out the rows of skipped checks
  --check ID[,ID]            run only these checks (the others are left out of the report)
  --skip ID[,ID]             do not run these checks
  --level LEVEL[,LEVEL]      run only checks of these levels: must, should, recommended, optional
  --component NAME[,NAME]    run only checks of these components: kube-apiserver, etcd, kubelet, node
  --no-probes                no live probes (TLS handshake, etcd auth status) on loopback
  --root DIR                 host filesystem to audit, e.g. /host or a mounted image (default: /)
  --proc DIR                 the proc filesystem to read                (default: <root>/proc)
  --config FILE              config file (default: ${DEFAULT_CONFIG_PATH};
                               a missing default file is fine, a missing named file is an error;
                               /dev/null for none)
  --listen ADDR:PORT         daemon HTTP address                        (default: ${DEFAULT_LISTEN})
  --web.listen-address ADDR:PORT  the same, as node_exporter names it
  --web.config.file FILE     TLS and basic auth, Prometheus exporter-toolkit format (default: none)
  --interval DURATION        daemon audit interval, Go syntax, at least 5s (default: 60s)
  --log.level LEVEL          debug | info | warn | error                (default: info)
  --log.format FORMAT        logfmt | json                              (default: logfmt)
  --version                  print the version and exit
  -h, --help                 print this help and exit

Exit codes (--once):
  0  nothing at or above --fail-on failed
  1  a check at or above --fail-on has status fail or error, or an --expect
     component was not found
  2  bad usage or invalid config (the message names the flag or key)
  3  the audit could not run (e.g. --proc unreadable)

Examples:
  sudo scs-node-audit --once --hide-skipped
  sudo scs-node-audit --once --expect kubelet           # fail if no kubelet is visible
  sudo scs-node-audit --once --format json --output /var/lib/scs-node-audit/report.json
  sudo scs-node-audit --once --format junit --fail-on should > scs-0217.xml
  scs-node-audit --once --root /mnt/node-image        # audit a mounted disk image
  scs-node-audit --root /host --listen 0.0.0.0:20217  # in a DaemonSet, host root at /host
  sudo scs-node-audit --once --component etcd --skip etcd-auth-enabled
  sudo scs-node-audit --once --format sarif --output scs-0217.sarif
  scs-node-audit releases update --output /var/lib/scs-node-audit/releases.json

Needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (or root) to read other processes' files.
`;

export const RELEASES_HELP = `Usage: scs-node-audit releases update [--output FILE] [--url URL] [--config FILE]

Fetches Kubernetes release data in the endoflife.date format (default URL:
${ENDOFLIFE_KUBERNETES_URL}), validates it, merges it with the bundled table and
earlier fetches, and writes a release table atomically to FILE; point releases.file at it.
On any failure the old FILE stays as it was and the exit code is 3.

  --output FILE   where to write the table (default: releases.file of the config)
  --url URL       where to fetch from (default: releases.url of the config, else the URL above)
  --config FILE   config file (default: ${DEFAULT_CONFIG_PATH}; a missing default file is fine)
`;
