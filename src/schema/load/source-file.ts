/** One parsed catalog file and the way from its YAML nodes to `file:line:column`. */
import type { Alias, Document, LineCounter, Node } from 'yaml';
import type { SourceLocation } from '../model.js';

export interface SourceFile {
  /** As shown in diagnostics. */
  path: string;
  /** The parsed document; for a released file (see ParsedSourceFile) parsed again from its text when asked. */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** What each alias in the document stands for; filled while converting, used to walk paths through aliases. */
  readonly aliasTargets: Map<Alias, Node>;
}

/**
 * What parsing a file's text again gives back: the same document (same text, same options), its aliases and its
 * line starts.
 */
export type Reparse = () => { doc: Document.Parsed; aliasTargets: Map<Alias, Node>; lineCounter: LineCounter };

/**
 * A parsed file whose document can be let go once the file's declarations are collected: a document costs some
 * twenty times its text in memory (a 0.3 MB file, 6 MB), and after loading it is only needed to point at a line
 * when a problem is reported, which is rare. Then the document is parsed again from the text, once, and kept.
 * Line starts are kept (small): positions need no document. Nodes of a released document must not be held:
 * they are looked up again from the document (see Declared.node).
 */
export class ParsedSourceFile implements SourceFile {
  private current: Document.Parsed | undefined;
  private targets = new Map<Alias, Node>();
  private reparse: Reparse | undefined;
  private lines: LineCounter | undefined;

  /** `doc` and `lineCounter` from parsing `path`'s text; both undefined for a file not parsed yet (see `unparsed`). */
  private constructor(
    readonly path: string,
    doc: Document.Parsed | undefined,
    lineCounter: LineCounter | undefined,
    reparse?: Reparse,
  ) {
    this.current = doc;
    this.lines = lineCounter;
    this.reparse = reparse;
  }

  static parsed(path: string, doc: Document.Parsed, lineCounter: LineCounter): ParsedSourceFile {
    return new ParsedSourceFile(path, doc, lineCounter);
  }

  /**
   * A file known by its text only, not parsed yet: the catalog was loaded elsewhere (in a worker thread, see
   * load-in-worker.ts) and its documents could not come along. Parsed on first use, as a released file is.
   */
  static unparsed(path: string, reparse: Reparse): ParsedSourceFile {
    return new ParsedSourceFile(path, undefined, undefined, reparse);
  }

  get doc(): Document.Parsed {
    if (!this.current) {
      const again = this.reparse!();
      this.current = again.doc;
      this.targets = again.aliasTargets;
      this.lines ??= again.lineCounter;
    }
    return this.current;
  }

  get lineCounter(): LineCounter {
    if (!this.lines) void this.doc;
    return this.lines!;
  }

  get aliasTargets(): Map<Alias, Node> {
    if (!this.current) void this.doc; // the aliases of the document in use
    return this.targets;
  }

  /** Lets the document (and its aliases) go; `reparse` brings it back if a position is asked for later. */
  release(reparse: Reparse): void {
    this.current = undefined;
    this.targets = new Map();
    this.reparse = reparse;
  }
}

export function locationAtOffset(file: SourceFile, offset: number): SourceLocation {
  const { line, col } = file.lineCounter.linePos(offset);
  return { file: file.path, line, column: col };
}

export function locationOfNode(file: SourceFile, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0];
  return offset === undefined ? { file: file.path, line: 1, column: 1 } : locationAtOffset(file, offset);
}
