// k3s runs kube-apiserver, kube-controller-manager, kube-scheduler, the kubelet and kube-proxy
// inside its own process and logs each one's full command line once per start
// (`Running kube-apiserver --…`, k3s-io/k3s:pkg/daemons/control/server.go,
// pkg/daemons/agent/agent.go). The lines of the *running* k3s (its pid, this boot) are read from
// the binary journal (../journal). Its embedded etcd logs no command line: it reads the config file
// k3s writes at `<data-dir>/server/db/etcd/config` (k3s-io/k3s:pkg/daemons/executor/executor.go
// `ETCDConfig.ToConfigFile`), which the etcd resolver reads like any `--config-file`.
//
// When the journal holds no line of the running k3s (a volatile journal after a reboot, vacuumed,
// unreadable), each component's command line is rebuilt from k3s's own settings and its built-in
// defaults for that minor (k3s-config.ts, k3s-rebuild.ts, k3s-defaults.ts); its origin and notes say so.
import fs from 'node:fs';
import path from 'node:path/posix';
import { argValue } from '../distribution.js';
import { errnoCode, locate, readDirListing, readTextFile } from '../files.js';
import { describeWeakOwner, weakFileOwner } from '../identity.js';
import { readK3sCommandLines, type K3sJournalRead } from '../journal/index.js';
import { readKubeletUnit } from '../kubelet-unit.js';
import { parseEnviron, readProcBytes, readProcLink } from '../proc.js';
import type { ComponentName, ProcessInfo } from '../types.js';
import {
  K3S_ENV_FLAGS,
  lastSetting,
  mergeK3sConfig,
  parseK3sArgs,
  type K3sConfigFile,
  type K3sSetting,
} from './k3s-config.js';
import { rebuildK3sCommandLines } from './k3s-rebuild.js';
import {
  alreadyFound,
  distributionComponent,
  trustedRunning,
  type ComponentSourceModule,
  type RunningSign,
  type SourceContext,
} from './types.js';

const LOGGED: readonly ComponentName[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-proxy',
];
/** k3s's default `--data-dir` when run as root (k3s-io/k3s:pkg/cli/cmds/server.go, https://docs.k3s.io/cli/server). */
const DEFAULT_DATA_DIR = '/var/lib/rancher/k3s';

function k3sComponent(
  sign: RunningSign,
  component: ComponentName,
  args: string[],
  via: 'journal' | 'config',
  paths: string[],
  warnings: string[],
): ProcessInfo {
  return distributionComponent(
    sign.pid,
    component,
    args,
    { distribution: 'k3s', via, paths, ...(sign.version !== undefined && { version: sign.version }) },
    warnings,
  );
}

/** k3s's default config file (k3s-io/k3s:pkg/configfilearg/defaultparser.go, https://docs.k3s.io/installation/configuration). */
const DEFAULT_CONFIG = '/etc/rancher/k3s/config.yaml';
const CONFIG_MAX_FILES = 64;
const ENVIRON_MAX_BYTES = 1024 * 1024;
/** The k3s binary is ~70 MiB; read in chunks, never more than this. */
const BINARY_MAX_BYTES = 512 * 1024 * 1024;
const BINARY_CHUNK_BYTES = 1024 * 1024;
/** k3s's own version as its build stamps it (`-X …/pkg/version.Version=v1.33.4+k3s1`); Kubernetes' is `v1.33.4-k3s1`. */
const K3S_VERSION_PATTERN = /v1\.\d{1,3}\.\d{1,3}\+k3s\d{1,3}/g;
const K3S_MARK = Buffer.from('+k3s');

