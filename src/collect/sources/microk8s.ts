// MicroK8s runs every Kubernetes component inside one `kubelite` process; each component's flags
// are in an arguments file that kubelite names on its own command line
// (`--apiserver-args-file=$SNAP_DATA/args/kube-apiserver`, …; canonical/microk8s
// `microk8s-resources/default-args/kubelite`, https://microk8s.io/docs/configuring-services).
import path from 'node:path/posix';
import { argValue } from '../distribution.js';
import { readTextFile } from '../files.js';
import type { ComponentName, ProcessInfo } from '../types.js';
import {
  alreadyFound,
  distributionComponent,
  trustedRunning,
  type ComponentSourceModule,
  type RunningSign,
  type SourceContext,
} from './types.js';

/** kubelite's flag per component, and the default when the flag is absent (kubelite `options.NewOptions`). */
const ARGS_FILES: ReadonlyArray<{ component: ComponentName; flag: string; file: string; controlPlane: boolean }> = [
  { component: 'kube-apiserver', flag: 'apiserver-args-file', file: 'kube-apiserver', controlPlane: true },
  {
    component: 'kube-controller-manager',
    flag: 'controller-manager-args-file',
    file: 'kube-controller-manager',
    controlPlane: true,
  },
  { component: 'kube-scheduler', flag: 'scheduler-args-file', file: 'kube-scheduler', controlPlane: true },
  { component: 'kubelet', flag: 'kubelet-args-file', file: 'kubelet', controlPlane: false },
  { component: 'kube-proxy', flag: 'proxy-args-file', file: 'kube-proxy', controlPlane: false },
];
const DEFAULT_ARGS_DIR = '/var/snap/microk8s/current/args';
const ARGS_FILE_MAX_BYTES = 1024 * 1024;

/**
 * The arguments of one args file, as kubelite reads it (its `ReadArgsFromFile`): each line
 * trimmed; empty lines and lines starting with `#` skipped; every `"` and `'` removed; split at
 * single spaces; `$VAR`/`${VAR}` expanded from kubelite's environment. Variables we do not know
 * are kept as written and reported, since their value is not on this node's record.
 */
export function parseArgsFile(
  text: string,
  env: Readonly<Record<string, string>>,
): { args: string[]; unknownVariables: string[] } {
  const args: string[] = [];
  const unknownVariables = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/["']/g, '');
    if (line === '' || line.startsWith('#')) continue;
    for (const part of line.split(' ')) {
      args.push(
        part.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
          const name = (braced ?? bare)!;
          if (Object.hasOwn(env, name)) return env[name]!;
          unknownVariables.add(name);
          return whole;
        }),
      );
    }
  }
  return { args, unknownVariables: [...unknownVariables] };
}

/** The snap's variables, from the paths kubelite runs with: `/snap/microk8s/<rev>/kubelite`, `/var/snap/microk8s/<rev>/args/…`. */
function snapEnvironment(argv: readonly string[], argsDir: string): Record<string, string> {
  const env: Record<string, string> = { SNAP_COMMON: '/var/snap/microk8s/common' };
  const binary = argv[0] ?? '';
  if (binary.startsWith('/snap/microk8s/')) env.SNAP = path.dirname(binary);
  if (argsDir.startsWith('/var/snap/microk8s/')) env.SNAP_DATA = path.dirname(argsDir);
  return env;
}

function componentsOfKubelite(context: SourceContext, sign: RunningSign): ProcessInfo[] {
  const argv = sign.argv ?? [];
  const pid = sign.pid;
  const controlPlane = argValue(argv, 'start-control-plane') !== 'false';
  const found: ProcessInfo[] = [];
  for (const entry of ARGS_FILES) {
    if (entry.controlPlane && !controlPlane) continue;
    if (alreadyFound(context, entry.component)) continue;
    const file = argValue(argv, entry.flag) ?? `${DEFAULT_ARGS_DIR}/${entry.file}`;
    const read = readTextFile(context.root, file, ARGS_FILE_MAX_BYTES);
    if (!read.ok) {
      sign.unread = { ...sign.unread, [entry.component]: `its arguments file could not be read: ${read.detail}` };
      continue;
    }
    const { args, unknownVariables } = parseArgsFile(read.content, snapEnvironment(argv, path.dirname(file)));
    const warnings =
      unknownVariables.length > 0
        ? [`${file}: variables ${unknownVariables.join(', ')} are not known to the audit and were left as written`]
        : [];
    found.push(
      distributionComponent(
        pid,
        entry.component,
        args,
        { distribution: 'microk8s', via: 'args-file', paths: [file] },
        warnings,
      ),
    );
  }
  return found;
}

export const microk8s: ComponentSourceModule = {
  name: 'microk8s',
  find(context) {
    return trustedRunning(context, 'microk8s', 'kubelite').flatMap((sign) => componentsOfKubelite(context, sign));
  },
};
