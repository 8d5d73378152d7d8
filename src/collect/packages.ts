// Versions of installed Kubernetes packages, from dpkg's status database (deb822 stanzas).
import { decodeUtf8 } from './files.js';

const RELEVANT_PACKAGE = /^(kube|etcd)/;
export const DPKG_STATUS_MAX_BYTES = 32 * 1024 * 1024;

/**
 * `Package` → `Version` of every installed package whose name starts with `kube` or `etcd`.
 * The Status line is `<want> <flag> <state>`: only `ok installed` counts, because a removed
 * package (`deinstall ok config-files`) leaves its stanza behind but runs nothing. The want word
 * may be `hold` as well as `install`: kubeadm's install guide tells operators to
 * `apt-mark hold kubelet kubeadm kubectl`, which gives `hold ok installed`.
 */
export function parseDpkgStatus(text: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    // A Debian host has hundreds of stanzas and a handful of interest: skip the rest cheaply.
    const packageName = /^Package:[ \t]*(\S+)/im.exec(stanza)?.[1];
    if (packageName === undefined || !RELEVANT_PACKAGE.test(packageName)) continue;
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      // Continuation lines (descriptions, conffiles) start with whitespace and are not fields.
      const match = /^([A-Za-z0-9-]+):[ \t]*(.*?)\s*$/.exec(line);
      if (match) fields.set((match[1] as string).toLowerCase(), match[2] as string);
    }
    const name = fields.get('package');
    const version = fields.get('version');
    const status = fields.get('status')?.split(/\s+/);
    if (name === undefined || version === undefined || !RELEVANT_PACKAGE.test(name)) continue;
    if (status?.[1] !== 'ok' || status[2] !== 'installed') continue;
    versions[name] = version;
  }
  return versions;
}

// dpkg writes every field in its canonical case, each stanza's `Package:` first
// (dpkg:lib/dpkg/dump.c, w_package); parseDpkgStatus still reads any stanza it is given.
const PACKAGE_LINE = Buffer.from('\nPackage:');
const STANZA_END = Buffer.from('\n\n');
const RELEVANT_PREFIXES = ['kube', 'etcd'].map((prefix) => Buffer.from(prefix));

/**
 * The stanzas of a dpkg status file whose package name starts with `kube` or `etcd`, each
 * decoded alone (one that is not UTF-8 is left out). A Debian host's file is about 1 MB of
 * hundreds of stanzas: searching its bytes and decoding a handful is ten times cheaper than
 * decoding it whole. Give the result, joined by blank lines, to parseDpkgStatus.
 */
export function dpkgStanzasOfInterest(status: Buffer): string[] {
  const stanzas: string[] = [];
  const packageLineAfter = (offset: number): number => {
    const newline = status.indexOf(PACKAGE_LINE, offset);
    return newline < 0 ? -1 : newline + 1;
  };
  let line = status.subarray(0, PACKAGE_LINE.length - 1).equals(PACKAGE_LINE.subarray(1)) ? 0 : packageLineAfter(0);
  while (line >= 0) {
    let name = line + PACKAGE_LINE.length - 1;
    while (status[name] === 0x20 || status[name] === 0x09) name += 1;
    const previousEnd = line < 2 ? -1 : status.lastIndexOf(STANZA_END, line - 2);
    const start = previousEnd < 0 ? 0 : previousEnd + STANZA_END.length;
    const found = status.indexOf(STANZA_END, line);
    const end = found < 0 ? status.length : found;
    if (RELEVANT_PREFIXES.some((prefix) => status.subarray(name, name + prefix.length).equals(prefix))) {
      const text = decodeUtf8(status.subarray(start, end));
      if (text !== undefined) stanzas.push(text);
    }
    line = found < 0 ? -1 : packageLineAfter(end);
  }
  return stanzas;
}
