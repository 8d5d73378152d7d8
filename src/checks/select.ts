// Check selection, as kube-bench users know it (`--check 1.1.1,1.1.2`, `--skip 1.2`), plus level
// and component filters. A check that is not selected is not evaluated and not reported: a report
// must never show a verdict for what was not judged. The report's `selection` lists those ids.
import { LEVELS, type CheckComponent, type CheckDefinition, type Level } from './types.js';

export const SELECTABLE_COMPONENTS = [
  'kube-apiserver',
  'etcd',
  'kubelet',
  'node',
] as const satisfies readonly CheckComponent[];
/** Levels as flags and the config file spell them (`--fail-on` is lower-case too). */
export const SELECTABLE_LEVELS = LEVELS.map((l) => l.toLowerCase()) as Lowercase<Level>[];

export interface Selection {
  /** Only these ids; null: every check. */
  checks: string[] | null;
  /** Never these ids (applied after `checks`). */
  skip: string[];
  /** Only checks of these levels; null: every level. */
  levels: Lowercase<Level>[] | null;
  /** Only checks of these components; null: every component. */
  components: CheckComponent[] | null;
}

export const SELECT_ALL: Selection = { checks: null, skip: [], levels: null, components: null };

export function isSelectAll(selection: Selection): boolean {
  return (
    selection.checks === null &&
    selection.skip.length === 0 &&
    selection.levels === null &&
    selection.components === null
  );
}

/** The checks `selection` keeps, in registry order. */
export function selectChecks<C extends Pick<CheckDefinition, 'id' | 'level' | 'component'>>(
  checks: readonly C[],
  selection: Selection,
): C[] {
  return checks.filter(
    (c) =>
      (selection.checks === null || selection.checks.includes(c.id)) &&
      !selection.skip.includes(c.id) &&
      (selection.levels === null || selection.levels.includes(c.level.toLowerCase() as Lowercase<Level>)) &&
      (selection.components === null || selection.components.includes(c.component)),
  );
}
