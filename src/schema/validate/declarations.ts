/**
 * One file's declarations: checks the top level, then validates every item of every section on its own, so a
 * broken plan never hides the problems of the next one, and its identifier still counts as declared (a plan
 * referring to a feature whose declaration has a typo is not also told the feature does not exist).
 */
import type { Node } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic, Feature, Plan, Product } from '../model.js';
import { error, warning } from '../diagnostics.js';
import { CATALOG_SECTIONS, catalogFileShell, SECTION_NAMES, type SectionName } from '../format/catalog-file.js';
import { lookupNode } from '../load/node-path.js';
import { locationOfNode, type SourceFile } from '../load/source-file.js';
import { issuesToDiagnostics } from './zod-issues.js';
import { collectPolicy, type DeclaredPolicy } from './policy.js';

export const SINGULAR: Record<SectionName, string> = { products: 'product', features: 'feature', plans: 'plan' };

export interface SectionModels {
  products: Product;
  features: Feature;
  plans: Plan;
}

/** A valid item, with where it was written. */
export interface Declared<S extends SectionName = SectionName> {
  section: S;
  id: string;
  value: SectionModels[S];
  file: SourceFile;
  /** The item's mapping node (looked up when asked: see withNode). */
  readonly node: Node | undefined;
}

/** An identifier seen in a file, valid item or not. */
export interface DeclaredName {
  section: SectionName;
  id: string;
  file: SourceFile;
  /** The item's position in its section's list. */
  index: number;
  /** The item's mapping node (looked up when asked: see withNode). */
  readonly node: Node | undefined;
  valid: boolean;
}

