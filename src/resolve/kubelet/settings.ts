// The kubelet settings the audit reads: each a KubeletConfiguration (v1beta1) key, its flag, its type and
// both defaults (kubernetes/kubernetes:cmd/kubelet/app/options/options.go applyLegacyDefaults,
// kubernetes/kubernetes:pkg/kubelet/apis/config/v1beta1/defaults.go).
import type { JsonValue } from '../json-merge-patch.js';
import { parseGoBool, parseGoInt, type FlagOccurrence } from '../flags.js';

export type SettingValue = boolean | string | number;

export interface ValueKind<T extends SettingValue> {
  describe: string;
  fromConfig(value: JsonValue): T | undefined;
  fromFlag(occurrence: FlagOccurrence): T | undefined;
}

const BOOLEAN: ValueKind<boolean> = {
  describe: 'a boolean',
  fromConfig: (v) => (typeof v === 'boolean' ? v : undefined),
  // A bare boolean flag means true; `--flag=value` is read with Go's strconv.ParseBool.
  fromFlag: (o) => (o.value === undefined ? true : parseGoBool(o.value)),
};

const STRING: ValueKind<string> = {
  describe: 'a string',
  fromConfig: (v) => (typeof v === 'string' ? v : undefined),
  fromFlag: (o) => o.value,
};

const PORT: ValueKind<number> = {
  describe: 'a port number (0-65535)',
  fromConfig: (v) => (typeof v === 'number' && isPort(v) ? v : undefined),
  fromFlag: (o) => {
    const value = o.value === undefined ? undefined : parseGoInt(o.value, 32);
    return value !== undefined && isPort(value) ? value : undefined;
  },
};

export interface Setting<T extends SettingValue> {
  /** Dotted path in a KubeletConfiguration file. */
  key: string;
  flag: string;
  kind: ValueKind<T>;
  /** Without `--config` (`applyLegacyDefaults` in cmd/kubelet/app/options/options.go). */
  legacyDefault: T;
  /** With `--config`, for keys the file leaves unset (pkg/kubelet/apis/config/v1beta1/defaults.go). */
  fileDefault: T;
  /** The v1beta1 defaulting also replaces an explicit zero value (`address: ""`, `port: 0`). */
  zeroIsUnset?: boolean;
}

export const SETTINGS = {
  anonymousAuth: {
    key: 'authentication.anonymous.enabled',
    flag: 'anonymous-auth',
    kind: BOOLEAN,
    legacyDefault: true,
    fileDefault: false,
  },
  webhookAuthentication: {
    key: 'authentication.webhook.enabled',
    flag: 'authentication-token-webhook',
    kind: BOOLEAN,
    legacyDefault: false,
    fileDefault: true,
  },
  authorizationMode: {
    key: 'authorization.mode',
    flag: 'authorization-mode',
    kind: STRING,
    legacyDefault: 'AlwaysAllow',
    fileDefault: 'Webhook',
    zeroIsUnset: true,
  },
  clientCAFile: {
    key: 'authentication.x509.clientCAFile',
    flag: 'client-ca-file',
    kind: STRING,
    legacyDefault: '',
    fileDefault: '',
  },
  readOnlyPort: { key: 'readOnlyPort', flag: 'read-only-port', kind: PORT, legacyDefault: 10255, fileDefault: 0 },
  address: {
    key: 'address',
    flag: 'address',
    kind: STRING,
    legacyDefault: '0.0.0.0',
    fileDefault: '0.0.0.0',
    zeroIsUnset: true,
  },
  port: { key: 'port', flag: 'port', kind: PORT, legacyDefault: 10250, fileDefault: 10250, zeroIsUnset: true },
  healthzBindAddress: {
    key: 'healthzBindAddress',
    flag: 'healthz-bind-address',
    kind: STRING,
    legacyDefault: '127.0.0.1',
    fileDefault: '127.0.0.1',
    zeroIsUnset: true,
  },
  healthzPort: { key: 'healthzPort', flag: 'healthz-port', kind: PORT, legacyDefault: 10248, fileDefault: 10248 },
} satisfies Record<string, Setting<boolean> | Setting<string> | Setting<number>>;

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}
