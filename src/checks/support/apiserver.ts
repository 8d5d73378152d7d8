// Mechanics the kube-apiserver authorization and admission checks share: the skip when no
// apiserver runs here, the unknown when the value they judge cannot be known, and that value's
// evidence. Metadata, messages and the decision stay in each check's own file.
import type { Evidence, Outcome } from '../types.js';
import type { ResolvedHost } from '../../resolve/index.js';
import type { AdmissionPlugins, ResolvedApiserver } from '../../resolve/kube-apiserver/index.js';

/** The skip or unknown outcome that ends a check before its decision; a check tells them apart by `status`. */
type NotJudged<UndeterminedId extends string> = Outcome<'noApiserver' | UndeterminedId>;

export interface AuthorizerChain {
  /** Authorizers in order, as the apiserver runs them. */
  modes: string[];
  evidence: Evidence;
  /** Message data every authorization check shows: the chain and where it was read. */
  shown: { modes: string; detail: string };
}

/**
 * The apiserver's authorizer chain, or: skip without an apiserver; unknown (message id
 * `undetermined`) when an unreadable authorization config or conflicting flags hide the chain it runs.
 */
export function authorizerChain(host: ResolvedHost): AuthorizerChain | NotJudged<'undetermined'> {
  const api = host.apiserver;
  if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
  const modes = api.authorizationModes;
  if (!modes.known)
    return { status: 'unknown', messageId: 'undetermined', data: { reason: modes.reason }, evidence: [] };
  return {
    modes: modes.value,
    evidence: modes.evidence,
    shown: { modes: JSON.stringify(modes.value), detail: modes.evidence.detail },
  };
}

export interface AdmissionPluginState {
  api: ResolvedApiserver;
  active: boolean;
  /** Why the plugin is on or off, in words an operator can check against the command line. */
  evidence: Evidence;
}

/**
 * Whether admission plugin `name` runs, or: skip without an apiserver; unknown (message id
 * `undeterminedId`) when the admission flags are a combination the apiserver refuses to start
 * with, so the plugin set it runs is not on this command line.
 */
export function admissionPlugin<UndeterminedId extends string>(
  host: ResolvedHost,
  name: string,
  undeterminedId: UndeterminedId,
): AdmissionPluginState | NotJudged<UndeterminedId> {
  const api = host.apiserver;
  if (!api) return { status: 'skip', messageId: 'noApiserver', evidence: [] };
  const plugins = api.admissionPlugins;
  if (!plugins.known)
    return { status: 'unknown', messageId: undeterminedId, data: { reason: plugins.reason }, evidence: [] };
  const undetermined = plugins.value.undetermined[name];
  if (undetermined !== undefined)
    return {
      status: 'unknown',
      messageId: undeterminedId,
      data: { reason: undetermined },
      evidence: [plugins.evidence],
    };
  return { api, active: plugins.value.enabled.includes(name), evidence: admissionEvidence(plugins.value, name) };
}

/**
 * The apiserver's datastore URLs when every one is a local unix socket (k3s `unix://kine.sock`,
 * MicroK8s `unix://…/kine.sock:12379`): a kine or dqlite shim on this host, not an etcd across the
 * network. Undefined when any URL goes elsewhere, or none is known.
 */
export function localSocketDatastore(api: ResolvedApiserver): { servers: string[]; evidence: Evidence[] } | undefined {
  if (!api.etcdServers.known || api.etcdServers.value.length === 0) return undefined;
  const servers = [...api.etcdServers.value, ...api.etcdServerOverrides.servers];
  if (!servers.every((url) => /^unix:\/\//i.test(url.trim()))) return undefined;
  return { servers, evidence: [api.etcdServers.evidence, ...api.etcdServerOverrides.evidence] };
}

/** Why `name` is on or off, in words an operator can check against the command line. */
export function admissionEvidence(plugins: AdmissionPlugins, name: string): Evidence {
  const recorded = plugins.provenance[name];
  if (recorded) return recorded;
  return plugins.mode === 'admission-control'
    ? { source: 'flag', detail: `${name} is not in the --admission-control list` }
    : { source: 'default', detail: `${name} is off by default and not in --enable-admission-plugins` };
}
