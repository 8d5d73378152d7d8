// promtool (Debian package `prometheus`) as a test oracle.
import { spawnSync } from 'node:child_process';

/** `promtool check metrics` on exposition text: exit status and what it complained about. */
export function promtoolCheckMetrics(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}
