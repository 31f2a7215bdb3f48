/** One parsed catalog file and the way from its YAML nodes to `file:line:column`. */
import type { Alias, Document, LineCounter, Node } from 'yaml';
import type { SourceLocation } from '../model.js';

export interface SourceFile {
  /** As shown in diagnostics. */
  path: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** What each alias in the document stands for; filled while converting, used to walk paths through aliases. */
  aliasTargets: Map<Alias, Node>;
}

export function locationAtOffset(file: SourceFile, offset: number): SourceLocation {
  const { line, col } = file.lineCounter.linePos(offset);
  return { file: file.path, line, column: col };
}

export function locationOfNode(file: SourceFile, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0];
  return offset === undefined ? { file: file.path, line: 1, column: 1 } : locationAtOffset(file, offset);
}
