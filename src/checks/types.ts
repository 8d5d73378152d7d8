import type { Evidence } from '../resolve/evidence.js';
import type { ResolvedHost } from '../resolve/index.js';

/** Evidence is produced by resolve; checks pass it on, so they re-export its types from there. */
export type { Evidence, EvidenceSource } from '../resolve/evidence.js';

export const STATUSES = ['pass', 'fail', 'skip', 'unknown', 'error'] as const;
export type Status = (typeof STATUSES)[number];

export const LEVELS = ['MUST', 'SHOULD', 'RECOMMENDED', 'OPTIONAL'] as const;
export type Level = (typeof LEVELS)[number];

/** "component" of a check: a Kubernetes component, or `node` for host-wide checks. */
export type CheckComponent = 'kube-apiserver' | 'etcd' | 'kubelet' | 'node';

/** The operator's choices and the outside world, passed in explicitly (no globals, no Date.now()). */
export interface CheckContext {
  now: Date;
  /** Addresses (CIDRs) the operator declares internal; see config `network.internalCIDRs`. */
  internalCIDRs: string[];
  /** Public ranges the operator declares internal anyway; config `network.publicCIDRsDeclaredInternal`. */
  publicCIDRsDeclaredInternal?: string[];
  /** Count only OIDC/JWT and webhook as a second authentication method, as SCS's own test does. */
  strictAuthentication: boolean;
}

/** What `evaluate` returns; the runner adds metadata and renders the message. */
export interface Outcome<MessageId extends string = string> {
  status: Exclude<Status, 'error'>;
  messageId: MessageId;
  data?: Record<string, string | number>;
  evidence: Evidence[];
}

export interface Requirement {
  /** Section of scs-0217-v1 the quote comes from. */
  section: string;
  /** Verbatim from the standard. */
  quote: string;
}

export interface CheckDefinition<Id extends string = string, MessageId extends string = string> {
  id: Id;
  title: string;
  level: Level;
  component: CheckComponent;
  requirement: Requirement;
  /** What to change, concretely (flag or config key; kubeadm where relevant). */
  remediation: string;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Record<MessageId, string>;
  evaluate(host: ResolvedHost, context: CheckContext): Outcome<NoInfer<MessageId>>;
}

export interface Finding {
  id: string;
  title: string;
  level: Level;
  component: CheckComponent;
  status: Status;
  messageId: string;
  message: string;
  evidence: Evidence[];
  remediation: string;
}
