// What the largest hostile input within the read caps costs to parse (issue 9 items 4 and 5):
// PEM scanning, kubeconfig redaction and YAML reading, each on the shapes that were slow.
// Prints one row per shape: size, median and worst wall time, and the heap growth of one parse.
// Run: npm run build && node --expose-gc dist/bench/hostile-parse.js [runs] [filter]
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { certificateBlocks, parseCertificates, withoutPrivateKeys } from '../src/collect/certs.js';
import { redactKubeconfig } from '../src/collect/redact.js';
import { MAX_YAML_LINES, MAX_YAML_TOKENS, readYaml, type ReadYamlOptions } from '../src/formats/yaml.js';

const runs = Number(process.argv[2] ?? 3);
const filter = process.argv[3] ?? '';
const MiB = 1024 * 1024;
/** collect's read cap for component files (src/collect/files.ts CONFIG_MAX_BYTES). */
const CAP = 4 * MiB;

const K8S: ReadYamlOptions = { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 100 };

/** `unit` repeated until the text is about `bytes` long. */
function fill(unit: string, bytes: number, head = '', tail = ''): string {
  return head + unit.repeat(Math.max(1, Math.floor((bytes - head.length - tail.length) / unit.length))) + tail;
}

/** `count` lines made by `line`. */
function lines(line: (i: number) => string, count: number): string {
  return Array.from({ length: Math.floor(count) }, (_, i) => line(i)).join('\n');
}

/** A real certificate (the kubeadm fixture's etcd CA), for files that are nothing but certificates. */
const CERTIFICATE = () =>
  readFileSync(
    new URL('../../test/fixtures/hosts/kubeadm-1.34-control-plane/etc/kubernetes/pki/etcd/ca.crt', import.meta.url),
    'utf8',
  );

