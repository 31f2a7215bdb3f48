/**
 * The canonical model → catalog files, as a person would write them:
 *
 *   features.yaml              every feature
 *   products/<product>.yaml    one product and its plans
 *
 * Keys in the canonical order (layout.ts), items sorted by identifier, entitlements as a map keyed by feature
 * identifier using the shorthands (`sso: true`, `seats: 5`, `api-calls: unlimited`) whenever one expands to
 * exactly the same details, the plan fee written without `feature`, small leaf objects on one line
 * (`priceData: { amount: 49 }`), strings quoted only where YAML needs it, and the `$schema` modeline on top.
 *
 * Loading the files with `loadCatalog` gives back the same catalog (items grouped by file, each kind keyed by
 * identifier). Lists whose order the format keeps (prices, charges, tiers, links) are written in the order given.
 */
import { join, posix } from 'node:path';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Catalog, EntitlementDetails, Plan } from '../model.js';
import { UNLIMITED } from '../format/entitlement.js';
import { IDENTIFIER_PATTERN } from '../format/common.js';
import {
  CATALOG_FILE_LAYOUT,
  CHARGE_CATALOG_PRICE_LAYOUT,
  CHARGE_LAYOUT,
  ENTITLEMENT_LAYOUT,
  FEATURE_LAYOUT,
  LICENSE_LAYOUT,
  PLAN_LAYOUT,
  PRICE_LAYOUT,
  PRODUCT_LAYOUT,
  PRODUCT_SETTINGS_LAYOUT,
  type Layout,
} from './layout.js';
import { schemaModeline, YAML_DOCUMENT_OPTIONS, YAML_OUTPUT_OPTIONS } from './yaml-output.js';

export interface CatalogFileText {
  /** Relative to the catalog folder, with forward slashes: `features.yaml`, `products/acme.yaml`. */
  path: string;
  text: string;
}

export interface CatalogToYamlOptions {
  /**
   * The folder the files will be written to (absolute or relative to the working directory), so the modeline
   * can point at the schema relative to each file.
   */
  directory: string;
  /** The JSON Schema the modeline points at. Default: kelviq-catalog's, as `schemaReference` finds it. */
  schemaPath?: string;
}

export const FEATURES_FILE = 'features.yaml';
/** Where a catalog's policy lives when it has a file of its own (init writes it there, pull --force keeps it there). */
export const POLICY_FILE = 'policy.yaml';
export const productFile = (product: string) => posix.join('products', `${product}.yaml`);

/** Objects always written as indented blocks: the things a reader scans for, and anything with many keys. */
const BLOCK_LAYOUTS = new Set<Layout>([
  CATALOG_FILE_LAYOUT,
  PRODUCT_LAYOUT,
  PRODUCT_SETTINGS_LAYOUT,
  FEATURE_LAYOUT,
  PLAN_LAYOUT,
  LICENSE_LAYOUT,
  PRICE_LAYOUT,
  CHARGE_CATALOG_PRICE_LAYOUT,
  CHARGE_LAYOUT,
]);
for (const key of ['featureDetails', 'meter'] as const) {
  const layout = FEATURE_LAYOUT.kind === 'object' ? FEATURE_LAYOUT.fields[key] : undefined;
  if (layout) BLOCK_LAYOUTS.add(layout);
}

/** A one-line `{ … }` or `[ … ]` is used only while the whole line stays within this many columns. */
const FLOW_LINE_LIMIT = 100;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function catalogToFiles(catalog: Catalog, options: CatalogToYamlOptions): CatalogFileText[] {
  for (const item of [...catalog.products, ...catalog.features, ...catalog.plans]) assertSlug(item.identifier, 'identifier');
  for (const plan of catalog.plans) assertSlug(plan.product, `product of plan ${plan.identifier}`);

  const files: CatalogFileText[] = [];
  const features = [...catalog.features].sort((a, b) => byText(a.identifier, b.identifier));
  if (features.length) {
    const header = [' Features, shared by the plans of every product. Kelviq cannot edit a feature once it exists (only archive it).'];
    files.push(render(FEATURES_FILE, { features }, header, options));
  }

  const plansByProduct = new Map<string, Plan[]>();
  for (const plan of catalog.plans) plansByProduct.set(plan.product, [...(plansByProduct.get(plan.product) ?? []), plan]);
  const productIds = [...new Set([...catalog.products.map((p) => p.identifier), ...plansByProduct.keys()])].sort(byText);
  for (const id of productIds) {
    const products = catalog.products.filter((p) => p.identifier === id);
    const plans = (plansByProduct.get(id) ?? []).sort((a, b) => byText(a.identifier, b.identifier));
    const header = [
      ` Product ${id} and its plans. A plan's \`entitlements\` and \`prices\`, when present, are its complete set.`,
    ];
    const content: Record<string, unknown> = {};
    if (products.length) content.products = products;
    if (plans.length) content.plans = plans;
    files.push(render(productFile(id), content, header, options));
  }
  return files;
}

function assertSlug(value: string, what: string): void {
  if (!IDENTIFIER_PATTERN.test(value)) throw new Error(`cannot write ${what} "${value}": not an identifier`);
}

