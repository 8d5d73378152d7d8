// The stages import one way only (DESIGN §2): formats → collect → resolve → checks → report →
// server → the program (src/*.ts). A module may import from its own stage or an earlier one; an
// arrow back up fails here, naming the file and the import. A back-arrow that must exist is
// listed below with its reason (none today): the list may only shrink (a listed arrow that is gone
// fails too, so the list stays true). Kubernetes keeps the same kind of rule in `.import-restrictions`
// files (kubernetes/kubernetes:staging/publishing/import-restrictions.yaml).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths.js';

const SRC = path.join(repoRoot, 'src');

/** Stages in flow order; `log.ts` is a leaf every stage may use, the other root files are the program. */
const STAGES = ['formats', 'collect', 'resolve', 'checks', 'report', 'server', 'program'] as const;
type Stage = (typeof STAGES)[number];

/** Allowed back-arrows, `from-file -> imported-file` relative to src/, each with why it must exist. */
const KNOWN_BACK_ARROWS: Record<string, string> = {};

function stageOf(relative: string): Stage | 'leaf' {
  if (relative === 'log.ts') return 'leaf';
  const top = relative.split('/')[0]!;
  return (STAGES as readonly string[]).includes(top) ? (top as Stage) : 'program';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import of a file (static, `export … from`, type-only and dynamic), as src/ paths. */
export function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
  return specifiers.map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

function backArrows(): string[] {
  const arrows: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = path.relative(SRC, file);
    const fromStage = stageOf(from);
    for (const to of importsOf(file, readFileSync(file, 'utf8'))) {
      const toStage = stageOf(to);
      if (toStage === 'leaf' || fromStage === 'leaf') {
        if (fromStage === 'leaf' && toStage !== 'leaf') arrows.push(`${from} -> ${to}`);
        continue;
      }
      if (STAGES.indexOf(toStage) > STAGES.indexOf(fromStage)) arrows.push(`${from} -> ${to}`);
    }
  }
  return arrows.sort();
}

describe('imports run one way: formats → collect → resolve → checks → report → server → program', () => {
  const found = backArrows();

  it('no import runs back up a stage, but for the listed ones', () => {
    const unexpected = found.filter((arrow) => !Object.hasOwn(KNOWN_BACK_ARROWS, arrow));
    assert.deepEqual(unexpected, [], `imports against the flow:\n${unexpected.join('\n')}`);
  });

  it('every listed back-arrow still exists (the list only shrinks)', () => {
    const gone = Object.keys(KNOWN_BACK_ARROWS).filter((arrow) => !found.includes(arrow));
    assert.deepEqual(gone, [], `remove from KNOWN_BACK_ARROWS:\n${gone.join('\n')}`);
  });

  it('sees multi-line, type-only, re-export and dynamic imports', () => {
    const file = path.join(SRC, 'collect', 'x.ts');
    const text =
      "import {\n  a,\n} from '../resolve/a.js';\nimport type { B } from './b.js';\nexport { c } from '../checks/c.js';\nconst d = await import('../report/d.js');\n";
    assert.deepEqual(importsOf(file, text), ['resolve/a.ts', 'collect/b.ts', 'checks/c.ts', 'report/d.ts']);
  });
});