const shapes: Array<{ name: string; text: () => string; parse: (text: string) => unknown }> = [
  {
    name: 'x509: certificates, 4 MiB (8,035 of them)',
    text: () => fill(CERTIFICATE(), CAP),
    parse: parseCertificates,
  },
  {
    name: 'x509: certificates, 4 MiB, every fingerprint hashed',
    text: () => fill(CERTIFICATE(), CAP),
    parse: (text) => parseCertificates(text).map((certificate) => certificate.fingerprint256),
  },
  {
    name: 'pem: unterminated BEGIN CERTIFICATE lines, 448 KB',
    text: () => fill('-----BEGIN CERTIFICATE-----\n', 448_000),
    parse: certificateBlocks,
  },
  {
    name: 'pem: unterminated BEGIN CERTIFICATE lines, 4 MiB',
    text: () => fill('-----BEGIN CERTIFICATE-----\n', CAP),
    parse: certificateBlocks,
  },
  {
    name: 'pem: unterminated BEGIN PRIVATE KEY lines, 4 MiB',
    text: () => fill('-----BEGIN PRIVATE KEY-----\n', CAP),
    parse: withoutPrivateKeys,
  },
  {
    name: 'pem: BEGIN + long A run lines, 4 MiB',
    text: () => fill(`-----BEGIN ${'A'.repeat(1000)}\n`, CAP),
    parse: withoutPrivateKeys,
  },
  {
    name: 'kubeconfig redaction: deepening exec regions, 4 MiB',
    text: () =>
      Array.from({ length: 2800 }, (_, i) => `${' '.repeat(i)}exec:`)
        .join('\n')
        .slice(0, CAP),
    parse: redactKubeconfig,
  },
  {
    name: "kubeconfig redaction: one line of token:'a, 4 MiB",
    text: () => fill("token:'a,", CAP),
    parse: redactKubeconfig,
  },
  {
    name: 'kubeconfig redaction: one line of {token: "\\", 4 MiB',
    text: () => fill('{token: "\\\\\\", ', CAP),
    parse: redactKubeconfig,
  },
  {
    name: 'yaml: 40,000 keys, 642 KiB',
    text: () => Array.from({ length: 40_000 }, (_, i) => `key${String(i).padStart(6, '0')}: 1`).join('\n'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: keys up to the 4 MiB cap',
    text: () =>
      Array.from({ length: 260_000 }, (_, i) => `key${String(i).padStart(6, '0')}: 1`)
        .join('\n')
        .slice(0, CAP),
    parse: (t) => readYaml(t, K8S),
  },
  { name: 'yaml: flow list of 1 MB', text: () => fill('1, ', MiB, '[', '1]'), parse: (t) => readYaml(t, K8S) },
  {
    name: 'yaml: flow list up to the 4 MiB cap',
    text: () => fill('1, ', CAP, '[', '1]'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: flow mapping up to the 4 MiB cap',
    text: () => `{${Array.from({ length: 300_000 }, (_, i) => `k${i}: 1`).join(', ')}}`.slice(0, CAP - 1) + '}',
    parse: (t) => readYaml(t, K8S),
  },
  { name: 'yaml: block list up to the 4 MiB cap', text: () => fill('- 1\n', CAP), parse: (t) => readYaml(t, K8S) },
  {
    name: 'yaml: nested lists of 50 levels, many',
    text: () => fill(`- ${'['.repeat(50)}${']'.repeat(50)}\n`, CAP),
    parse: (t) => readYaml(t, K8S),
  },
  { name: 'yaml: one plain scalar of 4 MiB', text: () => fill('a', CAP, 'k: '), parse: (t) => readYaml(t, K8S) },
  {
    name: 'yaml: a plain scalar folded over 4 MiB of lines',
    text: () => fill(' a\n', CAP, 'k:\n'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: a double-quoted scalar of escapes, 4 MiB',
    text: () => fill('\\t', CAP, 'k: "', '"'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: a literal block scalar of 4 MiB of lines',
    text: () => fill('  a\n', CAP, 'k: |\n'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: comment lines up to the 4 MiB cap',
    text: () => fill('#\n', CAP, '', 'a: 1\n'),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: document markers up to the 4 MiB cap',
    text: () => fill('---\n', CAP),
    parse: (t) => readYaml(t, K8S),
  },
  // Just within the bounds (MAX_YAML_TOKENS tokens, MAX_YAML_LINES lines): the worst that is parsed whole.
  {
    name: 'yaml within bounds: keys',
    text: () => lines((i) => `key${String(i).padStart(6, '0')}: 1`, MAX_YAML_TOKENS / 7),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: flow list',
    text: () => `[${'1, '.repeat(MAX_YAML_TOKENS / 3 - 2)}1]`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: flow mapping',
    text: () => `{${Array.from({ length: MAX_YAML_TOKENS / 7 }, (_, i) => `k${i}: 1`).join(', ')}}`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: nested flow lists',
    text: () => lines(() => `- ${'['.repeat(50)}${']'.repeat(50)}`, MAX_YAML_TOKENS / 105),
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: literal block scalar, long lines',
    text: () => `k: |\n${lines(() => `  ${'a'.repeat(80)}`, MAX_YAML_LINES - 2)}`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: folded plain scalar, long lines',
    text: () => `k:\n${lines(() => ` ${'a '.repeat(40)}`, MAX_YAML_LINES - 2)}`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: comment lines',
    text: () => `${lines(() => `#${'a'.repeat(80)}`, MAX_YAML_LINES - 2)}\na: 1`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml within bounds: aliases',
    text: () => `- &a [1, 2, 3]\n${lines(() => '- *a', MAX_YAML_TOKENS / 5)}`,
    parse: (t) => readYaml(t, K8S),
  },
  {
    name: 'yaml: aliases to one anchor',
    text: () => fill('- *a\n', CAP, '- &a [1, 2, 3]\n'),
    parse: (t) => readYaml(t, K8S),
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
console.log(`runs: ${runs}; node ${process.version}${gc ? '' : ' (run with --expose-gc for heap figures)'}`);
// The machine is shared: a fixed task timed next to the rows says how fast it was running.
const calibration = `[${'1, '.repeat(CAP / 3 - 1)}1]`;
const calibrationStart = performance.now();
JSON.parse(calibration);
console.log(
  `calibration: JSON.parse of a ${(calibration.length / MiB).toFixed(1)} MiB list took ${(performance.now() - calibrationStart).toFixed(1)} ms`,
);
console.log(
  'shape'.padEnd(58),
  'bytes'.padStart(9),
  'median ms'.padStart(10),
  'worst ms'.padStart(10),
  'heap +MiB'.padStart(10),
);
for (const shape of shapes) {
  if (!shape.name.includes(filter)) continue;
  const text = shape.text();
  const times: number[] = [];
  let heap = 0;
  for (let i = 0; i < runs; i++) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    const result = shape.parse(text);
    times.push(performance.now() - start);
    heap = Math.max(heap, process.memoryUsage().heapUsed - before);
    if (result === undefined) throw new Error('no result');
  }
  console.log(
    shape.name.padEnd(58),
    String(Buffer.byteLength(text)).padStart(9),
    median(times).toFixed(1).padStart(10),
    times
      .reduce((a, b) => Math.max(a, b), 0)
      .toFixed(1)
      .padStart(10),
    (heap / MiB).toFixed(1).padStart(10),
  );
}
