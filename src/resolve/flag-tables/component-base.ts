// Flags every Kubernetes component of the supported releases registers through component-base:
// klog's flags (deprecated in 1.23, most removed from the components in 1.26, still on 1.19-1.25
// command lines), the logging options, --help and --version.
// Source: kubernetes/website content/en/docs/reference/command-line-tools-reference/
// kube-apiserver.md, kube-scheduler.md, kube-controller-manager.md and kubelet.md as stored at
// commits d7d113abb7ff594ffd061cc613e08601a71600a4 (v1.20 generation), 0189ae0f6bf2a79ff2e4bfd5f9ec0da98d64c5d2
// (v1.18), 00cce4136eb6507551a29d29715ff10b463cc5ad (kubelet, v1.34) and the v1.35 kube-apiserver page.
import type { FlagTable } from './types.js';

export const COMPONENT_BASE_FLAGS = {
  'add-dir-header': 'bool',
  alsologtostderr: 'bool',
  'experimental-logging-sanitization': 'bool',
  help: 'bool',
  'log-backtrace-at': 'traceLocation',
  'log-dir': 'string',
  'log-file': 'string',
  'log-file-max-size': 'uint',
  'log-flush-frequency': 'duration',
  'log-json-info-buffer-size': 'quantity',
  'log-json-split-stream': 'bool',
  'log-text-info-buffer-size': 'quantity',
  'log-text-split-stream': 'bool',
  'logging-format': 'string',
  logtostderr: 'bool',
  'one-output': 'bool',
  'skip-headers': 'bool',
  'skip-log-headers': 'bool',
  stderrthreshold: 'severity',
  v: 'level',
  // `--version version[=true]`: a NoOptDefVal flag, bare it takes no argument.
  version: 'bool',
  vmodule: 'moduleSpec',
} as const satisfies FlagTable;
