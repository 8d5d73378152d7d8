// One way to read a YAML (or JSON) file, for every file this tool reads: the component configs,
// static pod manifests, our own config, web config and release table. Pure: text in, value or an
// operator-readable problem out. The options carry the real differences between the readers; the
// problems are predicates meant to follow the file's name ("/c.yaml is not valid YAML: …").
import { Composer, isNode, isScalar, Lexer, Parser, visit, type Document, type YAMLError } from './yaml-module.js';

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

export type YamlRead =
  | { ok: true; value: unknown }
  | { ok: false; problem: string; line?: number; column?: number };

/**
 * Deeper than any Kubernetes config (a static pod manifest nests about 8 levels), and far below
 * where the yaml package's recursive composer overflows the call stack (about 800 flow levels
 * from a shallow stack, fewer from a deep one).
 */
export const MAX_YAML_DEPTH = 100;

// The parser's stack holds the document and may hold the scalar being read on top of the nested
// collections, so it may exceed the nesting depth by this much.
const STACK_ABOVE_DEPTH = 2;

const MAX_SHOWN_KEY = 60;

/** `text` as one YAML document's plain value (`null` when empty), or why it is not usable. */
export function readYaml(text: string, options: ReadYamlOptions): YamlRead {
  const composed = composeAtMostTwo(text, options);
  if (composed === 'too deep') return tooDeep();
  const [document, second] = composed;
  if (document === undefined) return { ok: true, value: null }; // not reached: compose forces a document
  const [error] = document.errors;
  if (error !== undefined) return syntaxProblem(text, document, error);
  if (second !== undefined) {
    const line = positionOf(text, second.range[0]).line;
    return { ok: false, problem: `holds more than one YAML document (the second starts at line ${line})`, line };
  }
  try {
    const value: unknown = document.toJS({ maxAliasCount: options.maxAliases, ...(options.mapAsMap === true && { mapAsMap: true }) });
    return { ok: true, value: value ?? null };
  } catch (error) {
    if (isStackOverflow(error)) return tooDeep();
    // The yaml package throws a ReferenceError when expanding aliases would exceed maxAliasCount.
    if (error instanceof ReferenceError) return { ok: false, problem: `has more than ${options.maxAliases} aliases to expand (an alias bomb?)` };
    return { ok: false, problem: `cannot be read as YAML: ${firstLine(error instanceof Error ? error.message : String(error))}` };
  }
}

/**
 * Lex, parse and compose as parseDocument does, but stop as soon as the nesting passes
 * MAX_YAML_DEPTH: the parser is iterative, so a hostile `[[[[…` costs well under a millisecond here.
 * parseDocument would recurse for about 0.3 s into "Maximum call stack size exceeded", and in
 * Node 20.20 a second such document in the same process aborted it (V8 "RegExpCompiler Allocation
 * failed"), which would end the exporter. Stops after a second document.
 */
function composeAtMostTwo(text: string, options: ReadYamlOptions): Document.Parsed[] | 'too deep' {
  const lexer = new Lexer();
  const parser = new Parser();
  const composer = new Composer({
    ...(options.schema === 'yaml-1.1' ? { version: '1.1' as const } : { schema: 'core' as const }),
    uniqueKeys: options.duplicateKeys === 'refuse',
  });
  let deep = false;
  function* tokens() {
    for (const lexeme of lexer.lex(text)) {
      yield* parser.next(lexeme);
      if (parser.stack.length > MAX_YAML_DEPTH + STACK_ABOVE_DEPTH) {
        deep = true;
        return;
      }
    }
    yield* parser.end();
  }
  const documents: Document.Parsed[] = [];
  for (const document of composer.compose(tokens(), true, text.length)) {
    if (deep) break;
    documents.push(document);
    if (documents.length === 2) break;
  }
  return deep ? 'too deep' : documents;
}

function syntaxProblem(text: string, document: Document.Parsed, error: YAMLError): YamlRead {
  // The composer reports its own recursion overflowing as an error of the document.
  if (/call stack/i.test(error.message)) return tooDeep();
  const { line, column } = positionOf(text, error.pos[0]);
  if (error.code === 'DUPLICATE_KEY') {
    const key = keyAt(document, error.pos[0]);
    return { ok: false, problem: `has a duplicate key${key === undefined ? '' : ` ${key}`} at line ${line}`, line, column };
  }
  return { ok: false, problem: `is not valid YAML: ${firstLine(error.message)} at line ${line}, column ${column}`, line, column };
}

/** The key that starts at `offset`, quoted and shortened for a message. */
function keyAt(document: Document.Parsed, offset: number): string | undefined {
  let shown: string | undefined;
  visit(document, {
    Pair(_, pair) {
      if (!isNode(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const text = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      shown = JSON.stringify(text.length > MAX_SHOWN_KEY ? `${text.slice(0, MAX_SHOWN_KEY)}…` : text);
      return visit.BREAK;
    },
  });
  return shown;
}

function tooDeep(): YamlRead {
  return { ok: false, problem: `is nested too deeply (more than ${MAX_YAML_DEPTH} levels)` };
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
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
