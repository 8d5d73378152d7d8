import { defineCheck } from './define-check.js';
import type { Evidence, Outcome } from './types.js';
import { compareVersions, judgedVersions, parseKubernetesVersion } from '../resolve/versions.js';
import { daysSince, minorRelease, tableAsOf } from '../resolve/release-table.js';

/** scs-0210-v2: "The latest patch version MUST be provided no later than 1 month after release."; SCS's own test uses 31 days. */
const PATCH_WINDOW_DAYS = 31;

const messages = {
  current: 'No newer patch release was published more than 31 days ago for: {{components}}.',
  patchOverdue: 'A newer patch release has been available for more than 31 days: {{components}}.',
  versionUnknown:
    'The version of {{components}} could not be determined; a version tag on the container image or the installing dpkg package would tell.',
  notInTable:
    'The release table has no entry for {{components}}; update the release table (scs-node-audit config file) or scs-node-audit.',
  tableStale:
    'The release table only covers releases up to {{asOf}} ({{days}} days ago); a patch released since then may be overdue for {{components}}. Update the release table.',
  patchDateUnknown: 'A newer patch exists but its release date is not in the table: {{components}}.',
  noComponent: 'No kube-apiserver, kubelet, kube-controller-manager or kube-scheduler on this node.',
};
type MessageId = keyof typeof messages;

export default defineCheck({
  id: 'version-patch-current',
  title: 'Kubernetes components run the latest patch of their minor release (within 31 days)',
  level: 'MUST',
  component: 'node',
  requirement: {
    section: 'Standard',
    quote: 'Kubernetes clusters MUST be updated regularly in order to receive bugfixes and security patches.',
  },
  remediation:
    'Upgrade to the newest patch release of the running minor within a month of its release, as scs-0210-v2 requires (kubeadm: `kubeadm upgrade apply v1.X.Z`, `kubeadm upgrade node`, then the kubelet and kubeadm packages). If the release table is outdated, replace it in the scs-node-audit config file or upgrade scs-node-audit.',
  messages,
  evaluate(host, context): Outcome<MessageId> {
    const table = host.versions.releases;
    const judged = judgedVersions(host.versions);
    if (judged.known.length === 0 && judged.unknown.length === 0)
      return { status: 'skip', messageId: 'noComponent', evidence: [] };

    const asOf = tableAsOf(table);
    const tableAgeDays = asOf === undefined ? Infinity : daysSince(asOf, context.now);
    const evidence: Evidence[] = [];
    const overdue: string[] = [];
    const current: string[] = [];
    const stale: string[] = [];
    const undated: string[] = [];
    const notInTable: string[] = [];

    for (const c of judged.known) {
      evidence.push(c.evidence);
      const label = `${c.component} ${c.version}`;
      const entry = minorRelease(table, c.minor);
      if (!entry) {
        notInTable.push(`${label} (minor ${c.minor})`);
        continue;
      }
      const running = c.parsed;
      const newer = entry.patches
        .map((p) => ({ ...p, parsed: parseKubernetesVersion(p.version) }))
        .filter((p) => p.parsed && compareVersions(p.parsed, running) > 0);
      const late = newer
        .filter((p) => daysSince(p.date, context.now) > PATCH_WINDOW_DAYS)
        .sort((a, b) => compareVersions(b.parsed!, a.parsed!));
      if (late.length > 0) {
        const newest = late[0]!;
        evidence.push({
          source: 'release-table',
          detail: `${newest.version} released ${newest.date} (${table.source})`,
        });
        overdue.push(
          `${label} (v${newest.version} released ${newest.date}, ${daysSince(newest.date, context.now)} days ago)`,
        );
        continue;
      }
      // Patch numbers run without holes (kubernetes/kubernetes tags v1.X.0, v1.X.1, …). A hole between
      // the running patch and a newer one in the table is a release whose date we do not know: it
      // may be the overdue one. A table merged from endoflife.date (only the newest patch per minor)
      // has such holes until the daily refreshes have seen every patch.
      const missing = missingPatches(
        entry.minor,
        running.patch,
        newer.map((p) => p.parsed!.patch),
      );
      if (missing.length > 0) {
        undated.push(
          `${label} (v${missing.length > 1 ? `${missing[0]!} … v${missing[missing.length - 1]!}` : missing[0]!})`,
        );
        continue;
      }
      const final = entry.finalPatch ? parseKubernetesVersion(entry.finalPatch) : undefined;
      if (
        final &&
        entry.finalPatch !== undefined &&
        compareVersions(final, running) > 0 &&
        !newer.some((p) => p.version === entry.finalPatch)
      ) {
        // The final patch of this minor exists, but the table does not say when it came out.
        undated.push(`${label} (v${entry.finalPatch})`);
        continue;
      }
      if (final && entry.finalPatch !== undefined && compareVersions(running, final) >= 0) {
        // The last patch this minor will ever get: nothing newer can appear, however old the table.
        evidence.push({
          source: 'release-table',
          detail: `${entry.finalPatch} is the final patch of ${entry.minor} (${table.source})`,
        });
        current.push(`${label} (final patch of ${entry.minor})`);
        continue;
      }
      if (asOf === undefined || tableAgeDays > PATCH_WINDOW_DAYS) {
        // A patch released after the table was made could already be more than 31 days old; the
        // table cannot show it, so this is not a pass.
        stale.push(label);
        continue;
      }
      evidence.push({
        source: 'release-table',
        detail: `no patch of ${entry.minor} newer than ${c.version} released before ${asOf} (${table.source})`,
      });
      current.push(
        newer.length > 0
          ? `${label} (v${newer[newer.length - 1]!.version} is less than ${PATCH_WINDOW_DAYS + 1} days old)`
          : label,
      );
    }

    if (overdue.length > 0)
      return { status: 'fail', messageId: 'patchOverdue', data: { components: overdue.join(', ') }, evidence };
    if (judged.unknown.length > 0)
      return {
        status: 'unknown',
        messageId: 'versionUnknown',
        data: { components: judged.unknown.join(', ') },
        evidence,
      };
    if (notInTable.length > 0)
      return { status: 'unknown', messageId: 'notInTable', data: { components: notInTable.join(', ') }, evidence };
    if (undated.length > 0)
      return { status: 'unknown', messageId: 'patchDateUnknown', data: { components: undated.join(', ') }, evidence };
    if (stale.length > 0) {
      return {
        status: 'unknown',
        messageId: 'tableStale',
        data: {
          asOf: asOf ?? 'no date',
          days: Number.isFinite(tableAgeDays) ? tableAgeDays : 'unknown',
          components: stale.join(', '),
        },
        evidence,
      };
    }
    return { status: 'pass', messageId: 'current', data: { components: current.join(', ') }, evidence };
  },
});

/** `1.36.3`, `1.36.4`: the patches of `minor` after `running` and before the newest of `listed` that the table lacks. */
function missingPatches(minor: string, running: number, listed: readonly number[]): string[] {
  const newest = Math.max(running, ...listed);
  const missing: string[] = [];
  for (let n = running + 1; n < newest; n += 1) if (!listed.includes(n)) missing.push(`${minor}.${n}`);
  return missing;
}
