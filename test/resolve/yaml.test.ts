import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAudit } from '../../src/audit.js';
import { defaultConfig } from '../../src/config.js';
import {
  MAX_YAML_DEPTH,
  MAX_YAML_LINES,
  MAX_YAML_TOKENS,
  readYaml,
  withYamlMemo,
  type ReadYamlOptions,
} from '../../src/formats/yaml.js';
import { hostSnapshot } from '../support/host.js';

const KUBERNETES: ReadYamlOptions = { schema: 'yaml-1.1', duplicateKeys: 'refuse', maxAliases: 100 };
const ETCD: ReadYamlOptions = { schema: 'yaml-1.1', duplicateKeys: 'last-wins', maxAliases: 100, mapAsMap: true };
const OWN_TABLE: ReadYamlOptions = { schema: 'core', duplicateKeys: 'refuse', maxAliases: 100 };

function valueOf(text: string, options: ReadYamlOptions = KUBERNETES): unknown {
  const read = readYaml(text, options);
  assert.ok(read.ok, read.ok ? '' : `expected a value, got: ${read.problem}`);
  return read.value;
}

function problemOf(text: string, options: ReadYamlOptions = KUBERNETES): string {
  const read = readYaml(text, options);
  assert.ok(!read.ok, `expected a problem, got ${JSON.stringify(read.ok && read.value)}`);
  assert.doesNotMatch(read.problem, /\n/, 'one line');
  return read.problem;
}

