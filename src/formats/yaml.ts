// One way to read a YAML (or JSON) file, for every file this tool reads: the component configs,
// static pod manifests, our own config, web config and release table. Pure: text in, value or an
// operator-readable problem out. The options carry the real differences between the readers; the
// problems are predicates meant to follow the file's name ("/c.yaml is not valid YAML: …").
import { AsyncLocalStorage } from 'node:async_hooks';
import { Composer, isScalar, Lexer, Parser, visit, type Document, type YAMLError } from './yaml-module.js';

export interface ReadYamlOptions {
  /**
   * `yaml-1.1` for files Kubernetes or etcd read (go-yaml v2 semantics: `no` is false, `0644` is
   * octal, 2001-12-14 is a timestamp); `core` (YAML 1.2 core schema) for our own formats, where an
   * unquoted 2026-10-27 stays a string.
   */
  schema: 'yaml-1.1' | 'core';
  /**
   * `refuse`: a repeated key makes the document unusable (strict Kubernetes decoding).
   * `last-wins`: the last value of a repeated key is kept, as Go's encoding/json does (etcd).
   */
  duplicateKeys: 'refuse' | 'last-wins';
  /** How many aliases may be expanded before the document counts as an alias bomb. */
  maxAliases: number;
  /** Mappings become Maps (insertion order, non-string keys kept), e.g. for case-insensitive lookup. */
  mapAsMap?: boolean;
}

export type YamlRead = { ok: true; value: unknown } | { ok: false; problem: string; line?: number; column?: number };

/**
 * Deeper than any Kubernetes config (a static pod manifest nests about 8 levels), and far below
 * where the yaml package's recursive composer overflows the call stack (about 800 flow levels
 * from a shallow stack, fewer from a deep one).
 */
export const MAX_YAML_DEPTH = 100;

// The parser's stack holds the document and may hold the scalar being read on top of the nested
// collections, so it may exceed the nesting depth by this much.
const STACK_ABOVE_DEPTH = 2;

/**
 * The most lexical tokens (scalars, indicators, spaces, line breaks: about seven per `key: value`
 * line) a document may have. A kubelet config or static pod manifest has a few thousand; the read
 * cap (4 MiB) allows about two million, and the yaml package spends several hundred bytes and
 * microseconds on each (a 1 MB flow list took 32 s and 1.1 GiB, a 4 MiB block list 839 MiB). This
 * bound keeps any file within the caps to a fraction of a second and tens of MiB
 * (bench/hostile-parse.ts).
 */
export const MAX_YAML_TOKENS = 50_000;

/**
 * The most lines a document may have: block scalars, folded plain scalars and comments cost per
 * line, not per token (a 4 MiB literal block scalar of one-word lines took 195 MiB).
 */
export const MAX_YAML_LINES = 50_000;

const MAX_SHOWN_KEY = 60;

/**
 * Within `run`, each YAML text is parsed once per set of options: collect asks for a kubelet's
 * referenced files once per round and resolve reads its config again, so without this one audit
 * parsed the same 4 MiB file three times or more. The store lives as long as the audit (it follows
 * `await`s), so the daemon keeps nothing between audits.
 */
export function withYamlMemo<T>(run: () => T): T {
  return memo.getStore() === undefined ? memo.run(new Map(), run) : run();
}
const memo = new AsyncLocalStorage<Map<string, Map<string, YamlRead>>>();

/** `text` as one YAML document's plain value (`null` when empty), or why it is not usable. */
export function readYaml(text: string, options: ReadYamlOptions): YamlRead {
  const store = memo.getStore();
  if (store === undefined) return parseYaml(text, options);
  const optionsKey = `${options.schema} ${options.duplicateKeys} ${options.maxAliases} ${options.mapAsMap === true}`;
  let reads = store.get(optionsKey);
  if (reads === undefined) store.set(optionsKey, (reads = new Map<string, YamlRead>()));
  let read = reads.get(text);
  if (read === undefined) {
    // Frozen, because every reader of this text in the audit now shares the one value.
    read = deepFreeze(parseYaml(text, options));
    reads.set(text, read);
  }
  return read;
}

