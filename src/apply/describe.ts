/**
 * What each action kind says about itself: a symbol, a title and detail lines. The text and Markdown renderers
 * both build on this, so the two can never disagree about what an action does.
 */
import type { FieldChange } from '../diff/compare.js';
import { MANAGED_BY_KEY } from '../diff/normalize.js';
import type { Plan } from '../schema/model.js';
import type { Action, DraftEffect } from './actions.js';
import { comparablePrices, entitlementChangeText, entitlementText, fieldChangeLines, priceLines, priceSetChangeLines, pricesBefore } from './words.js';

export type Symbol = '+' | '~' | '-' | '^' | 'x';

export interface ActionDescription {
  symbol: Symbol;
  title: string;
  /**
   * In words, values in full (renderers wrap, never cut). A line may start with its own marker (`+ `, `- `, `! `)
   * when it differs from the action's: a price added by a changed price set.
   */
  details: string[];
}

/** A value in full: JSON, never shortened (a cut amount or URL is a value nobody can review). */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  return JSON.stringify(value);
}

export function formatChange(change: FieldChange): string {
  const path = change.path.join('.');
  if (change.kind === 'add') return `+ ${path}: ${formatValue(change.after)}`;
  if (change.kind === 'remove') return `- ${path}: ${formatValue(change.before)}`;
  return `~ ${path}: ${formatValue(change.before)} -> ${formatValue(change.after)}`;
}

export function describeDraft(draft: DraftEffect): string {
  switch (draft.kind) {
    case 'new-plan':
      return 'new plan: created as unpublished draft v1';
    case 'new-draft':
      return `creates draft v${draft.creates} over published v${draft.publishedVersion} (customers keep v${draft.publishedVersion} until published)`;
    case 'pending-draft':
      return `modifies pending draft v${draft.version} (published v${draft.publishedVersion} stays live until published)`;
    case 'unpublished':
      return `modifies unpublished draft v${draft.version}`;
  }
}


export function describeAction(action: Action): ActionDescription {
  switch (action.kind) {
    case 'create-product':
      return { symbol: '+', title: `create product ${action.product.identifier}`, details: fieldsOf(action.product, ['identifier', 'settings']) };
    case 'update-product':
      return { symbol: '~', title: `update product ${action.product}`, details: action.changes.flatMap(fieldChangeLines) };
    case 'update-product-settings':
      return {
        symbol: '~',
        title: `update settings of product ${action.product}`,
        details: action.changes.length ? action.changes.flatMap(fieldChangeLines) : fieldsOf(action.settings, []),
      };
    case 'create-feature':
      return { symbol: '+', title: `create feature ${action.feature.identifier} (${action.feature.featureType})`, details: fieldsOf(action.feature, ['identifier', 'featureType', 'metadata']) };
    case 'create-plan':
      return { symbol: '+', title: `create plan ${action.plan.identifier} on product ${action.plan.product}`, details: planFields(action.plan) };
    case 'update-plan':
      return { symbol: '~', title: `update plan ${action.plan}`, details: action.changes.flatMap(fieldChangeLines) };
    case 'remove-entitlement':
      return { symbol: '-', title: `remove entitlement ${action.feature} from plan ${action.plan}`, details: action.was ? [`was: ${entitlementText(action.was)}`] : [] };
    case 'update-entitlement':
      return {
        symbol: '~',
        title: `update entitlement ${action.feature} on plan ${action.plan}`,
        details: action.changes.map((change) => entitlementChangeText(change.path.slice(2), change)),
      };
    case 'add-entitlements':
      return {
        symbol: '+',
        title: `add ${Object.keys(action.entitlements).length} entitlement(s) to plan ${action.plan}`,
        details: Object.entries(action.entitlements).map(([feature, details]) => `${feature}: ${entitlementText(details)}`),
      };
    case 'replace-prices': {
      const after = comparablePrices(action.prices);
      if (!action.changes.length) {
        // A new plan's prices: every value, nothing to compare with.
        return { symbol: '+', title: `set prices of plan ${action.plan} (${action.prices.length} price(s))`, details: Object.values(after).flatMap((price) => priceLines(price as never)) };
      }
      const before = pricesBefore(after, action.changes.map((change) => ({ ...change, path: change.path.slice(1) })));
      return { symbol: '~', title: `replace prices of plan ${action.plan} (${action.prices.length} price(s))`, details: priceSetChangeLines(before, after) };
    }
    case 'publish-plan': {
      const migrate = [action.updateFeatures && 'features', action.updatePricing && 'pricing'].filter(Boolean).join(' and ');
      const reason = action.reason === 'pending-draft' ? 'the pending draft already matches the catalog' : 'with this run\'s changes';
      return {
        symbol: '^',
        title: `publish plan ${action.plan}`,
        details: [`${reason}; existing customers ${migrate ? `migrated (${migrate})` : 'not migrated'}`],
      };
    }
    case 'archive-plan':
      return { symbol: '-', title: `archive plan ${action.plan} (all versions; not in the catalog, created by kelviq-catalog)`, details: [] };
    case 'archive-feature':
      return { symbol: '-', title: `archive feature ${action.feature} (not in the catalog, created by kelviq-catalog)`, details: [] };
  }
}

/** A new plan's own fields; its entitlements and prices are actions of their own. */
function planFields(plan: Plan): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(plan)) {
    if (['identifier', 'product', 'metadata', 'links', 'entitlements', 'prices'].includes(key) || value === undefined) continue;
    lines.push(`${key}: ${formatValue(value)}`);
  }
  for (const link of plan.links ?? []) lines.push(`link ${JSON.stringify(link.name)}: ${link.url}`);
  // The managed-by marker is ours, never shown as a diff; what the catalog wrote is shown in full.
  for (const [key, value] of Object.entries(plan.metadata ?? {})) if (key !== MANAGED_BY_KEY) lines.push(`metadata ${JSON.stringify(key)}: ${formatValue(value)}`);
  return lines;
}

function fieldsOf(object: object, skip: string[]): string[] {
  return Object.entries(object)
    .filter(([key, value]) => !skip.includes(key) && value !== undefined)
    .map(([key, value]) => `${key}: ${formatValue(value)}`);
}