/** `[[…]]`, `- - … x`, nested block maps and map/compact-sequence pairs, `depth` levels deep. */
const nestings = (depth: number): [string, string][] => [
  ['flow sequences', '['.repeat(depth) + ']'.repeat(depth)],
  ['flow mappings (JSON)', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)],
  ['block sequences on one line', '- '.repeat(depth) + 'x\n'],
  ['indented block mappings', Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}k:`).join('\n') + ' 1\n'],
  [
    'mappings with compact sequences',
    Array.from({ length: depth / 2 }, (_, i) => `${' '.repeat(i * 2)}k:\n${' '.repeat(i * 2)}-`).join('\n') + ' 1\n',
  ],
];

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('readYaml: values', () => {
  const cases: { name: string; text: string; options?: ReadYamlOptions; value: unknown }[] = [
    {
      name: 'YAML 1.1 booleans (go-yaml v2: no, off, on, yes)',
      text: 'a: no\nb: off\nc: on\nd: yes\ne: true\n',
      value: { a: false, b: false, c: true, d: true, e: true },
    },
    { name: 'YAML 1.1 octal and sexagesimal', text: 'mode: 0644\ntime: 1:30\n', value: { mode: 420, time: 90 } },
    {
      name: 'the core schema for our own table: no and 0644 stay as YAML 1.2 reads them',
      text: 'a: no\nmode: 0644\nb: true\n',
      options: OWN_TABLE,
      value: { a: 'no', mode: 644, b: true },
    },
    {
      name: 'the core schema keeps an unquoted date a string',
      text: 'endOfLife: 2026-10-27\n',
      options: OWN_TABLE,
      value: { endOfLife: '2026-10-27' },
    },
    {
      name: 'JSON is YAML',
      text: '{"a": [1, "x", null], "b": {"c": false}}',
      value: { a: [1, 'x', null], b: { c: false } },
    },
    { name: 'an empty document is null', text: '', value: null },
    { name: 'only comments and blank lines is null', text: '# nothing here\n\n   \n', value: null },
    { name: 'an explicit document end is still one document', text: 'a: 1\n...\n', value: { a: 1 } },
    {
      name: 'a few aliases are fine',
      text: 'a: &x [1, 2]\nb: *x\nc: *x\n',
      value: { a: [1, 2], b: [1, 2], c: [1, 2] },
    },
    {
      name: 'duplicates, last-wins (Go encoding/json): the last value is kept',
      text: 'a: 1\nb: 2\na: 3\n',
      options: { ...ETCD, mapAsMap: false },
      value: { a: 3, b: 2 },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(valueOf(c.text, c.options), c.value));

  it('mapAsMap keeps case variants as separate keys, in document order', () => {
    const value = valueOf('Name: a\nname: b\nNAME: c\n', ETCD);
    assert.ok(value instanceof Map);
    assert.deepEqual(
      [...value],
      [
        ['Name', 'a'],
        ['name', 'b'],
        ['NAME', 'c'],
      ],
    );
  });

  it('YAML 1.1 reads an unquoted date as a timestamp', () => {
    const value = valueOf('day: 2001-12-14\n') as { day: unknown };
    assert.ok(value.day instanceof Date);
    assert.equal(value.day.toISOString(), '2001-12-14T00:00:00.000Z');
  });
});

describe('readYaml: problems, as sentences that follow the file name', () => {
  const cases: {
    name: string;
    text: string;
    options?: ReadYamlOptions;
    problem: string;
    line?: number;
    column?: number;
  }[] = [
    {
      name: 'duplicate key, refused',
      text: 'a: 1\nb: 2\na: 3\n',
      problem: 'has a duplicate key "a" at line 3',
      line: 3,
      column: 1,
    },
    {
      name: 'duplicate quoted key in a flow mapping',
      text: '{"port": 1, "port": 2}',
      problem: 'has a duplicate key "port" at line 1',
      line: 1,
      column: 13,
    },
    {
      name: 'duplicate key in a nested mapping',
      text: 'outer:\n  inner: 1\n  inner: 2\n',
      problem: 'has a duplicate key "inner" at line 3',
      line: 3,
      column: 3,
    },
    {
      name: 'two documents',
      text: 'a: 1\n---\nb: 2\n',
      problem: 'holds more than one YAML document (the second starts at line 2)',
      line: 2,
    },
    {
      name: 'a trailing document separator starts a second document',
      text: 'a: 1\n---\n',
      problem: 'holds more than one YAML document (the second starts at line 2)',
      line: 2,
    },
    {
      name: 'two documents even where duplicates are allowed',
      text: 'a: 1\n---\nb: 2\n',
      options: ETCD,
      problem: 'holds more than one YAML document (the second starts at line 2)',
      line: 2,
    },
    {
      name: 'unclosed flow sequence, with line and column',
      text: 'a: 1\nb: [\n',
      problem:
        'is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1',
      line: 3,
      column: 1,
    },
    {
      name: 'unterminated quoted string',
      text: 'a: "open\n',
      problem: 'is not valid YAML: Missing closing "quote at line 2, column 1',
      line: 2,
      column: 1,
    },
    {
      name: 'a scalar where a mapping continues',
      text: 'a: 1\nb\n',
      problem: 'is not valid YAML: Implicit map keys need to be followed by map values at line 2, column 1',
      line: 2,
      column: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const read = readYaml(c.text, c.options ?? KUBERNETES);
      assert.ok(!read.ok);
      assert.equal(read.problem, c.problem);
      if (c.line !== undefined) assert.equal(read.line, c.line);
      if (c.column !== undefined) assert.equal(read.column, c.column);
    });
  }

  it('the problem never carries library advice or a code excerpt', () => {
    for (const text of ['a: 1\n---\nb: 2\n', 'a: [\n', 'a: 1\na: 2\n']) {
      assert.doesNotMatch(problemOf(text), /parseAllDocuments|must be unique|\^/);
    }
  });

  describe('an alias bomb is refused, not expanded', () => {
    const level = (name: string, previous: string) =>
      `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`;
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x, x]\n' +
      level('b', 'a') +
      level('c', 'b') +
      level('d', 'c') +
      level('e', 'd') +
      level('f', 'e') +
      level('g', 'f');
    it('with the limit in the sentence', () =>
      assert.equal(problemOf(bomb), 'has more than 100 aliases to expand (an alias bomb?)'));
    it('also where duplicates are allowed and mappings are Maps', () =>
      assert.equal(problemOf(bomb, ETCD), 'has more than 100 aliases to expand (an alias bomb?)'));
    it('the limit is the caller’s', () => {
      const eleven = `a: &a x\nb: [${Array(11).fill('*a').join(', ')}]\n`;
      assert.equal(
        problemOf(eleven, { ...KUBERNETES, maxAliases: 10 }),
        'has more than 10 aliases to expand (an alias bomb?)',
      );
      assert.deepEqual(valueOf(eleven), { a: 'x', b: Array(11).fill('x') });
    });
  });
});

describe(`readYaml: nesting is bounded at ${MAX_YAML_DEPTH} levels`, () => {
  for (const [shape, text] of nestings(MAX_YAML_DEPTH)) {
    it(`${MAX_YAML_DEPTH} levels of ${shape} are read`, () => assert.equal(depthOf(valueOf(text)), MAX_YAML_DEPTH));
  }
  for (const [shape, text] of nestings(MAX_YAML_DEPTH + 4)) {
    it(`${MAX_YAML_DEPTH + 4} levels of ${shape} are refused`, () =>
      assert.equal(problemOf(text), `is nested too deeply (more than ${MAX_YAML_DEPTH} levels)`));
  }
  const hostile: [string, string][] = [
    ['100,000 levels of flow sequences', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['100,000 levels of flow mappings (JSON)', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['100,000 levels of block sequences on one line', '- '.repeat(100_000) + 'x\n'],
    ['100,000 unclosed flow sequences', 'key: ' + '['.repeat(100_000)],
    // Indentation grows with the depth, so 2,000 levels already take 2 MB.
    [
      '2,000 levels of block mappings indented by one space',
      Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
    ],
  ];
  for (const [shape, text] of hostile) {
    // Refused before the composer recurses: a stack overflow or Node's out-of-memory abort on a
    // second parse would surface here as a different problem or a crash. Timing lives in bench/.
    it(`${shape}: refused as too deep, not a stack overflow`, () => {
      assert.equal(problemOf(text), `is nested too deeply (more than ${MAX_YAML_DEPTH} levels)`);
    });
  }
});

// Issue 9 item 4: a file within the 4 MiB read cap took seconds to minutes and GiBs to parse.
describe(`readYaml: parse work is bounded (${MAX_YAML_TOKENS} tokens, ${MAX_YAML_LINES} lines)`, () => {
  const keys = (count: number) =>
    Array.from({ length: count }, (_, i) => `key${String(i).padStart(6, '0')}: ${i}`).join('\n');
  it('5,000 keys are read, each once', () => assert.equal(Object.keys(valueOf(keys(5_000)) as object).length, 5_000));
  const tooMany: [string, string, string][] = [
    ['10,000 keys', keys(10_000), `more than ${MAX_YAML_TOKENS} tokens`],
    ['a flow list of 1 MB', `[${'1, '.repeat(349_000)}1]`, `more than ${MAX_YAML_TOKENS} tokens`],
    [
      'a flow mapping of 300,000 keys',
      `{${Array.from({ length: 300_000 }, (_, i) => `k${i}: 1`).join(', ')}}`,
      `more than ${MAX_YAML_TOKENS} tokens`,
    ],
    ['aliases to one anchor', `a: &a [1]\nb: [${'*a, '.repeat(20_000)}*a]\n`, `more than ${MAX_YAML_TOKENS} tokens`],
    [
      'a literal block scalar of 1,000,000 lines',
      `k: |\n${'  a\n'.repeat(1_000_000)}`,
      `more than ${MAX_YAML_LINES} lines`,
    ],
    ['1,000,000 comment lines', `${'#\n'.repeat(1_000_000)}a: 1\n`, `more than ${MAX_YAML_LINES} lines`],
  ];
  for (const [shape, text, bound] of tooMany) {
    it(`${shape}: refused, naming the bound`, () =>
      assert.equal(problemOf(text), `is too large to read as YAML (${bound})`));
  }
  it('a duplicate key after thousands of others is still found, with its line', () => {
    const read = readYaml(`${keys(5_000)}\nkey000000: again\n`, KUBERNETES);
    assert.ok(!read.ok);
    assert.equal(read.problem, 'has a duplicate key "key000000" at line 5001');
    assert.equal(read.column, 1);
  });
  it('duplicate keys as the yaml package saw them: two empty keys repeat, 1 and "1" do not', () => {
    assert.equal(problemOf('? \n: a\n? \n: b\n'), 'has a duplicate key "null" at line 3');
    assert.deepEqual(
      valueOf('1: a\n"1": b\n', { ...KUBERNETES, mapAsMap: true }),
      new Map<unknown, unknown>([
        [1, 'a'],
        ['1', 'b'],
      ]),
    );
  });
});

describe('withYamlMemo: each text is parsed once per audit', () => {
  const text = 'kind: KubeletConfiguration\nreadOnlyPort: 0\n';
  it('inside, two reads of the same text share one frozen value; outside, each read parses', () => {
    const [first, second] = withYamlMemo(() => [readYaml(text, KUBERNETES), readYaml(text, KUBERNETES)]);
    assert.equal(first, second);
    assert.ok(first.ok && Object.isFrozen(first.value));
    assert.notEqual(readYaml(text, KUBERNETES), readYaml(text, KUBERNETES));
    const [core, yaml11] = withYamlMemo(() => [readYaml(text, OWN_TABLE), readYaml(text, KUBERNETES)]);
    assert.notEqual(core, yaml11, 'other options, other parse');
  });
  it('runAudit runs collect and resolve inside one memo', () => {
    let shared = false;
    runAudit({
      root: '/nonexistent',
      config: defaultConfig(),
      collect: () => {
        shared = readYaml(text, KUBERNETES) === readYaml(text, KUBERNETES);
        return hostSnapshot();
      },
    });
    assert.ok(shared);
  });
});
