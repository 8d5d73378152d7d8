// kube-apiserver's command line: its flag table, and how a flag reads as evidence (pflag grammar,
// kubernetes/kubernetes:cmd/kube-apiserver/app/options).
import type { ProcessInfo } from '../../collect/types.js';
import type { Evidence } from '../evidence.js';
import { booleansOf, lastOccurrence, parseFlags, stringFlag, type FlagOccurrence, type ParsedFlags } from '../flags.js';
import { KUBE_APISERVER_FLAGS } from '../flag-tables/kube-apiserver.js';

/**
 * Boolean flags of kube-apiserver (pflag NoOptDefVal): they never take the next argument as
 * their value, so `--profiling --authorization-mode Node,RBAC` is two flags. Derived from the
 * complete table in flag-tables/kube-apiserver.ts.
 */
export const APISERVER_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(booleansOf(KUBE_APISERVER_FLAGS));

export function flagsOf(proc: ProcessInfo): ParsedFlags {
  return parseFlags(proc.args, 'pflag', KUBE_APISERVER_FLAGS);
}

// An array, not a rest parameter: a process may repeat a flag 100,000 times, and spreading that
// many arguments into a call overflows the stack.
export function flagEvidence(occurrences: FlagOccurrence | readonly FlagOccurrence[]): Evidence {
  const list = Array.isArray(occurrences)
    ? (occurrences as readonly FlagOccurrence[])
    : [occurrences as FlagOccurrence];
  return { source: 'flag', detail: list.map((o) => o.written).join(' ') };
}

/** A string flag's value when set and non-empty (Go treats `--flag=` as unset for paths). */
export function setValue(flags: ParsedFlags, name: string): FlagOccurrence | undefined {
  const o = stringFlag(flags, name);
  return o && o.value !== '' ? o : undefined;
}

/** The last occurrence among a flag and its deprecated alias. */
export function latest(flags: ParsedFlags, names: string[]): FlagOccurrence | undefined {
  return names
    .map((n) => lastOccurrence(flags, n))
    .filter((o): o is FlagOccurrence => o !== undefined)
    .sort((a, b) => b.index - a.index)[0];
}
