// Builds the fake-root fixtures under test/fixtures/hosts/<name>/ (DESIGN §2 "Fake roots",
// STYLE §3.5): a /proc in kernel format plus the files the processes reference at their real
// paths. Each fixture's README.md cites where every fact comes from; expected.json is written by
// the golden test (UPDATE=1) and reviewed by hand. test/fixture-generator.test.ts regenerates every
// tree and compares it with the committed one, so edit the generator, never a tree.
//
//   npm run fixtures                                   rebuild every tree
//   npm run fixtures -- k3s-server microk8s            rebuild these hosts only
//   npm run fixtures -- --out /tmp/hosts               write the trees elsewhere
//   npm run fixtures -- --new-certs                    also regenerate the certificates
//
// The rooms: proc.ts (kernel formats), certs.ts (X.509 via openssl), tree.ts (writes one host),
// blocks/<distribution>.ts (shared building blocks), hosts/<name>.ts (one host each), registry.ts
// (the list of hosts). README.md, expected.json and audit-config.yaml of a fixture are never
// touched here.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCertificates } from './certs.js';
import { hostsDir, repo } from './paths.js';
import { HOSTS } from './registry.js';
import { buildHost } from './tree.js';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, 'new-certs': { type: 'boolean' } },
  });
  const target = path.resolve(values.out ?? hostsDir);
  ensureCertificates(values['new-certs'] === true);
  const hosts = HOSTS.map((make) => make());
  const unknown = positionals.filter((name) => !hosts.some((h) => h.name === name));
  if (unknown.length > 0) {
    console.error(
      `scripts/fixture-hosts: no fixture host named ${unknown.join(', ')} (known: ${hosts.map((h) => h.name).join(', ')})`,
    );
    process.exitCode = 2;
    return;
  }
  for (const host of hosts) {
    if (positionals.length > 0 && !positionals.includes(host.name)) continue;
    buildHost(host, target);
    const written = path.join(target, host.name);
    console.log(`wrote ${written.startsWith(`${repo}/`) ? path.relative(repo, written) : written}`);
  }
}

main();
