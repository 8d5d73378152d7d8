// Who the apiserver lets in: service account tokens, the other authentication methods (flags and
// `--authentication-config`), and anonymous requests
// (kubernetes/kubernetes:pkg/kubeapiserver/options/authentication.go).
import type { ProcessInfo } from '../../collect/types.js';
import type { Evidence } from '../evidence.js';
import { arrayFlag, boolFlag, tookFlagAsValue, type FlagOccurrence, type ParsedFlags } from '../flags.js';
import { defaultEvidence, known, unknown, type Resolved } from '../resolved.js';
import { APISERVER_BOOLEAN_FLAGS, flagEvidence, setValue } from './command-line.js';
import { parseAuthenticationConfig, readText, type AuthenticationConfig, type Parsed } from './config-files.js';

export type AuthenticationMethodKind =
  'x509' | 'oidc' | 'jwt' | 'webhook' | 'request-header' | 'static-token' | 'bootstrap-token';

export interface AuthenticationMethod {
  kind: AuthenticationMethodKind;
  /** Human name for messages: `x509 client certificates (--client-ca-file)`. */
  label: string;
  evidence: Evidence;
}

export interface ServiceAccountAuthentication {
  issuers: string[];
  keyFiles: string[];
  signingKeyFile?: string;
  /** `--service-account-signing-endpoint` (external signer), which stands in for the key files. */
  signingEndpoint?: string;
  /** Flags the apiserver requires for service account tokens that are missing. */
  missing: string[];
  /** Why the pre-1.20 rules apply (no issuer on a running apiserver), when they do. */
  legacy?: string;
  /** Pre-1.20 without a key file: tokens are verified with the serving key (this file, or a generated one) if it is an RSA/ECDSA key, which is not checked. */
  tlsKeyFallback?: string;
  /**
   * Service account flags written without a value (`--service-account-issuer --service-account-key-file=/k`):
   * the apiserver took the next argument as the value, so what it runs with is not what the flags seem to say.
   */
  valueless: string[];
  evidence: Evidence[];
}

export interface ApiserverAuthentication {
  serviceAccount: ServiceAccountAuthentication;
  /** Methods besides service account tokens, each with the flag or file that enables it. */
  methods: AuthenticationMethod[];
  /** Set when part of the inventory could not be read (`--authentication-config`): more methods may exist. */
  incomplete?: string;
}

export function readAuthenticationConfig(
  proc: ProcessInfo,
  flags: ParsedFlags,
): { flag: FlagOccurrence; config: Parsed<AuthenticationConfig> } | undefined {
  const flag = setValue(flags, 'authentication-config');
  if (!flag) return undefined;
  const text = readText(proc, flag.value!, 'authentication configuration');
  return { flag, config: text.ok ? parseAuthenticationConfig(text.value.content, text.value.path) : text };
}

const SECOND_METHOD_FLAGS: readonly [string, AuthenticationMethodKind, string][] = [
  ['client-ca-file', 'x509', 'x509 client certificates'],
  ['oidc-issuer-url', 'oidc', 'OIDC'],
  ['authentication-token-webhook-config-file', 'webhook', 'webhook token authentication'],
  ['requestheader-client-ca-file', 'request-header', 'request-header (authenticating proxy)'],
  ['token-auth-file', 'static-token', 'static token file'],
];

