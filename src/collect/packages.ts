// Versions of installed Kubernetes packages, from dpkg's status database (deb822 stanzas).

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