export interface FileDeclarations {
  items: { [S in SectionName]: Declared<S>[] };
  names: DeclaredName[];
  /** Sections this file may declare more in than `names` lists: not a list, or an item without an identifier. */
  unreadable: SectionName[];
  /** The file's `policy`, when it has one (its value only when valid). */
  policy?: DeclaredPolicy;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function emptyDeclarations(): FileDeclarations {
  return { items: { products: [], features: [], plans: [] }, names: [], unreadable: [] };
}

/** The mapping node of item `index` of `section`, looked up in the file's document as it is now. */
function itemNode(file: SourceFile, section: SectionName, index: number): Node | undefined {
  const sequence = lookupNode(file, file.doc.contents ?? undefined, [section]).node;
  return lookupNode(file, sequence, [index]).node;
}

/**
 * `node` is a getter, not a node held: the file's document is let go once its declarations are collected (see
 * ParsedSourceFile), and an item's node would keep the whole item's subtree alive. Asked for later (to point at
 * a problem), it is found again, in the document parsed again.
 */
function withNode<T extends object>(fields: T, file: SourceFile, section: SectionName, index: number): T & { readonly node: Node | undefined } {
  return Object.defineProperty(fields, 'node', { get: () => itemNode(file, section, index), enumerable: true }) as T & { readonly node: Node | undefined };
}

/** The name of item `index` of `section` in `file`, its node looked up when asked. */
export function declaredName(file: SourceFile, section: SectionName, index: number, id: string, valid: boolean): DeclaredName {
  return withNode({ section, id, file, index, valid }, file, section, index);
}

function sectionItems(file: SourceFile, value: unknown, section: SectionName): Array<{ item: unknown; index: number; node: Node | undefined }> {
  if (!isPlainObject(value)) return [];
  const list = value[section];
  if (!Array.isArray(list)) return [];
  const sequence = lookupNode(file, file.doc.contents ?? undefined, [section]).node;
  return list.map((item, index) => ({ item, index, node: lookupNode(file, sequence, [index]).node }));
}

/**
 * The sections a file's text mentions at all. For a file that does not parse, these are the kinds it may declare
 * in the part that could not be read.
 */
export function sectionsMentioned(text: string): SectionName[] {
  return SECTION_NAMES.filter((section) => new RegExp(`\\b${section}\\b`).test(text));
}

/**
 * Identifiers only, from a file too broken to validate (duplicates and suggestions still use them); every section
 * its text mentions counts as unreadable, since the parser may have lost part of it.
 */
export function harvestNames(file: SourceFile, value: unknown, text: string): FileDeclarations {
  const result = emptyDeclarations();
  result.unreadable = sectionsMentioned(text);
  for (const section of SECTION_NAMES) {
    for (const { item, index } of sectionItems(file, value, section)) {
      if (isPlainObject(item) && typeof item.identifier === 'string') result.names.push(declaredName(file, section, index, item.identifier, false));
    }
  }
  return result;
}

/**
 * A plan with schema errors, without the top-level keys they are in (an unknown key, `entitlements` holding a
 * bad value, …), when the rest is a valid plan: the cross-checks still run on it, so one mistake, typically in
 * an aliased block shared by many plans, does not hide every other problem of those plans. Only whole
 * top-level keys are dropped and plan rules treat an absent key as "not managed", so nothing dropped is then
 * reported as missing. (Feature rules do report absent keys, so features and products are not recovered.)
 */
function checkablePart(schema: z.ZodType, item: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  if (!isPlainObject(item)) return undefined;
  const broken = new Set<string>();
  for (const issue of issues) {
    if (issue.path.length) broken.add(String(issue.path[0]));
    else if (issue.code === 'unrecognized_keys') issue.keys.forEach((key) => broken.add(key));
    else return undefined;
  }
  const rest = Object.fromEntries(Object.entries(item).filter(([key]) => !broken.has(key)));
  const parsed = schema.safeParse(rest);
  return parsed.success ? parsed.data : undefined;
}

/** The section a list of items belongs in, from the keys only that kind has. */
function sectionOfItems(items: unknown[]): SectionName | undefined {
  const first = items.find(isPlainObject);
  if (!first) return undefined;
  if ('featureType' in first) return 'features';
  if ('product' in first || 'entitlements' in first || 'prices' in first) return 'plans';
  if ('taxCode' in first || 'settings' in first) return 'products';
  return undefined;
}

export function collectDeclarations(file: SourceFile, value: unknown, report: (d: Diagnostic) => void): FileDeclarations {
  const result = emptyDeclarations();
  const root = file.doc.contents ?? undefined;
  if (value === null && (!root || (root as { value?: unknown }).value === null)) {
    report(warning('empty-file', 'file is empty: it declares nothing', { file: file.path, line: 1, column: 1 }));
    return result;
  }
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? 'a list' : 'a single value';
    // A list is typically one section's items without the section key: they may be declarations of any kind.
    if (Array.isArray(value)) result.unreadable = [...SECTION_NAMES];
    const section = Array.isArray(value) ? sectionOfItems(value) : undefined;
    const hint = section ? ` whose items look like ${section}: write "${section}:" on a line above them and indent them` : '';
    report(
      error('file-not-mapping', `a catalog file is a mapping with any of the keys ${SECTION_NAMES.join(', ')}; this file is ${kind}${hint}`, locationOfNode(file, root)),
    );
    return result;
  }
  const shell = catalogFileShell.safeParse(value);
  if (!shell.success) {
    for (const d of issuesToDiagnostics(shell.error.issues, { file, node: root, value, schema: catalogFileShell, noun: 'catalog file' })) report(d);
  }
  if (value.policy !== undefined) result.policy = collectPolicy(file, root, value.policy, report);
  for (const section of SECTION_NAMES) {
    const schema = CATALOG_SECTIONS[section] as z.ZodType;
    if (value[section] !== undefined && value[section] !== null && !Array.isArray(value[section])) result.unreadable.push(section);
    sectionItems(file, value, section).forEach(({ item, node }, index) => {
      const id = isPlainObject(item) && typeof item.identifier === 'string' ? item.identifier : undefined;
      if (id === undefined && !result.unreadable.includes(section)) result.unreadable.push(section);
      const parsed = schema.safeParse(item);
      if (id !== undefined) result.names.push(declaredName(file, section, index, id, parsed.success));
      if (parsed.success) {
        (result.items[section] as Declared[]).push(withNode({ section, id: id!, value: parsed.data as SectionModels[typeof section], file }, file, section, index));
        return;
      }
      const noun = id === undefined ? `${SINGULAR[section]} #${index + 1}` : `${SINGULAR[section]} "${id}"`;
      for (const d of issuesToDiagnostics(parsed.error.issues, { file, node, value: item, schema, noun })) report(d);
      const partial = section === 'plans' ? checkablePart(schema, item, parsed.error.issues) : undefined;
      if (partial !== undefined) result.items.plans.push(withNode({ section: 'plans' as const, id: id!, value: partial as Plan, file }, file, section, index));
    });
  }
  return result;
}
