/**
 * The pricing matrix: for every product a change plan touches, its plans (columns) against what a customer
 * compares (rows: each price per currency, period and what is charged, then each feature's grant), before and
 * after the plan. It is what a reviewer of a pricing change looks at first: "Pro goes from 49 to 59 a month, Team
 * stays at 99, and the new Starter plan sits between them".
 *
 * Computed as data from the catalog, the live state and the plan; the renderers lay it out (text, Markdown) and
 * `plan --json` carries it. Cells are display text (the words of `words.ts`), with the untrusted identifiers and
 * values they hold left unescaped: each renderer escapes them for its output.
 */
import { lookupsOf } from '../diff/diff-catalog.js';
import type { LiveState } from '../diff/live-state.js';
import { project } from '../diff/compare.js';
import { alignedTo, comparablePlan, livePlanToModel, PLAN_FEE_KEY, type Comparable } from '../diff/normalize.js';
import type { Catalog } from '../schema/model.js';
import { actionTarget, type ChangePlan } from './actions.js';
import { chargeCost, entitlementText, itemTerms, periodRank, periodWord, plain, relativeChange } from './words.js';

export interface PricingMatrix {
  products: MatrixProduct[];
}

export interface MatrixProduct {
  product: string;
  /** Columns, in catalog order; plans this run archives last. */
  plans: MatrixPlan[];
  rows: MatrixRow[];
}

export interface MatrixPlan {
  plan: string;
  name: string;
  /** new: created by this run; changed: this run writes to it; removed: archived by this run. */
  status: 'new' | 'changed' | 'unchanged' | 'removed';
  /**
   * True when the live state holds no prices or entitlements for the plan (a removed plan the catalog no longer
   * declares is listed, not read): its cells say nothing about what it charged or granted.
   */
  unread?: boolean;
}

export interface MatrixRow {
  kind: 'price' | 'feature';
  /** Words: `USD monthly plan fee`, `USD monthly api-calls (TIERED, pay as you go)`, or the feature identifier. */
  label: string;
  currency?: string;
  period?: string;
  /** The feature a price row charges or a feature row grants; null for the plan fee. */
  feature?: string | null;
  /** One per plan, in the order of `plans`. */
  cells: MatrixCell[];
}

export interface MatrixCell {
  /** What the plan holds now; null: the plan has nothing in this row; left out: the plan is new. */
  before?: string | null;
  /** What it holds after the plan; null: nothing in this row; left out: the plan is removed. */
  after?: string | null;
  changed: boolean;
  /** For a changed flat fee or numeric grant: the relative change, `+20%`. */
  relative?: string;
}

interface Side {
  prices?: Comparable;
  entitlements?: Record<string, Comparable>;
}

