// A kubelet that runs as a host binary under systemd (kubeadm, kubespray) has no static pod
// manifest. In an offline image (or a fake root without a kubelet pid) its command line is
// reconstructed from kubelet.service as systemd would build it. Every file goes through the
// bounded, root-confined reader; the parsing is in systemd-unit.ts,
// systemd-syntax.ts and systemd-env.ts.
import fs from 'node:fs';
import path from 'node:path/posix';
import { errnoCode, locate, readTextFile, type FileRoot } from './files.js';
import { recogniseComponent } from './proc.js';
import { expandExecStart, parseEnvironmentFile, serviceEnvironment } from './systemd-env.js';
import { foldService, type UnitFile } from './systemd-unit.js';
import type { ProcessInfo } from './types.js';

export const KUBELET_UNIT = 'kubelet.service';

/**
 * The system unit search path, highest priority first (systemd.unit(5) "Unit File Load Path";
 * `/lib/systemd/system` for distributions without merged /usr). The control, transient and
 * generator directories under /run are left out: an offline image has no /run content.
 */
export const UNIT_SEARCH_PATH = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
] as const;

/** Unit files and environment files are a few KiB; a bigger one is not what systemd was given. */
const UNIT_MAX_BYTES = 1024 * 1024;
const DROP_IN_MAX_FILES = 256;

export type KubeletUnit =
  | { kind: 'absent' }
  | { kind: 'masked'; path: string }
  | { kind: 'unusable'; path: string; reason: string }
  | {
      kind: 'command';
      /** The unit file (kubelet.service) systemd loads. */
      unitPath: string;
      /** The unit file or drop-in whose ExecStart= is the command. */
      execStartFile: string;
      argv: string[];
      /** WorkingDirectory=, or `/`. */
      cwd: string;
      /** Environment files that were read, in order. */
      environmentFiles: string[];
    };

type Entry = { kind: 'file'; path: string } | { kind: 'masked'; path: string };

/** A unit path that is a symlink to /dev/null (or an empty file) is masked (systemd.unit(5)). */
function isDevNullLink(hostPath: string): boolean {
  try {
    return fs.lstatSync(hostPath).isSymbolicLink() && fs.readlinkSync(hostPath) === '/dev/null';
  } catch (error) {
    if (errnoCode(error) !== undefined) return false;
    throw error;
  }
}

/** The directory's host path inside the root, or undefined when it is not there. */
function directory(root: FileRoot, dir: string): string | undefined {
  const located = locate(root, dir);
  return located.ok && located.stat.isDirectory() ? located.hostPath : undefined;
}

function findUnit(
  root: FileRoot,
  unitName: string,
): Entry | { kind: 'unusable'; path: string; reason: string } | undefined {
  for (const dir of UNIT_SEARCH_PATH) {
    const hostDir = directory(root, dir);
    if (hostDir === undefined) continue;
    const unitPath = `${dir}/${unitName}`;
    if (isDevNullLink(path.join(hostDir, unitName))) return { kind: 'masked', path: unitPath };
    const located = locate(root, unitPath);
    if (!located.ok && located.reason === 'missing') continue;
    return { kind: 'file', path: unitPath };
  }
  return undefined;
}

/**
 * `kubelet.service.d/*.conf` from every directory of the search path, ordered by file name; a
 * name in a higher-priority directory masks the same name below it (systemd.unit(5)).
 */
function findDropIns(root: FileRoot, unitName: string): Entry[] | { kind: 'unusable'; path: string; reason: string } {
  const byName = new Map<string, Entry>();
  for (const dir of UNIT_SEARCH_PATH) {
    const dropInDir = `${dir}/${unitName}.d`;
    const hostDir = directory(root, dropInDir);
    if (hostDir === undefined) continue;
    let names: string[];
    try {
      names = fs.readdirSync(hostDir).filter((name) => name.endsWith('.conf'));
    } catch (error) {
      const code = errnoCode(error);
      if (code === undefined) throw error;
      return { kind: 'unusable', path: dropInDir, reason: `${dropInDir} could not be listed (${code})` };
    }
    for (const name of names) {
      if (byName.has(name)) continue;
      const file = `${dropInDir}/${name}`;
      byName.set(
        name,
        isDevNullLink(path.join(hostDir, name)) ? { kind: 'masked', path: file } : { kind: 'file', path: file },
      );
      if (byName.size > DROP_IN_MAX_FILES) {
        return { kind: 'unusable', path: dropInDir, reason: `more than ${DROP_IN_MAX_FILES} drop-ins for ${unitName}` };
      }
    }
  }
  // Byte order, as systemd's strcmp sort; not the locale's.
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}

