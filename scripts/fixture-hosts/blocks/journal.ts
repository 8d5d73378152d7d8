// Journals of the k3s hosts: machine and boot ids, and the other units' lines around k3s's own.
import { serviceFields, type ExportEntry } from '../../journal-fixture.js';
import type { FileSpec } from '../spec.js';

export const MACHINE_ID = '7c1e9a04b2d84f6e9a3b5c7d1e2f4a68';

export const BOOT_ID = '3f9d2c1b8a7e4d6c9b0a1f2e3d4c5b6a';

export const PREVIOUS_BOOT_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';

/** 2026-11-20T06:00:30Z: half a minute after the fixtures' boot time. */
export const START_US = Date.parse('2026-11-20T06:00:30Z') * 1000;

export function bootIdFile(): string {
  return `${BOOT_ID.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}\n`;
}

/** Lines of other units around the k3s lines, as a journal always has. */
export function noise(bootId: string, count: number, clock: { t: number }): ExportEntry[] {
  const units = ['containerd.service', 'cron.service', 'systemd-networkd.service', 'ssh.service'];
  return Array.from({ length: count }, (_, i) => {
    const unit = units[i % units.length]!;
    clock.t += 1000;
    return {
      realtime: clock.t,
      monotonic: clock.t - START_US + 30_000_000,
      bootId,
      fields: serviceFields(unit, 400 + (i % 9), unit.split('.')[0]!, `routine message ${i} of ${unit}`),
    };
  });
}

export function journalFiles(entries: ExportEntry[]): Record<string, FileSpec> {
  return {
    '/etc/machine-id': `${MACHINE_ID}\n`,
    '/proc/sys/kernel/random/boot_id': bootIdFile(),
    [`/var/log/journal/${MACHINE_ID}/system.journal`]: { journal: entries },
  };
}