/** The matrix for `plan`: products with a change, or with a plan that has one. */
export function pricingMatrix(catalog: Catalog, live: LiveState, plan: ChangePlan): PricingMatrix {
  const lookups = lookupsOf(live);
  const productOfLive = (identifier: string) => {
    const row = live.plans.get(identifier)?.newest.plan;
    return row ? lookups.productIdentifierById.get(row.product) : undefined;
  };
  const changedPlans = new Set<string>();
  const archived = new Set<string>();
  const touched = new Set<string>();
  for (const action of plan.actions) {
    const target = actionTarget(action);
    if (target.kind === 'product') touched.add(target.identifier);
    if (target.kind !== 'plan') continue;
    if (action.kind === 'archive-plan') archived.add(target.identifier);
    else changedPlans.add(target.identifier);
    const product = catalog.plans.find((p) => p.identifier === target.identifier)?.product ?? productOfLive(target.identifier);
    if (product) touched.add(product);
  }

  const products: MatrixProduct[] = [];
  for (const product of [...catalog.products.map((p) => p.identifier), ...[...touched].sort()]) {
    if (!touched.has(product) || products.some((p) => p.product === product)) continue;
    const columns: Array<{ column: MatrixPlan; before?: Side; after?: Side }> = [];
    for (const desired of catalog.plans.filter((p) => p.product === product)) {
      const version = live.plans.get(desired.identifier)?.newest;
      const current = version ? alignedTo(desired, livePlanToModel(version, lookups)) : undefined;
      const status = !current ? 'new' : changedPlans.has(desired.identifier) ? 'changed' : 'unchanged';
      // What the catalog leaves out is not managed: the plan keeps what it has.
      const after = comparablePlan({ ...desired, prices: desired.prices ?? current?.prices, entitlements: desired.entitlements ?? current?.entitlements });
      // The live side as the diff sees it: only the keys the catalog writes (a value Kelviq fills in for a key the
      // catalog leaves out is not a change, and would read as one in a cell).
      const before = current ? (project(comparablePlan(current), after) as Comparable) : undefined;
      columns.push({ column: { plan: desired.identifier, name: desired.name, status }, before: before && sideOf(before), after: sideOf(after) });
    }
    for (const identifier of [...archived].sort()) {
      const version = live.plans.get(identifier)?.newest;
      if (!version || productOfLive(identifier) !== product) continue;
      const current = livePlanToModel(version, lookups);
      const unread = version.prices === undefined && version.entitlements === undefined;
      columns.push({ column: { plan: identifier, name: current.name, status: 'removed', ...(unread ? { unread } : {}) }, before: sideOf(comparablePlan(current)) });
    }
    const currency = catalog.products.find((p) => p.identifier === product)?.settings?.currency ?? live.products.get(product)?.settings?.currency ?? undefined;
    products.push({ product, plans: columns.map((c) => c.column), rows: rowsOf(columns, featureOrder(catalog), currency) });
  }
  return { products };
}

/** A plan's comparable document (prices keyed by type and currency, charges by feature and period). */
function sideOf(doc: Comparable): Side {
  return { prices: doc.prices as Comparable | undefined, entitlements: doc.entitlements as Record<string, Comparable> | undefined };
}

function featureOrder(catalog: Catalog): (feature: string) => number {
  const order = catalog.features.map((f) => f.identifier);
  return (feature) => {
    const index = order.indexOf(feature);
    return index === -1 ? order.length : index;
  };
}

interface RowKey {
  kind: 'price' | 'feature';
  label: string;
  currency?: string;
  period?: string;
  feature?: string | null;
  sort: Array<string | number>;
}

/** What one plan shows in each row, by row key. */
interface CellValue {
  key: RowKey;
  text: string;
  amount?: unknown;
  /** A feature row's grant alone, shown when the other side has no such row. */
  grant?: string;
}