/** Reads a service unit (kubelet.service by default), its drop-ins and environment files, and builds the argv systemd would start. */
export function readKubeletUnit(root: FileRoot, unitName = KUBELET_UNIT): KubeletUnit {
  const unit = findUnit(root, unitName);
  if (unit === undefined) return { kind: 'absent' };
  if (unit.kind !== 'file') return unit;
  const files: UnitFile[] = [];
  const mainUnit = readTextFile(root, unit.path, UNIT_MAX_BYTES);
  if (!mainUnit.ok) return { kind: 'unusable', path: unit.path, reason: mainUnit.detail };
  if (mainUnit.size === 0) return { kind: 'masked', path: unit.path };
  files.push({ path: unit.path, text: mainUnit.content });

  const dropIns = findDropIns(root, unitName);
  if (!Array.isArray(dropIns)) return dropIns;
  for (const entry of dropIns) {
    if (entry.kind === 'masked') continue;
    const read = readTextFile(root, entry.path, UNIT_MAX_BYTES);
    if (!read.ok) return { kind: 'unusable', path: entry.path, reason: read.detail };
    files.push({ path: entry.path, text: read.content });
  }

  const config = foldService(files, unitName);
  if (config.problems.length > 0) return { kind: 'unusable', path: unit.path, reason: config.problems.join('; ') };
  if (config.execStart.length === 0) {
    return {
      kind: 'unusable',
      path: unit.path,
      reason: 'no ExecStart= is left after the drop-ins, so systemd would refuse to start the service',
    };
  }
  if (config.execStart.length > 1) {
    const where = [...new Set(config.execStart.map((c) => c.file))].join(', ');
    // Several commands are allowed only for Type=oneshot, and then none of them is "the" kubelet.
    return {
      kind: 'unusable',
      path: unit.path,
      reason: `${config.execStart.length} ExecStart= commands remain (${where}); which one runs the service is not decided`,
    };
  }

  const environments: Array<Array<[string, string]>> = [];
  const environmentFiles: string[] = [];
  for (const ref of config.environmentFiles) {
    const read = readTextFile(root, ref.path, UNIT_MAX_BYTES);
    if (read.ok) {
      environments.push(parseEnvironmentFile(read.content));
      environmentFiles.push(ref.path);
      continue;
    }
    // systemd skips an optional file it cannot load; a missing one is missing for systemd too,
    // but one we may not read (or that is too big, not text, …) it may well load.
    if (read.reason === 'missing' && ref.optional) continue;
    if (read.reason === 'missing') {
      return {
        kind: 'unusable',
        path: unit.path,
        reason: `EnvironmentFile=${ref.path} does not exist, so systemd would not start the service`,
      };
    }
    return { kind: 'unusable', path: unit.path, reason: read.detail };
  }

  const command = config.execStart[0]!;
  const argv = expandExecStart(command, serviceEnvironment(config, environments));
  return {
    kind: 'command',
    unitPath: unit.path,
    execStartFile: command.file,
    argv,
    cwd: config.workingDirectory ?? '/',
    environmentFiles,
  };
}

/**
 * The kubelet as its systemd unit would start it, for an audit without a live /proc; notes say
 * what was done, or why no command line could be built. Undefined when there is nothing to audit.
 */
export function kubeletFromUnit(root: FileRoot, notes: string[]): ProcessInfo | undefined {
  const unit = readKubeletUnit(root);
  switch (unit.kind) {
    case 'absent':
      return undefined;
    case 'masked':
      notes.push(
        `kubelet not running as a visible process, and its systemd unit is masked (${unit.path}): systemd would not start it`,
      );
      return undefined;
    case 'unusable':
      notes.push(
        `kubelet not running as a visible process; its systemd unit ${unit.path} exists, but the command line it would start could not be reconstructed: ${unit.reason}`,
      );
      return undefined;
    case 'command':
      break;
  }
  const recognised = recogniseComponent(unit.argv);
  if (recognised?.component !== 'kubelet') {
    notes.push(
      `kubelet not running as a visible process; its systemd unit ${unit.execStartFile} starts ${unit.argv[0] ?? '(nothing)'}, not a kubelet binary, so the kubelet's flags are not visible`,
    );
    return undefined;
  }
  const withFiles = unit.environmentFiles.length > 0 ? ` (with ${unit.environmentFiles.join(', ')})` : '';
  notes.push(
    `kubelet not running as a visible process; audited the command line its systemd unit ${unit.execStartFile} would start${withFiles}`,
  );
  return {
    pid: 0,
    component: 'kubelet',
    source: 'systemd-unit',
    argv: unit.argv,
    args: recognised.args,
    env: {},
    // systemd starts services in / unless WorkingDirectory= says otherwise (systemd.exec(5)).
    cwd: unit.cwd,
    unitPath: unit.execStartFile,
    files: {},
    dirs: {},
    warnings: [],
  };
}
