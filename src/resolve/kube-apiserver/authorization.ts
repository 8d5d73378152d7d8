// The apiserver's authorizer chain: `--authorization-mode` or `--authorization-config`
// (kubernetes/kubernetes:pkg/kubeapiserver/options/authorization.go).
import type { ProcessInfo } from '../../collect/types.js';
import { listFlag, type ParsedFlags } from '../flags.js';
import { absolutePath, defaultEvidence, known, unknown, type Resolved } from '../resolved.js';
import { flagEvidence, setValue } from './command-line.js';
import { parseAuthorizationConfig, readText } from './config-files.js';

const VALID_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];

const LEGACY_AUTHZ_FLAGS = [
  'authorization-mode',
  'authorization-webhook-config-file',
  'authorization-webhook-version',
  'authorization-webhook-cache-authorized-ttl',
  'authorization-webhook-cache-unauthorized-ttl',
];

/**
 * `--authorization-config` and the legacy flags are mutually exclusive (the apiserver refuses to
 * start with both); without either, or with an empty `--authorization-mode=`, the chain is AlwaysAllow.
 * Modes are kept as written: `"Node, RBAC"` yields `" RBAC"`, which is not RBAC.
 */
export function resolveAuthorizationModes(
  proc: ProcessInfo,
  flags: ParsedFlags,
  warnings: string[],
): Resolved<string[]> {
  const configFlag = setValue(flags, 'authorization-config');
  const legacy = flags.occurrences.filter((o) => LEGACY_AUTHZ_FLAGS.includes(o.name));
  if (configFlag) {
    if (legacy.length > 0) {
      return unknown(
        `${configFlag.written} and ${legacy.map((o) => o.written).join(' ')} are both set; the apiserver refuses to start with both, so this command line is not the one it runs with`,
      );
    }
    const text = readText(proc, configFlag.value!, 'authorization configuration');
    const types = text.ok ? parseAuthorizationConfig(text.value.content, text.value.path) : text;
    if (!types.ok) return unknown(types.reason);
    return known(types.value, {
      source: 'config-file',
      detail: `${absolutePath(proc.cwd, configFlag.value!)}: authorizers[].type=${types.value.join(',')}`,
    });
  }
  const modes = listFlag(flags, 'authorization-mode');
  if (modes.occurrences.length === 0)
    return known(
      ['AlwaysAllow'],
      defaultEvidence(
        '--authorization-mode',
        'AlwaysAllow',
        'neither --authorization-mode nor --authorization-config set',
      ),
    );
  if (modes.values.length === 0)
    return known(['AlwaysAllow'], {
      source: 'flag',
      detail: `${flagEvidence(modes.occurrences).detail} is empty: AlwaysAllow`,
    });
  const invalid = modes.values.filter((m) => !VALID_MODES.includes(m));
  if (invalid.length > 0)
    warnings.push(
      `--authorization-mode names ${invalid.map((m) => JSON.stringify(m)).join(', ')}, which the apiserver rejects`,
    );
  return known(modes.values, flagEvidence(modes.occurrences));
}
