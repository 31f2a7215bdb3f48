/**
 * The first pass over a file's YAML text: the yaml library's lexer alone, which builds no tree and costs a small
 * fraction of parsing. It serves two purposes.
 *
 * Bounding the work before any tree is built. The parser's cost (time and memory) grows with the number of
 * tokens, not bytes, and flow style packs many more tokens into a byte: a 4.8 MB flow list of `{a: 1}` holds
 * 600,000 mappings, which took a minute and 1.8 GB to parse, where realistic files of that size hold a fraction.
 * A file over `maxNodes` tokens, or with a flow collection of more than `maxFlowItems` entries, is refused here,
 * at the place that shows why, after lexing only the part up to it.
 *
 * Flow brackets nested deeper than `maxDepth` are refused here too, before the parser recurses into them.
 *
 * Remembering where brackets and quotes open, so a `[`, `{` or `"` that is never closed is reported where it was
 * opened: the parser only notices at the end of the file or at the next line that does not fit.
 */
import { CST, Lexer } from 'yaml';
import type { LoadLimits } from './limits.js';

export interface LexRefusal {
  code: 'yaml-node-limit' | 'yaml-flow-collection-limit' | 'yaml-nesting-depth' | 'catalog-too-large';
  message: string;
  /** Where the refusal points: the first token over the budget, or the bracket of the collection. */
  offset: number;
}

export interface LexedYaml {
  /** The lexer's output, handed to the parser as is (so the text is lexed once). Empty when refused. */
  lexemes: string[];
  refusal?: LexRefusal;
  /** Offset of the outermost `[`/`{` still open when the lexer gave up on it (at a line indented too little, or the end). */
  unclosedFlow?: number;
  /** Offset of the first quoted string without its closing quote. */
  unclosedQuote?: number;
}

/** What is left of the catalog-wide token budget (`maxTotalNodes`), charged file by file. */
export interface TokenBudget {
  remainingTokens: number;
}

/** Tokens that carry no content: they cost the parser little and are not counted. */
const NOT_COUNTED = new Set(['space', 'newline', 'comment', 'doc-mode', 'flow-error-end', 'byte-order-mark']);
/** Tokens the lexer emits without consuming text. */
const ZERO_WIDTH = new Set<string>([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

const thousands = (n: number) => n.toLocaleString('en-US');

export function lexYaml(text: string, limits: LoadLimits, budget: TokenBudget = { remainingTokens: Number.POSITIVE_INFINITY }): LexedYaml {
  const lexemes: string[] = [];
  const result: LexedYaml = { lexemes };
  // Open flow collections: where each starts and how many entries (commas) it has so far.
  const open: Array<{ offset: number; commas: number; bracket: string }> = [];
  let offset = 0;
  let counted = 0;
  let scalarBody = false; // the lexeme after CST.SCALAR is the scalar's text, already counted

  for (const lexeme of new Lexer().lex(text)) {
    lexemes.push(lexeme);
    const start = offset;
    if (!ZERO_WIDTH.has(lexeme)) offset += lexeme.length;
    if (scalarBody) {
      scalarBody = false;
      continue;
    }
    const type = CST.tokenType(lexeme);
    if (lexeme === CST.SCALAR) scalarBody = true;
    if (lexeme === CST.FLOW_END) {
      // The lexer closes every open level at once when a line is indented too little for them.
      if (open.length && result.unclosedFlow === undefined) result.unclosedFlow = open[0]!.offset;
      open.length = 0;
    }
    if (type === null || NOT_COUNTED.has(type)) continue;

    if (++counted > limits.maxNodes) {
      return refuse(
        'yaml-node-limit',
        `this file holds more than ${thousands(limits.maxNodes)} YAML tokens (keys, values, brackets, commas); split it into several files`,
        start,
      );
    }
    if (counted > budget.remainingTokens) {
      budget.remainingTokens = 0;
      return refuse(
        'catalog-too-large',
        `the catalog holds more than ${thousands(limits.maxTotalNodes)} YAML tokens in all; this file and the rest were not read`,
        start,
      );
    }
    switch (type) {
      case 'flow-seq-start':
      case 'flow-map-start':
        open.push({ offset: start, commas: 0, bracket: lexeme });
        // Brackets alone already exceed the depth limit: no need to parse 100,000 of them to say so.
        if (open.length > limits.maxDepth) return refuse('yaml-nesting-depth', `nesting deeper than ${limits.maxDepth} levels of brackets`, start);
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        open.pop();
        break;
      case 'comma': {
        const collection = open[open.length - 1];
        if (collection && ++collection.commas >= limits.maxFlowItems) {
          const kind = collection.bracket === '[' ? 'flow list [ … ]' : 'flow mapping { … }';
          return refuse(
            'yaml-flow-collection-limit',
            `${kind} with more than ${thousands(limits.maxFlowItems)} entries; write long lists in block style (one "- item" per line), or split the data`,
            collection.offset,
          );
        }
        break;
      }
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        // The same test the yaml library applies, here with the position of the opening quote.
        if ((lexeme.length === 1 || lexeme[lexeme.length - 1] !== lexeme[0]) && result.unclosedQuote === undefined) result.unclosedQuote = start;
        break;
    }
  }
  if (open.length && result.unclosedFlow === undefined) result.unclosedFlow = open[0]!.offset;
  budget.remainingTokens -= counted;
  return result;

  function refuse(code: LexRefusal['code'], message: string, at: number): LexedYaml {
    return { lexemes: [], refusal: { code, message, offset: at } };
  }
}
