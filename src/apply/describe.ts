/**
 * What each action kind says about itself: a symbol, a title and detail lines. The text and Markdown renderers
 * both build on this, so the two can never disagree about what an action does.
 */
import type { FieldChange } from '../diff/compare.js';
import type { Action, DraftEffect } from './actions.js';

export type Symbol = '+' | '~' | '-' | '^' | 'x';

export interface ActionDescription {
  symbol: Symbol;
  title: string;
  details: string[];
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
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

function entitlementSummary(details: Record<string, unknown>): string {
  if (details.hasUnlimitedUsage === true && Object.keys(details).length === 1) return 'unlimited';
  if (Object.keys(details).length === 1 && 'value' in details) return formatValue(details.value);
  return formatValue(details);
}

export function describeAction(action: Action): ActionDescription {
  switch (action.kind) {
    case 'create-product':
      return { symbol: '+', title: `create product ${action.product.identifier}`, details: fieldsOf(action.product, ['identifier', 'settings']) };
    case 'update-product':
      return { symbol: '~', title: `update product ${action.product}`, details: action.changes.map(formatChange) };
    case 'update-product-settings':
      return {
        symbol: '~',
        title: `update settings of product ${action.product}`,
        details: action.changes.length ? action.changes.map(formatChange) : fieldsOf(action.settings, []),
      };
    case 'create-feature':
      return { symbol: '+', title: `create feature ${action.feature.identifier} (${action.feature.featureType})`, details: fieldsOf(action.feature, ['identifier', 'featureType', 'metadata']) };
    case 'create-plan':
      return { symbol: '+', title: `create plan ${action.plan.identifier} on product ${action.plan.product}`, details: fieldsOf(action.plan, ['identifier', 'product', 'metadata']) };
    case 'update-plan':
      return { symbol: '~', title: `update plan ${action.plan}`, details: action.changes.map(formatChange) };
    case 'remove-entitlement':
      return { symbol: '-', title: `remove entitlement ${action.feature} from plan ${action.plan}`, details: [] };
    case 'update-entitlement':
      return {
        symbol: '~',
        title: `update entitlement ${action.feature} on plan ${action.plan}`,
        details: action.changes.map((change) => formatChange({ ...change, path: change.path.slice(2) })),
      };
    case 'add-entitlements':
      return {
        symbol: '+',
        title: `add ${Object.keys(action.entitlements).length} entitlement(s) to plan ${action.plan}`,
        details: Object.entries(action.entitlements).map(([feature, details]) => `+ ${feature}: ${entitlementSummary(details)}`),
      };
    case 'replace-prices': {
      const details = action.changes.length
        ? action.changes.map((change) => formatChange({ ...change, path: change.path.slice(1) }))
        : action.prices.map((price) => `+ ${price.priceType}${price.currency ? ` ${price.currency}` : ''}`);
      return { symbol: '~', title: `replace prices of plan ${action.plan} (${action.prices.length} price(s))`, details };
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

function fieldsOf(object: object, skip: string[]): string[] {
  return Object.entries(object)
    .filter(([key, value]) => !skip.includes(key) && value !== undefined)
    .map(([key, value]) => `${key}: ${formatValue(value)}`);
}