function cellsOf(side: Side | undefined): Map<string, CellValue> {
  const cells = new Map<string, CellValue>();
  if (!side) return cells;
  for (const price of Object.values(side.prices ?? {}) as Comparable[]) {
    const currency = price.currency ? String(price.currency) : String(price.priceType);
    const items = Object.entries((price.chargeCatalogPrice ?? {}) as Comparable) as Array<[string, Comparable]>;
    if (!items.length) {
      const key: RowKey = { kind: 'price', label: `${currency} price`, currency, sort: [currency, -1, ''] };
      cells.set(`price ${currency}`, { key, text: String(price.priceType).toLowerCase() });
      continue;
    }
    // The trial is a row of its own, so the plan fee's cell stays a number with its relative change.
    if (price.freeTrial !== undefined || price.trialPeriod !== undefined) {
      const key: RowKey = { kind: 'price', label: `${currency} free trial`, currency, sort: [currency, -1, 'trial'] };
      const text = price.freeTrial === false ? 'none' : price.trialPeriod !== undefined ? `${plain(price.trialPeriod)} days` : 'yes';
      cells.set(`price ${currency} trial`, { key, text });
    }
    for (const [itemKey, item] of items) {
      const feature = itemKey === PLAN_FEE_KEY ? null : itemKey;
      for (const charge of Object.values((item.charges ?? {}) as Comparable) as Comparable[]) {
        const period = String(charge.chargePeriod ?? '');
        const what = feature === null ? 'plan fee' : `${feature} (${itemTerms(item)})`;
        const key: RowKey = { kind: 'price', label: `${currency} ${periodWord(period)} ${what}`, currency, period, feature, sort: [currency, periodRank(period), feature ?? ''] };
        const data = (charge.priceData ?? {}) as Comparable;
        // A FLAT fee is a number and gets its relative change; anything else is compared as text.
        const flat = item.priceModel === 'FLAT' && !charge.tiers && Object.keys(data).every((k) => k === 'amount' || k === 'currency');
        cells.set(`price ${currency} ${period} ${itemKey}`, { key, text: chargeCost(item.priceModel, charge), amount: flat ? data.amount : undefined });
      }
    }
  }
  for (const [feature, details] of Object.entries(side.entitlements ?? {})) {
    // A grant that is just a number (seats: 10) gets its relative change, as a fee does.
    const amount = typeof details.value === 'number' && Object.keys(details).every((k) => k === 'value') ? details.value : undefined;
    // A grant the catalog removes is compared with nothing, so the live side was not narrowed to the catalog's
    // keys: its cell names what a customer loses (value, reset, hard limit), not every option Kelviq stores.
    const grant = Object.fromEntries(Object.entries(details).filter(([key]) => ['value', 'hasUnlimitedUsage', 'reset', 'hardLimit'].includes(key)));
    cells.set(`feature ${feature}`, { key: { kind: 'feature', label: feature, feature, sort: [] }, text: entitlementText(details), amount, grant: entitlementText(grant) });
  }
  return cells;
}

function rowsOf(columns: Array<{ before?: Side; after?: Side }>, rank: (feature: string) => number, currency: string | undefined): MatrixRow[] {
  // The product's currency first (its base prices), then the others by code.
  const currencyRank = (code: unknown) => (currency && String(code).toUpperCase() === currency.toUpperCase() ? '' : String(code));
  const perColumn = columns.map((c) => ({ before: cellsOf(c.before), after: cellsOf(c.after) }));
  const keys = new Map<string, RowKey>();
  for (const { before, after } of perColumn) for (const map of [after, before]) for (const [id, cell] of map) if (!keys.has(id)) keys.set(id, cell.key);
  const sorted = [...keys.entries()].sort(([, a], [, b]) => {
    if (a.kind !== b.kind) return a.kind === 'price' ? -1 : 1;
    if (a.kind === 'feature') return rank(a.feature ?? '') - rank(b.feature ?? '') || (a.feature ?? '').localeCompare(b.feature ?? '');
    for (let i = 0; i < a.sort.length; i += 1) {
      const x = i === 0 ? currencyRank(a.sort[i]) : a.sort[i] ?? '';
      const y = i === 0 ? currencyRank(b.sort[i]) : b.sort[i] ?? '';
      if (x !== y) return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    }
    return 0;
  });
  return sorted.map(([id, key]) => ({
    kind: key.kind,
    label: key.label,
    ...(key.currency !== undefined ? { currency: key.currency } : {}),
    ...(key.period !== undefined ? { period: key.period } : {}),
    ...(key.feature !== undefined ? { feature: key.feature } : {}),
    cells: perColumn.map(({ before, after }, index): MatrixCell => {
      const a = before.get(id);
      const b = after.get(id);
      const hasBefore = columns[index]?.before !== undefined;
      const hasAfter = columns[index]?.after !== undefined;
      const cell: MatrixCell = { changed: hasBefore && hasAfter && a?.text !== b?.text };
      if (hasBefore) cell.before = a ? (hasAfter && !b ? a.grant ?? a.text : a.text) : null;
      if (hasAfter) cell.after = b?.text ?? null;
      // The relative change of a flat fee or a numeric grant, where both sides have one.
      const relative = cell.changed ? relativeChange(a?.amount, b?.amount) : undefined;
      if (relative) cell.relative = relative;
      return cell;
    }),
  }));
}