function noLine(component: ComponentName, sign: RunningSign, read: K3sJournalRead): string {
  const where =
    read.files.length > 0
      ? `the journal of this boot (${read.files.join(', ')})`
      : 'the journal (no journal file of this boot was found)';
  return `no "Running ${component}" line of k3s pid ${sign.pid} in ${where}`;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The K3S_* variables of the running k3s that set flags read here (never K3S_TOKEN or anything else). */
function environmentSettings(context: SourceContext, pid: number): Outcome<K3sSetting[]> {
  const environ = readProcBytes(context.tree, `${pid}/environ`, ENVIRON_MAX_BYTES);
  if (!environ.ok)
    return environ.code === 'ENOENT'
      ? { ok: true, value: [] }
      : {
          ok: false,
          problem: `the environment of k3s pid ${pid} could not be read (${environ.code}), so K3S_CONFIG_FILE and the like are unknown`,
        };
  if (environ.value === undefined)
    return { ok: false, problem: `the environment of k3s pid ${pid} is larger than ${ENVIRON_MAX_BYTES} bytes` };
  const env = parseEnviron(environ.value, (key) => Object.hasOwn(K3S_ENV_FLAGS, key));
  return {
    ok: true,
    value: Object.entries(env)
      .filter(([, v]) => v !== '')
      .map(([key, value]) => ({ name: K3S_ENV_FLAGS[key]!, value, from: `environment ${key}` })),
  };
}

/** A file k3s read as root may count only when no other user could have written it (promise 2). */
function untrusted(context: SourceContext, file: string): string | undefined {
  const owner = weakFileOwner(context.root, file);
  if (!owner.ok) return `${file} could not be examined: ${owner.detail}`;
  return owner.weak === undefined
    ? undefined
    : `${describeWeakOwner(owner.weak)}, so a non-root user could have written it`;
}

/**
 * k3s's command-line flags. k3s hides them from `ps` (it sets its title to `k3s server`,
 * k3s-io/k3s:pkg/cli/server/server.go `gspt.SetProcTitle`), so a one-word title means the flags
 * are those of the systemd unit that started it (the install script's `ExecStart=`).
 */
function commandLineSettings(
  context: SourceContext,
  sign: RunningSign,
  unitName: string,
): Outcome<{ settings: K3sSetting[]; files: string[] }> {
  const argv = sign.argv ?? [];
  if (argv.length > 1) {
    const at = argv.indexOf(sign.role!);
    return {
      ok: true,
      value: {
        settings: parseK3sArgs(at >= 0 ? argv.slice(at + 1) : [], `command line of pid ${sign.pid}`),
        files: [],
      },
    };
  }
  const unit = readKubeletUnit(context.root, unitName);
  if (unit.kind !== 'command') {
    const why =
      unit.kind === 'absent'
        ? `no ${unitName} unit was found`
        : unit.kind === 'masked'
          ? `${unit.path} is masked`
          : unit.reason;
    return {
      ok: false,
      problem: `k3s pid ${sign.pid} hides its flags (its title is "${argv[0] ?? ''}") and ${why}, so its command-line flags are unknown`,
    };
  }
  for (const file of new Set([unit.unitPath, unit.execStartFile, ...unit.environmentFiles])) {
    const weak = untrusted(context, file);
    if (weak !== undefined) return { ok: false, problem: weak };
  }
  // As componentsOfK3s picks the unit: a k3s that is not an agent is a server.
  const role = sign.role === 'agent' ? 'agent' : 'server';
  const at = unit.argv.indexOf(role);
  if (at < 0)
    return {
      ok: false,
      problem: `${unit.execStartFile} does not start "k3s ${role}" (${unit.argv.slice(0, 3).join(' ')}), so the flags of pid ${sign.pid} are unknown`,
    };
  return {
    ok: true,
    value: {
      settings: parseK3sArgs(unit.argv.slice(at + 1), `command line (${unit.execStartFile})`),
      files: [unit.execStartFile],
    },
  };
}

/** config.yaml (or `--config`/K3S_CONFIG_FILE) and `<file>.d/*.yaml|yml` by name, as k3s finds them (parser.go `dotDFiles`). */
function configFiles(context: SourceContext, settings: readonly K3sSetting[]): Outcome<K3sConfigFile[]> {
  const named = lastSetting(settings, 'config');
  const main = named?.value || DEFAULT_CONFIG;
  const paths: string[] = [];
  const mainFile = locate(context.root, main);
  if (mainFile.ok || mainFile.reason !== 'missing') paths.push(main);
  else if (named !== undefined)
    return { ok: false, problem: `${main} (${named.from}) does not exist; k3s would not start without it` };
  const listing = readDirListing(context.root, `${main}.d`);
  if (listing.read.ok) {
    const dropIns = listing.read.entries.filter((e) => !e.includes('/') && /\.ya?ml$/i.test(e));
    if (dropIns.length > CONFIG_MAX_FILES || listing.truncated)
      return { ok: false, problem: `${main}.d holds more than ${CONFIG_MAX_FILES} config files` };
    paths.push(...dropIns.map((e) => `${main}.d/${e}`));
  } else if (listing.read.reason !== 'missing') return { ok: false, problem: listing.read.detail };
  const files: K3sConfigFile[] = [];
  for (const file of paths) {
    const read = readTextFile(context.root, file);
    if (!read.ok) return { ok: false, problem: read.detail };
    const weak = untrusted(context, file);
    if (weak !== undefined) return { ok: false, problem: weak };
    files.push({ path: file, text: read.content });
  }
  return { ok: true, value: files };
}

/**
 * The version stamped into the running k3s binary, read in bounded chunks: `<proc>/<pid>/exe` on
 * a live procfs (the running inode), else the link's target under the audited root. One distinct
 * version or none: two different ones say nothing.
 */
function versionFromBinary(context: SourceContext, pid: number): Outcome<string> {
  let file: string;
  if (context.tree.real) file = path.join(context.tree.dir, String(pid), 'exe');
  else {
    const link = readProcLink(context.tree, `${pid}/exe`);
    if (!link.ok) return { ok: false, problem: `the executable of k3s pid ${pid} could not be found (${link.code})` };
    const located = locate(context.root, link.value);
    if (!located.ok) return { ok: false, problem: located.detail };
    file = located.hostPath;
  }
  const found = new Set<string>();
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile())
      return { ok: false, problem: `the executable of k3s pid ${pid} is not a regular file` };
    const buffer = Buffer.alloc(BINARY_CHUNK_BYTES + 64);
    let carry = 0;
    for (let offset = 0; offset < BINARY_MAX_BYTES;) {
      const n = fs.readSync(fd, buffer, carry, BINARY_CHUNK_BYTES, offset);
      if (n === 0) break;
      // Look for the rare `+k3s` natively, and match the pattern only around it: a regex over the
      // whole binary as text costs a second per 70 MiB, this a few dozen milliseconds.
      for (let at = buffer.indexOf(K3S_MARK, 0); at !== -1 && at < carry + n; at = buffer.indexOf(K3S_MARK, at + 1)) {
        const window = buffer.toString('latin1', Math.max(0, at - 16), Math.min(carry + n, at + 8));
        for (const match of window.matchAll(K3S_VERSION_PATTERN)) found.add(match[0]);
      }
      // Keep the tail so a version split across two chunks is still seen.
      const total = carry + n;
      carry = Math.min(64, total);
      buffer.copy(buffer, 0, total - carry, total);
      offset += n;
    }
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined) throw error;
    return { ok: false, problem: `the executable of k3s pid ${pid} could not be read (${code})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (found.size === 1) return { ok: true, value: [...found][0]! };
  return {
    ok: false,
    problem:
      found.size === 0
        ? `the executable of k3s pid ${pid} names no k3s version`
        : `the executable of k3s pid ${pid} names several k3s versions (${[...found].join(', ')})`,
  };
}

/** Every component's command line rebuilt from k3s's settings and built-in defaults, or why not. */
function rebuild(
  context: SourceContext,
  sign: RunningSign,
  unitName: string,
): Outcome<{ components: ReturnType<typeof rebuildK3sCommandLines> & { ok: true }; files: string[] }> {
  if (sign.version === undefined) {
    const binary = versionFromBinary(context, sign.pid);
    if (!binary.ok)
      return {
        ok: false,
        problem: `the k3s version is not known (no "Starting k3s" line of this process; ${binary.problem}), so its built-in defaults are not known`,
      };
    sign.version = binary.value;
    context.notes.push(
      `k3s (pid ${sign.pid}): version ${binary.value} read from its executable, as the journal holds no "Starting k3s" line of this process`,
    );
  }
  const env = environmentSettings(context, sign.pid);
  if (!env.ok) return env;
  const cli = commandLineSettings(context, sign, unitName);
  if (!cli.ok) return cli;
  const files = configFiles(context, [...env.value, ...cli.value.settings]);
  if (!files.ok) return files;
  const merged = mergeK3sConfig(files.value);
  if (!merged.ok) return { ok: false, problem: merged.problem };
  // Environment < config files < command line: the order k3s lets them win.
  const settings = [...env.value, ...merged.settings, ...cli.value.settings];
  const embeddedEtcd = sign.datastore?.kind === 'etcd';
  const rebuilt = rebuildK3sCommandLines({
    role: sign.role === 'agent' ? 'agent' : 'server',
    version: sign.version,
    settings,
    embeddedEtcd,
  });
  if (!rebuilt.ok) return { ok: false, problem: rebuilt.problem };
  return { ok: true, value: { components: rebuilt, files: [...cli.value.files, ...files.value.map((f) => f.path)] } };
}

function componentsOfK3s(context: SourceContext, sign: RunningSign): ProcessInfo[] {
  const unitName = sign.role === 'agent' ? 'k3s-agent.service' : 'k3s.service';
  const read = readK3sCommandLines({
    root: context.root.dir,
    proc: context.tree.dir,
    units: [unitName],
    pid: sign.pid,
  });
  if (read.version !== undefined) sign.version = read.version;
  for (const note of read.notes) context.notes.push(`k3s (pid ${sign.pid}) journal: ${note}`);
  const found: ProcessInfo[] = [];
  let fallback: ReturnType<typeof rebuild> | undefined;
  for (const component of LOGGED) {
    if (alreadyFound(context, component)) continue;
    const line = read.commandLines[component as keyof K3sJournalRead['commandLines']];
    if (line !== undefined) {
      // The journal line is what ran: it always wins over a rebuilt one.
      const warnings =
        line.ambiguous.length > 0
          ? [`the journal line cannot show where the value of ${line.ambiguous.join(', ')} ends (it holds a space)`]
          : [];
      found.push(k3sComponent(sign, component, line.argv, 'journal', [line.file], warnings));
      continue;
    }
    fallback ??= rebuild(context, sign, unitName);
    if (!fallback.ok) {
      sign.unread = {
        ...sign.unread,
        [component]: `${noLine(component, sign, read)}, and its command line could not be rebuilt from k3s's settings and built-in defaults: ${fallback.problem}`,
      };
      continue;
    }
    const rebuilt = fallback.value.components.components.find((c) => c.component === component);
    if (rebuilt === undefined) continue; // disabled by a k3s flag (`--disable-scheduler`, an agent's control plane): it does not run
    // The files read; the provenance note names the built-in defaults and their upstream source.
    found.push(k3sComponent(sign, component, rebuilt.args, 'config', fallback.value.files, [rebuilt.provenance]));
  }
  if (sign.datastore?.kind === 'etcd' && !alreadyFound(context, 'etcd')) {
    const config = `${argValue(sign.argv ?? [], 'data-dir') ?? DEFAULT_DATA_DIR}/server/db/etcd/config`;
    found.push(k3sComponent(sign, 'etcd', [`--config-file=${config}`], 'config', [config], []));
  }
  return found;
}

export const k3s: ComponentSourceModule = {
  name: 'k3s',
  find(context) {
    return trustedRunning(context, 'k3s').flatMap((sign) => componentsOfK3s(context, sign));
  },
};