/** Service account tokens (always on, but only work with issuer and keys) and every other method. */
export function resolveAuthentication(
  proc: ProcessInfo,
  flags: ParsedFlags,
  authn: ReturnType<typeof readAuthenticationConfig>,
): ApiserverAuthentication {
  const issuers = arrayFlag(flags, 'service-account-issuer');
  const keyFiles = arrayFlag(flags, 'service-account-key-file');
  const signingKey = setValue(flags, 'service-account-signing-key-file');
  const signingEndpoint = setValue(flags, 'service-account-signing-endpoint');
  const tlsKey = setValue(flags, 'tls-private-key-file');
  const hasIssuer = issuers.values.some((v) => v !== '');
  const hasKeyFile = keyFiles.values.some((v) => v !== '');
  const missing: string[] = [];
  let legacy: string | undefined;
  if (!hasIssuer && proc.source === 'process') {
    // Since 1.20 the apiserver refuses to start without an issuer, so a running one without it is
    // older; there the key file alone enables service account tokens, falling back to the TLS key.
    legacy =
      'no --service-account-issuer, which releases from 1.20 on require, so this running apiserver is older than 1.20';
  } else {
    if (!hasIssuer) missing.push('--service-account-issuer');
    if (!signingEndpoint) {
      if (!hasKeyFile) missing.push('--service-account-key-file');
      if (!signingKey) missing.push('--service-account-signing-key-file');
    }
  }
  const present = [...issuers.occurrences, ...keyFiles.occurrences, signingKey, signingEndpoint]
    .filter((o): o is FlagOccurrence => o !== undefined)
    .sort((a, b) => a.index - b.index);
  const serviceAccount: ServiceAccountAuthentication = {
    issuers: issuers.values,
    keyFiles: keyFiles.values,
    ...(signingKey && { signingKeyFile: signingKey.value! }),
    ...(signingEndpoint && { signingEndpoint: signingEndpoint.value! }),
    missing,
    ...(legacy !== undefined && { legacy }),
    ...(legacy !== undefined &&
      !hasKeyFile && { tlsKeyFallback: tlsKey?.value ?? 'the self-signed key it generates in --cert-dir' }),
    // A service-account flag with no value, or one that swallowed the next flag as its value (the
    // exact grammar says which, but a running apiserver with such a command line is not what it
    // seems: a key file taken as the issuer would have stopped it from starting).
    valueless: flags.occurrences
      .filter(
        (o) =>
          o.name.startsWith('service-account-') &&
          !APISERVER_BOOLEAN_FLAGS.has(o.name) &&
          (o.value === undefined || tookFlagAsValue(o)),
      )
      .map((o) => o.written),
    evidence: present.map((o) => flagEvidence(o)),
  };

  const methods: AuthenticationMethod[] = [];
  for (const [name, kind, label] of SECOND_METHOD_FLAGS) {
    const o = setValue(flags, name);
    if (o) methods.push({ kind, label: `${label} (--${name})`, evidence: flagEvidence(o) });
  }
  const bootstrap = boolFlag(flags, 'enable-bootstrap-token-auth');
  if (bootstrap?.ok && bootstrap.value)
    methods.push({
      kind: 'bootstrap-token',
      label: 'bootstrap tokens (--enable-bootstrap-token-auth)',
      evidence: flagEvidence(bootstrap.occurrence),
    });
  let incomplete: string | undefined;
  if (authn) {
    if (!authn.config.ok) incomplete = authn.config.reason;
    else {
      const file = authn.flag.value!;
      for (const issuer of authn.config.value.jwtIssuers) {
        methods.push({
          kind: 'jwt',
          label: `JWT authenticator ${issuer} (--authentication-config)`,
          evidence: { source: 'config-file', detail: `${file}: jwt[].issuer.url=${issuer}` },
        });
      }
    }
  }
  return { serviceAccount, methods, ...(incomplete !== undefined && { incomplete }) };
}

/** `--anonymous-auth` (default true), or `anonymous.enabled` of `--authentication-config` (the two conflict). */
export function resolveAnonymousAuth(
  flags: ParsedFlags,
  authn: ReturnType<typeof readAuthenticationConfig>,
): Resolved<boolean> {
  const flag = boolFlag(flags, 'anonymous-auth');
  if (flag && !flag.ok) return unknown(flag.problem);
  if (authn && !authn.config.ok) return unknown(authn.config.reason);
  const fromFile = authn?.config.ok ? authn.config.value.anonymousEnabled : undefined;
  if (authn && fromFile !== undefined) {
    const file = authn.flag.value ?? authn.flag.written;
    if (flag)
      return unknown(
        `${flag.occurrence.written} and anonymous in ${file} are both set; the apiserver refuses to start with both`,
      );
    return known(fromFile, { source: 'config-file', detail: `${file}: anonymous.enabled=${fromFile}` });
  }
  if (flag) return known(flag.value, flagEvidence(flag.occurrence));
  return known(true, defaultEvidence('--anonymous-auth', 'true', 'not set: anonymous requests allowed'));
}