function parseYaml(text: string, options: ReadYamlOptions): YamlRead {
  if (lineCountAbove(text, MAX_YAML_LINES))
    return { ok: false, problem: `is too large to read as YAML (more than ${MAX_YAML_LINES} lines)` };
  const composed = composeAtMostTwo(text, options);
  if (composed === 'too deep') return tooDeep();
  if (composed === 'too large')
    return { ok: false, problem: `is too large to read as YAML (more than ${MAX_YAML_TOKENS} tokens)` };
  const [document, second] = composed;
  if (document === undefined) return { ok: true, value: null }; // not reached: compose forces a document
  const [error] = document.errors;
  if (error !== undefined) return syntaxProblem(text, error);
  if (second !== undefined) {
    const line = positionOf(text, second.range[0]).line;
    return { ok: false, problem: `holds more than one YAML document (the second starts at line ${line})`, line };
  }
  if (options.duplicateKeys === 'refuse') {
    const duplicate = firstDuplicateKey(document);
    if (duplicate !== undefined) {
      const { line, column } = positionOf(text, duplicate.offset);
      return { ok: false, problem: `has a duplicate key ${duplicate.shown} at line ${line}`, line, column };
    }
  }
  try {
    const value: unknown = document.toJS({
      maxAliasCount: options.maxAliases,
      ...(options.mapAsMap === true && { mapAsMap: true }),
    });
    return { ok: true, value: value ?? null };
  } catch (error) {
    if (isStackOverflow(error)) return tooDeep();
    // The yaml package throws a ReferenceError when expanding aliases would exceed maxAliasCount.
    if (error instanceof ReferenceError)
      return { ok: false, problem: `has more than ${options.maxAliases} aliases to expand (an alias bomb?)` };
    return {
      ok: false,
      problem: `cannot be read as YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`,
    };
  }
}

/**
 * Lex, parse and compose as parseDocument does, but stop as soon as the nesting passes
 * MAX_YAML_DEPTH: the parser is iterative, so a hostile `[[[[…` costs well under a millisecond here.
 * parseDocument would recurse for about 0.3 s into "Maximum call stack size exceeded", and in
 * Node 20.20 a second such document in the same process aborted it (V8 "RegExpCompiler Allocation
 * failed"), which would end the exporter. Stops after a second document.
 */
function composeAtMostTwo(text: string, options: ReadYamlOptions): Document.Parsed[] | 'too deep' | 'too large' {
  const lexer = new Lexer();
  const parser = new Parser();
  const composer = new Composer({
    ...(options.schema === 'yaml-1.1' ? { version: '1.1' as const } : { schema: 'core' as const }),
    // The package compares each new key with every earlier key of its mapping, quadratic in the
    // keys (40,000 keys took 9 s); firstDuplicateKey does the same check with a Set.
    uniqueKeys: false,
  });
  let stopped: 'too deep' | 'too large' | undefined;
  let count = 0;
  function* tokens() {
    for (const lexeme of lexer.lex(text)) {
      count += 1;
      if (count > MAX_YAML_TOKENS) {
        stopped = 'too large';
        return;
      }
      yield* parser.next(lexeme);
      if (parser.stack.length > MAX_YAML_DEPTH + STACK_ABOVE_DEPTH) {
        stopped = 'too deep';
        return;
      }
    }
    yield* parser.end();
  }
  const documents: Document.Parsed[] = [];
  for (const document of composer.compose(tokens(), true, text.length)) {
    if (stopped !== undefined) break;
    documents.push(document);
    if (documents.length === 2) break;
  }
  return stopped ?? documents;
}

/**
 * The first key that repeats an earlier key of its mapping, in document order, as the yaml
 * package's uniqueKeys check finds it (scalar keys with the same value), in linear time.
 */
function firstDuplicateKey(document: Document.Parsed): { offset: number; shown: string } | undefined {
  let found: { offset: number; shown: string } | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          const text = String(pair.key.value);
          found = {
            offset: pair.key.range?.[0] ?? 0,
            shown: JSON.stringify(text.length > MAX_SHOWN_KEY ? `${text.slice(0, MAX_SHOWN_KEY)}…` : text),
          };
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return found;
}

function syntaxProblem(text: string, error: YAMLError): YamlRead {
  // The composer reports its own recursion overflowing as an error of the document.
  if (/call stack/i.test(error.message)) return tooDeep();
  const { line, column } = positionOf(text, error.pos[0]);
  return {
    ok: false,
    problem: `is not valid YAML: ${firstLine(error.message)} at line ${line}, column ${column}`,
    line,
    column,
  };
}

/** Freezes a parsed value and everything in it (Maps and Sets stay mutable; nothing writes them). */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    // A typed array (`!!binary`) cannot be frozen; no reader writes one.
    if (typeof next !== 'object' || next === null || ArrayBuffer.isView(next) || Object.isFrozen(next)) continue;
    Object.freeze(next);
    if (next instanceof Map) for (const [k, v] of next) pending.push(k, v);
    else if (next instanceof Set) for (const v of next) pending.push(v);
    else for (const v of Object.values(next)) pending.push(v);
  }
  return value;
}

function tooDeep(): YamlRead {
  return { ok: false, problem: `is nested too deeply (more than ${MAX_YAML_DEPTH} levels)` };
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function lineCountAbove(text: string, max: number): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines += 1;
    if (lines > max) return true;
  }
  return false;
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