function render(path: string, content: Record<string, unknown>, header: string[], options: CatalogToYamlOptions): CatalogFileText {
  const value = toYamlValue(content, CATALOG_FILE_LAYOUT);
  const doc = new Document(value, YAML_DOCUMENT_OPTIONS);
  const root = doc.contents as YAMLMap;
  styleCollection(root, CATALOG_FILE_LAYOUT, 0);
  // Sections and their items are separated by a blank line, as in examples/catalog.
  root.items.forEach((pair, index) => {
    if (index > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
    if (isSeq(pair.value)) pair.value.items.forEach((item, position) => position > 0 && ((item as Node).spaceBefore = true));
  });
  // A key named "<<" printed plain would read back as a YAML merge key, which the loader refuses.
  visit(doc, { Pair: (_, pair) => void (isScalar(pair.key) && pair.key.value === '<<' && (pair.key.type = 'QUOTE_DOUBLE')) });
  const first = root.items[0];
  if (first && isScalar(first.key)) {
    // A line holding only a space prints as a bare `#`.
    first.key.commentBefore = [schemaModeline(join(options.directory, path), options.schemaPath), ' ', ...header].join('\n');
  }
  return { path, text: doc.toString(YAML_OUTPUT_OPTIONS) };
}

// ---------------------------------------------------------------------------------------------------------------
// Model → plain value in canonical key order, with the format's shorthands.

function toYamlValue(value: unknown, layout: Layout): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toYamlValue(item, layout.kind === 'list' ? layout.item : { kind: 'free' }));
  const object = value as Record<string, unknown>;
  if (layout.kind === 'map') {
    const entries: Array<[string, unknown]> = [];
    for (const key of Object.keys(object).sort(byText)) {
      const item = object[key];
      if (item === undefined) continue;
      const shorthand = layout.value === ENTITLEMENT_LAYOUT ? entitlementShorthand(item as EntitlementDetails) : undefined;
      entries.push([key, shorthand ?? toYamlValue(item, layout.value)]);
    }
    return Object.fromEntries(entries);
  }
  if (layout.kind !== 'object') return copyFree(object);
  const entries: Array<[string, unknown]> = [];
  const keys = [...layout.keys.filter((key) => Object.hasOwn(object, key)), ...Object.keys(object).filter((key) => !layout.keys.includes(key))];
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    // The plan fee: a charge-catalog price without a feature.
    if (layout === CHARGE_CATALOG_PRICE_LAYOUT && key === 'feature' && item === null) continue;
    entries.push([key, toYamlValue(item, layout.fields[key] ?? { kind: 'free' })]);
  }
  // fromEntries defines own properties: a metadata key "__proto__" stays a key.
  return Object.fromEntries(entries);
}

/** Free-form values as given, minus undefined (which JSON would drop too). */
function copyFree(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : copyFree(item)));
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, copyFree(item)]));
}

/** `true`, `5` or `unlimited` when that shorthand expands to exactly these details; otherwise undefined. */
export function entitlementShorthand(details: EntitlementDetails): boolean | number | typeof UNLIMITED | undefined {
  const keys = Object.keys(details).filter((key) => details[key] !== undefined);
  if (keys.length !== 1) return undefined;
  if (keys[0] === 'value' && (typeof details.value === 'boolean' || typeof details.value === 'number')) return details.value;
  if (keys[0] === 'hasUnlimitedUsage' && details.hasUnlimitedUsage === true) return UNLIMITED;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Styles: which collections go on one line.

/** `column`: where the collection's key (or `- `) starts. */
function styleCollection(node: YAMLMap | YAMLSeq, layout: Layout, column: number): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key) || !isCollection(pair.value)) continue;
      const key = String(pair.key.value);
      const child = childLayout(layout, key);
      styleCollection(pair.value, child, column + 2);
      if (shouldFlow(pair.value, child, layout, column + key.length + 2)) pair.value.flow = true;
    }
  } else {
    const itemLayout: Layout = layout.kind === 'list' ? layout.item : { kind: 'free' };
    for (const item of node.items) {
      if (!isCollection(item)) continue;
      styleCollection(item, itemLayout, column + 2);
      if (shouldFlow(item, itemLayout, layout, column + 2)) item.flow = true;
    }
  }
}

function childLayout(layout: Layout, key: string): Layout {
  if (layout.kind === 'object') return layout.fields[key] ?? { kind: 'free' };
  if (layout.kind === 'map') return layout.value;
  return { kind: 'free' };
}

function shouldFlow(node: YAMLMap | YAMLSeq, layout: Layout, parent: Layout, column: number): boolean {
  if (BLOCK_LAYOUTS.has(layout) || layout.kind === 'map') return false;
  // The top of a free-form value (metadata, filters) stays a block; small objects inside it may flow.
  if (layout.kind === 'free' && parent.kind === 'object') return false;
  if (!node.items.length) return true;
  const leaf = (value: unknown) => isScalar(value) || (isSeq(value) && value.items.every(isScalar));
  const simple = isMap(node) ? node.items.every((pair) => leaf(pair.value)) : node.items.every(isScalar);
  return simple && column + flowWidth(node) <= FLOW_LINE_LIMIT;
}

/** An estimate of the one-line width: exact for plain scalars, a little generous for quoted ones. */
function flowWidth(node: unknown): number {
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'string') return /^[A-Za-z0-9_][\w./@+-]*$/.test(value) ? value.length : JSON.stringify(value).length;
    return String(value).length;
  }
  if (isMap(node)) {
    const parts = node.items.map((pair) => flowWidth(pair.key) + 2 + flowWidth(pair.value));
    return parts.reduce((sum, part) => sum + part, 4 + 2 * Math.max(0, parts.length - 1));
  }
  if (isSeq(node)) {
    const parts = node.items.map(flowWidth);
    return parts.reduce((sum, part) => sum + part, 4 + 2 * Math.max(0, parts.length - 1));
  }
  return 4;
}
