/**
 * YAML text → document, safely: the YAML 1.2 core schema only (no custom or language-specific tags, no
 * `!!binary`/`!!timestamp`/`!!set`…, no merge keys), string keys, one document per file (unique keys are checked
 * while converting, see to-value.ts). What the yaml library reports as an error or a tag warning becomes an
 * error diagnostic at its position.
 *
 * The text is lexed first (lex-yaml.ts), which refuses a file too big to parse in reasonable time and memory;
 * the parser then runs on those tokens. A file it cannot parse at all has no `file` in the result.
 *
 * Syntax errors teach one thing at a time: after the first, the parser's guesses about the rest of the file
 * are unreliable and its further "errors" are echoes of the first (an unclosed `[` produced five), so only the
 * first is reported, and an unclosed bracket or quote is reported where it was opened.
 */
import { Composer, LineCounter, Parser, YAMLParseError } from 'yaml';
import type { CST, Document, DocumentOptions, ParseOptions, SchemaOptions, YAMLError } from 'yaml';
import type { Diagnostic } from '../model.js';
import { error, warning } from '../diagnostics.js';
import { lexYaml, type LexedYaml, type TokenBudget } from './lex-yaml.js';
import { DEFAULT_LIMITS, type LoadLimits } from './limits.js';
import { syntaxHint, type SyntaxHint } from './syntax-hints.js';
import { locationAtOffset, ParsedSourceFile } from './source-file.js';

const YAML_ERROR_CODES: Record<string, string> = {
  MULTIPLE_DOCS: 'yaml-multiple-documents',
  RESOURCE_EXHAUSTION: 'yaml-nesting-depth',
  NON_STRING_KEY: 'yaml-non-string-key',
  TAG_RESOLVE_FAILED: 'yaml-tag',
};

function messageOf(problem: YAMLError): string {
  switch (problem.code) {
    case 'MULTIPLE_DOCS':
      return 'a catalog file holds one YAML document; split documents separated by "---" into several files';
    case 'RESOURCE_EXHAUSTION':
      return 'nesting too deep to parse';
    case 'NON_STRING_KEY':
      return 'mapping keys must be plain strings (not lists, mappings or aliases)';
    case 'TAG_RESOLVE_FAILED':
      return `${problem.message.replace(/^Unresolved tag: /, 'unsupported tag ')}; catalog files allow no custom tags`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'YAML syntax: a value contains ": " (or a mapping is nested on one line); put quotes around a value that contains ": "';
    default:
      return `YAML syntax: ${problem.message.charAt(0).toLowerCase()}${problem.message.slice(1)}`;
  }
}

export interface ParsedYaml {
  /** Undefined when the file could not be parsed at all (over a limit): nothing in it can be read. */
  file?: ParsedSourceFile;
  diagnostics: Diagnostic[];
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'core',
  version: '1.2',
  merge: false,
  resolveKnownTags: false,
  customTags: [],
  // Duplicate keys are found in documentToValue: the library's check is quadratic in the size of a mapping.
  uniqueKeys: false,
  stringKeys: true,
  strict: true,
  prettyErrors: false,
  // Not 'silent': the yaml library then also drops the error for a second document in the file.
  logLevel: 'error',
};

/** What `parseDocument` does, on tokens already lexed; undefined `doc` when the parser overflows the stack. */
function compose(lexed: LexedYaml, text: string, lineCounter: LineCounter): { doc?: Document.Parsed; overflowAt?: number } {
  const parser = new Parser(lineCounter.addNewLine);
  const tokens: CST.Token[] = [];
  try {
    lineCounter.addNewLine(0);
    for (const lexeme of lexed.lexemes) for (const token of parser.next(lexeme)) tokens.push(token);
    for (const token of parser.end()) tokens.push(token);
    let doc: Document.Parsed | undefined;
    for (const next of new Composer(PARSE_OPTIONS).compose(tokens, true, text.length)) {
      if (!doc) {
        doc = next;
      } else {
        // A second document: reported once, as parseDocument does, where it starts.
        doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    }
    return { doc };
  } catch (cause) {
    // The parser recurses per nesting level it believes in; some malformed flow/block mixes (a block list inside
    // `[ … ]`) make it recurse per line and overflow the stack on a file of a few thousand lines.
    if (cause instanceof RangeError && /call stack/i.test(cause.message)) return { overflowAt: parser.offset };
    throw cause;
  }
}

/** The one syntax error to report: the first, or the unclosed bracket or quote that caused it. */
function firstSyntaxError(syntax: YAMLError[], lexed: LexedYaml, text: string): SyntaxHint | undefined {
  const first = syntax.reduce<YAMLError | undefined>((best, problem) => (!best || problem.pos[0] < best.pos[0] ? problem : best), undefined);
  if (!first) return undefined;
  // An unclosed bracket or quote opened before the first error explains it: the parser reads past the opening.
  const quote = lexed.unclosedQuote;
  if (quote !== undefined && quote <= first.pos[0]) {
    return { offset: quote, message: 'YAML syntax: this quoted string is never closed: add the closing quote (a quote inside it is written \\" or \'\')' };
  }
  const bracket = lexed.unclosedFlow;
  if (bracket !== undefined && bracket <= first.pos[0]) {
    return { offset: bracket, message: 'YAML syntax: this bracket is never closed: add the matching "]" or "}" where the list or mapping ends' };
  }
  return syntaxHint(text, first) ?? { offset: first.pos[0], message: messageOf(first) };
}

export function parseYaml(path: string, text: string, limits: LoadLimits = DEFAULT_LIMITS, budget?: TokenBudget): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const lexed = lexYaml(text, limits, budget);
  if (lexed.refusal) {
    // Positions need the line starts the parser would have recorded: count them here, once.
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    return { diagnostics: [error(lexed.refusal.code, lexed.refusal.message, at(lexed.refusal.offset))] };
  }
  const { doc, overflowAt } = compose(lexed, text, lineCounter);
  if (!doc) {
    const message = 'nesting too deep to parse (is a block list or mapping written inside [ … ] or { … }?)';
    return { diagnostics: [error('yaml-nesting-depth', message, at(overflowAt ?? 0))] };
  }

  const file = ParsedSourceFile.parsed(path, doc, lineCounter);
  const diagnostics: Diagnostic[] = [];
  const syntax: YAMLError[] = [];
  for (const problem of doc.errors) {
    const code = YAML_ERROR_CODES[problem.code];
    if (code) diagnostics.push(error(code, messageOf(problem), locationAtOffset(file, problem.pos[0])));
    else syntax.push(problem);
  }
  const first = firstSyntaxError(syntax, lexed, text);
  if (first) diagnostics.push(error('yaml-syntax', first.message, locationAtOffset(file, first.offset)));
  for (const problem of doc.warnings) {
    const code = YAML_ERROR_CODES[problem.code];
    const where = locationAtOffset(file, problem.pos[0]);
    diagnostics.push(code ? error(code, messageOf(problem), where) : warning('yaml-warning', problem.message, where));
  }
  return { file, diagnostics };
}
