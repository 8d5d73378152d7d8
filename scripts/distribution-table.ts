// Generates the README table of each distribution's verdicts on a default install, from the
// fixtures' expected.json (which test/hosts.test.ts holds to the engine's real output), so the
// table cannot drift: test/distribution-table.test.ts fails when README.md is not current.
//
//   node --import tsx scripts/distribution-table.ts          write the table into README.md
//   node --import tsx scripts/distribution-table.ts --check  fail if README.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../src/checks/index.js';
import { betweenMarkers, repoRoot } from './gen-docs.js';

export const TABLE_BEGIN = '<!-- distributions:begin -->';
export const TABLE_END = '<!-- distributions:end -->';

/** Fixture and column heading: the default install of each distribution and role we have a fixture for. */
export const DEFAULT_INSTALLS: ReadonlyArray<{ fixture: string; heading: string }> = [
  { fixture: 'kubeadm-1.34-control-plane', heading: 'kubeadm CP' },
  { fixture: 'kubeadm-1.36-worker', heading: 'kubeadm worker' },
  { fixture: 'kind-control-plane', heading: 'kind' },
  { fixture: 'minikube', heading: 'minikube' },
  { fixture: 'k3s-server', heading: 'k3s server' },
  { fixture: 'k3s-agent', heading: 'k3s agent¹' },
  { fixture: 'rke2-server', heading: 'RKE2 server²' },
  { fixture: 'rke2-agent', heading: 'RKE2 agent' },
  { fixture: 'microk8s', heading: 'MicroK8s' },
  { fixture: 'k0s-controller', heading: 'k0s controller' },
  { fixture: 'k0s-controller-worker', heading: 'k0s ctrl+worker' },
  { fixture: 'talos-control-plane', heading: 'Talos CP' },
];

export function renderDistributionTable(hostsDir: string): string {
  const expected = DEFAULT_INSTALLS.map(
    ({ fixture }) =>
      (
        JSON.parse(readFileSync(path.join(hostsDir, fixture, 'expected.json'), 'utf8')) as {
          checks: Record<string, string>;
        }
      ).checks,
  );
  return [
    `| check | level | ${DEFAULT_INSTALLS.map((d) => d.heading).join(' | ')} |`,
    `|---|---|${DEFAULT_INSTALLS.map(() => '---').join('|')}|`,
    ...CHECKS.map((c) => `| \`${c.id}\` | ${c.level} | ${expected.map((e) => e[c.id] ?? '?').join(' | ')} |`),
  ].join('\n');
}

/** README.md as it is and as it should be. */
export function distributionReadme(root = repoRoot()): { path: string; current: string; expected: string } {
  const readmePath = path.join(root, 'README.md');
  const current = readFileSync(readmePath, 'utf8');
  return {
    path: readmePath,
    current,
    expected: betweenMarkers(
      current,
      TABLE_BEGIN,
      TABLE_END,
      renderDistributionTable(path.join(root, 'test/fixtures/hosts')),
    ),
  };
}

function main(args: readonly string[]): void {
  const readme = distributionReadme();
  if (readme.current === readme.expected) return;
  if (args.includes('--check'))
    throw new Error(`out of date: ${readme.path}; run node --import tsx scripts/distribution-table.ts`);
  writeFileSync(readme.path, readme.expected);
  process.stdout.write(`wrote ${readme.path}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
