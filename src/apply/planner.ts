/**
 * Diff + decisions → an ordered change plan. Decisions (publish? migrate? prune?) are inputs, never prompts.
 *
 * Ordering rules encoded as dependencies:
 * - a plan's writes form one strict chain (create → fields → entitlement removals → updates → additions →
 *   prices → publish): the first write to a published plan creates its draft, so two writes must never race;
 * - a plan waits for the product and features it references when this run creates them;
 * - a publish waits for its product's settings update (the currency decides which prices are required), and so
 *   does a price replace (a currency change re-enables disabled prices in that currency);
 * - pruning features waits for every plan write and plan archive, so nothing still points at an archived feature
 *   mid-run.
 * Everything else is independent and may run concurrently.
 */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, priceKey, PLAN_FEE_KEY } from '../diff/normalize.js';
import type { CatalogDiff, PlanDiff } from '../diff/diff-catalog.js';
import type { LiveState } from '../diff/live-state.js';
import { livePlanFor, livePlanToModel } from '../diff/normalize.js';
import { projectOnto } from '../diff/project.js';
import { licenseInput } from '../schema/format/plan.js';
import { lookupsOf } from '../diff/diff-catalog.js';
import type { Catalog, ChargeCatalogPrice, EntitlementDetails, Plan, Price, ProductSettings } from '../schema/model.js';
import {
  summarize,
  type Action,
  type ChangePlan,
  type DraftEffect,
  type PlanDecisions,
  type PlanFieldUpdate,
  type PlanMessage,
  type PendingDraft,
  type PlanNote,
} from './actions.js';

export interface PlannerInput {
  catalog: Catalog;
  live: LiveState;
  diff: CatalogDiff;
  decisions: PlanDecisions;
  environment: 'sandbox' | 'production';
  /** Maps a catalog pointer to `file:line:col`, for messages. */
  locate?: (pointer: string) => string | undefined;
}

const PLAN_FIELDS = ['name', 'description', 'isVisible', 'metadata', 'license', 'links'] as const;

export function buildPlan(input: PlannerInput): ChangePlan {
  const { diff, decisions, live } = input;
  const actions: Action[] = [];
  const messages: PlanMessage[] = diff.problems.map((problem) => ({
    severity: problem.severity,
    message: problem.message,
    location: input.locate?.(problem.pointer),
    ...(problem.code ? { leftAsIs: true as const } : {}),
  }));
  const drafts: PlanNote[] = [];
  const pendingDrafts: PendingDraft[] = [];
  if (!decisions.publish && (decisions.migrateFeatures || decisions.migratePricing)) {
    // The migrations are the publish request's own options (POST /catalog/plans/{identifier}/publish/ in the
    // spec): without a publish they would be ignored in silence.
    messages.push({
      severity: 'error',
      message: 'migrating existing customers (migrateFeatures / migratePricing) happens when a plan is published; it needs publish as well.',
    });
  }

  // ---- products
  const settingsActionByProduct = new Map<string, string>();
  const createdProducts = new Set<string>();
  for (const product of diff.products) {
    if (product.id === undefined) {
      actions.push({ id: `create-product:${product.identifier}`, dependsOn: [], kind: 'create-product', product: product.desired });
      createdProducts.add(product.identifier);
      if (product.desired.settings && Object.keys(product.desired.settings).length) {
        const id = `update-product-settings:${product.identifier}`;
        actions.push({
          id,
          dependsOn: [`create-product:${product.identifier}`],
          kind: 'update-product-settings',
          product: product.identifier,
          changes: product.changes.filter((c) => c.path[0] === 'settings'),
          settings: product.desired.settings,
        });
        settingsActionByProduct.set(product.identifier, id);
      }
      continue;
    }
    const fieldChanges = product.changes.filter((c) => c.path[0] !== 'settings');
    if (fieldChanges.length) {
      const fields: Record<string, unknown> = {};
      for (const change of fieldChanges) fields[change.path[0] as string] = product.desired[change.path[0] as 'name'];
      actions.push({ id: `update-product:${product.identifier}`, dependsOn: [], kind: 'update-product', product: product.identifier, changes: fieldChanges, fields });
    }
    const settingsChanges = product.changes.filter((c) => c.path[0] === 'settings');
    const reenabled = reenabledByCurrencyChange(product.identifier, product.desired.settings?.currency, live);
    if (reenabled) messages.push({ ...reenabled, location: input.locate?.(`/products/${product.identifier}/settings/currency`) });
    if (settingsChanges.length && product.desired.settings) {
      const settings: ProductSettings = {};
      for (const change of settingsChanges) {
        const key = change.path[1] as keyof ProductSettings | undefined;
        if (key) (settings as Record<string, unknown>)[key] = product.desired.settings[key];
        else Object.assign(settings, product.desired.settings);
      }
      const id = `update-product-settings:${product.identifier}`;
      actions.push({ id, dependsOn: [], kind: 'update-product-settings', product: product.identifier, changes: settingsChanges, settings });
      settingsActionByProduct.set(product.identifier, id);
    }
  }

  // ---- features (existing ones never change: differences are errors reported by the diff)
  const createdFeatures = new Set<string>();
  const archivedFeatures = archivedFeaturesSeen(live);
  for (const feature of diff.features) {
    if (feature.id !== undefined) continue;
    if (archivedFeatures.has(feature.identifier)) {
      messages.push({
        severity: 'error',
        message: `feature ${feature.identifier} cannot be created: an archived feature in Kelviq still holds that identifier (archived resources keep their identifier, and a plan still grants it). Give the feature another identifier in the catalog; running apply again will not change this.`,
        location: input.locate?.(`/features/${feature.identifier}`),
      });
      continue;
    }
    const metadata = { ...(feature.desired.metadata ?? {}), [MANAGED_BY_KEY]: MANAGED_BY_VALUE };
    actions.push({ id: `create-feature:${feature.identifier}`, dependsOn: [], kind: 'create-feature', feature: { ...feature.desired, metadata } });
    createdFeatures.add(feature.identifier);
  }
  const featureDeps = (features: Iterable<string | null | undefined>) =>
    [...new Set([...features].filter((f): f is string => !!f && createdFeatures.has(f)))].map((f) => `create-feature:${f}`);

  // ---- plans
  const planWriteIds: string[] = [];
  for (const planDiff of diff.plans) {
    const held = planDiff.live ? undefined : live.heldPlans?.get(planDiff.identifier);
    if (held) {
      const by = held.isArchived ? 'an archived plan' : 'a plan Kelviq does not list (its product may be archived)';
      messages.push({
        severity: 'error',
        message: `plan ${planDiff.identifier} cannot be created: ${by} in Kelviq still holds that identifier (archived plans keep their identifier). Give the plan another identifier in the catalog; running apply again will not change this.`,
        location: input.locate?.(`/plans/${planDiff.identifier}`),
      });
      continue;
    }
    const chain = planActions(planDiff, live, createdProducts, featureDeps);
    // A currency change re-enables the product's disabled prices in the new currency (PATCH
    // /catalog/products/{pk}/settings/ in the spec): a price replace racing it could be undone by it.
    const settingsForPrices = settingsActionByProduct.get(planDiff.desired.product);
    const replacePrices = chain.find((action) => action.kind === 'replace-prices');
    if (settingsForPrices && replacePrices) replacePrices.dependsOn.push(settingsForPrices);
    const draft = draftEffectOf(planDiff);
    const publish = decisions.publish ? publishAction(planDiff, chain.length > 0, input, messages) : undefined;
    if (publish) {
      const settingsAction = settingsActionByProduct.get(planDiff.desired.product);
      if (settingsAction) publish.dependsOn.push(settingsAction);
      chain.push(publish);
    }
    // Link the chain: each write waits for the previous one on the same plan.
    for (let index = 1; index < chain.length; index += 1) {
      const previous = chain[index - 1] as Action;
      (chain[index] as Action).dependsOn.unshift(previous.id);
    }
    if (chain.length) {
      drafts.push({ plan: planDiff.identifier, status: planDiff.live?.status, draft });
      planWriteIds.push(...chain.map((a) => a.id));
    }
    actions.push(...chain);
    const status = planDiff.live?.status;
    const willPublish = chain.some((a) => a.kind === 'publish-plan');
    if (!willPublish && (chain.length > 0 || (status && status !== 'published'))) {
      const live = planDiff.live;
      pendingDrafts.push({
        plan: planDiff.identifier,
        version: pendingVersionAfter(planDiff, chain.length > 0),
        // Drafts are only created as N+1 over the published N (NOTES.md), so a pending draft's published version is below it.
        publishedVersion: live?.status === 'published' ? live.version : live?.status === 'pending-draft' ? (live.publishedVersion ?? live.version - 1) : null,
        matchesCatalog: chain.length === 0,
      });
    }
  }

  // ---- remote-only resources: prune (under the marker rule) or report
  // A pruned feature also waits for the pruned plans: one still granting it must not outlive it (archiving a
  // feature "updates any published pricing tables that referenced it", the spec's DELETE /catalog/features/{pk}/).
  const prunedPlans = decisions.prune ? diff.remoteOnly.filter((remote) => remote.kind === 'plan' && remote.managed).map((remote) => `archive-plan:${remote.identifier}`) : [];
  for (const remote of diff.remoteOnly) {
    if (remote.kind === 'product') {
      messages.push({ severity: 'warning', message: `product ${remote.identifier} exists in Kelviq but not in the catalog (products are never archived by this tool).` });
      continue;
    }
    if (!decisions.prune) {
      messages.push({
        severity: 'warning',
        message: `${remote.kind} ${remote.identifier} exists in Kelviq but not in the catalog${remote.managed ? ' (created by kelviq-catalog; --prune would archive it)' : ''}.`,
      });
      continue;
    }
    if (!remote.managed) {
      messages.push({
        severity: 'warning',
        message: `${remote.kind} ${remote.identifier} exists in Kelviq but not in the catalog; not archived because it was not created by kelviq-catalog (no "${MANAGED_BY_KEY}: ${MANAGED_BY_VALUE}" metadata).`,
      });
      continue;
    }
    if (remote.kind === 'plan') actions.push({ id: `archive-plan:${remote.identifier}`, dependsOn: [], kind: 'archive-plan', plan: remote.identifier });
    else actions.push({ id: `archive-feature:${remote.identifier}`, dependsOn: [...planWriteIds, ...prunedPlans], kind: 'archive-feature', feature: remote.identifier });
  }
  if (decisions.prune && input.environment === 'production' && !decisions.allowProdPrune && actions.some((a) => a.kind.startsWith('archive-'))) {
    messages.push({ severity: 'error', message: 'pruning production archives live plans/features: pass --allow-prod-prune as well to confirm.' });
  }

  return { actions, drafts, pendingDrafts, messages, summary: summarize(actions), decisions };
}

/**
 * "Changing `currency` re-enables previously disabled prices in the new currency on the latest plans of that
 * product" (the spec's PATCH /catalog/products/{pk}/settings/; NOTES.md). A price someone disabled comes back on
 * sale, so the plan says which ones, before anything is written. Only plans whose prices were read (the catalog
 * manages them) can be seen; the newest version of each is the "latest plan" a write reaches.
 */
function reenabledByCurrencyChange(identifier: string, desired: string | undefined, live: LiveState): PlanMessage | undefined {
  const entry = live.products.get(identifier);
  const current = entry?.settings?.currency;
  if (!entry || desired === undefined || current == null || current.toUpperCase() === desired.toUpperCase()) return undefined;
  const plans: string[] = [];
  for (const [plan, livePlan] of live.plans) {
    if (livePlan.newest.plan.product !== entry.product.id) continue;
    const disabled = (livePlan.newest.prices ?? []).some((price) => price.enabled === false && price.currency?.toUpperCase() === desired.toUpperCase());
    if (disabled) plans.push(plan);
  }
  if (!plans.length) return undefined;
  plans.sort();
  return {
    severity: 'warning',
    message: `changing the currency of product ${identifier} from ${current} to ${desired} re-enables its disabled ${desired} prices (Kelviq does so for the new currency on the product's latest plans): plan ${plans.join(', plan ')}; if they must stay off sale, check them after this apply and disable them again (enabled: false)`,
  };
}

/**
 * Identifiers of archived features the snapshot happens to show: the feature list leaves archived features out
 * and features cannot be read by identifier, but a plan that still grants one lists it, marked isArchived.
 * Costs no request; a feature archived and granted nowhere is caught when its create is refused.
 */
function archivedFeaturesSeen(live: LiveState): Set<string> {
  const archived = new Set<string>();
  for (const { newest, published } of live.plans.values()) {
    for (const version of [newest, published]) {
      for (const entitlement of version?.entitlements ?? []) {
        if (entitlement.feature.isArchived) archived.add(entitlement.feature.identifier);
      }
    }
  }
  return archived;
}

function draftEffectOf(planDiff: PlanDiff): DraftEffect {
  const live = planDiff.live;
  if (!live) return { kind: 'new-plan' };
  if (live.status === 'published') return { kind: 'new-draft', publishedVersion: live.version, creates: live.version + 1 };
  if (live.status === 'pending-draft') return { kind: 'pending-draft', version: live.version, publishedVersion: live.publishedVersion ?? live.version - 1 };
  return { kind: 'unpublished', version: live.version };
}

function pendingVersionAfter(planDiff: PlanDiff, writes: boolean): number {
  const live = planDiff.live;
  if (!live) return 1;
  return live.status === 'published' && writes ? live.version + 1 : live.version;
}

function planActions(
  planDiff: PlanDiff,
  live: LiveState,
  createdProducts: Set<string>,
  featureDeps: (features: Iterable<string | null | undefined>) => string[],
): Action[] {
  const { desired, identifier } = planDiff;
  const draft = draftEffectOf(planDiff);
  const chain: Action[] = [];
  const priceFeatures = (prices: Price[] | undefined) => (prices ?? []).flatMap((p) => (p.chargeCatalogPrice ?? []).map((c) => c.feature));

  if (!planDiff.live) {
    const { entitlements, prices, ...fields } = desired;
    const metadata = { ...(fields.metadata ?? {}), [MANAGED_BY_KEY]: MANAGED_BY_VALUE };
    const dependsOn = createdProducts.has(desired.product) ? [`create-product:${desired.product}`] : [];
    chain.push({ id: `create-plan:${identifier}`, dependsOn, kind: 'create-plan', plan: { ...fields, metadata } });
    if (entitlements && Object.keys(entitlements).length) {
      chain.push({ id: `add-entitlements:${identifier}`, dependsOn: featureDeps(Object.keys(entitlements)), kind: 'add-entitlements', plan: identifier, draft, entitlements });
    }
    if (prices) {
      chain.push({ id: `replace-prices:${identifier}`, dependsOn: featureDeps(priceFeatures(prices)), kind: 'replace-prices', plan: identifier, draft, changes: [], prices });
    }
    return chain;
  }

  const byField = groupBy(planDiff.changes, (c) => c.path[0] as string);
  const fieldChanges = PLAN_FIELDS.flatMap((field) => byField.get(field) ?? []);
  if (fieldChanges.length) {
    const fields: PlanFieldUpdate = {};
    for (const field of PLAN_FIELDS) {
      if (!byField.has(field)) continue;
      if (field === 'metadata') {
        // PATCH replaces metadata whole: keep the marker when the live plan has it.
        const marker = planDiff.live.managed ? { [MANAGED_BY_KEY]: MANAGED_BY_VALUE } : {};
        fields.metadata = { ...(desired.metadata ?? {}), ...marker };
      } else if (field === 'license') {
        // PATCH replaces the license object whole: send the live one with the managed keys changed, the live one
        // projected onto the format's license fields (a field the server adds is never sent back).
        const liveLicense = projectOnto(licenseInput, dropNulls(live.plans.get(identifier)?.newest.plan.license ?? {})) as Plan['license'];
        fields.license = { ...liveLicense, ...desired.license };
      } else {
        (fields as Record<string, unknown>)[field] = desired[field];
      }
    }
    chain.push({ id: `update-plan:${identifier}`, dependsOn: [], kind: 'update-plan', plan: identifier, draft, changes: fieldChanges, fields });
  }

  const entitlementChanges = byField.get('entitlements') ?? [];
  if (entitlementChanges.length && desired.entitlements) {
    const perFeature = groupBy(entitlementChanges, (c) => c.path[1] ?? '');
    const additions: Record<string, NonNullable<Plan['entitlements']>[string]> = {};
    for (const [feature, changes] of perFeature) {
      if (feature === '') continue;
      const wanted = desired.entitlements[feature];
      const whole = changes.find((c) => c.path.length === 2);
      if (whole?.kind === 'remove') {
        const was = whole.before !== null && typeof whole.before === 'object' ? { was: whole.before as EntitlementDetails } : {};
        chain.push({ id: `remove-entitlement:${identifier}:${feature}`, dependsOn: [], kind: 'remove-entitlement', plan: identifier, draft, feature, ...was });
      } else if (whole?.kind === 'add' && wanted) {
        additions[feature] = wanted;
      } else if (wanted) {
        chain.push({ id: `update-entitlement:${identifier}:${feature}`, dependsOn: [], kind: 'update-entitlement', plan: identifier, draft, feature, changes, details: wanted });
      }
    }
    if (Object.keys(additions).length) {
      chain.push({ id: `add-entitlements:${identifier}`, dependsOn: featureDeps(Object.keys(additions)), kind: 'add-entitlements', plan: identifier, draft, entitlements: additions });
    }
  }
  // Removals first, then updates, then additions: a stable, readable order within the plan's chain.
  chain.sort((a, b) => stage(a) - stage(b));

  const priceChanges = byField.get('prices') ?? [];
  if (priceChanges.length && desired.prices) {
    const liveVersion = live.plans.get(identifier)?.newest;
    const livePrices = liveVersion?.prices ? livePlanFor(desired, liveVersion, lookupsOf(live)).prices ?? [] : [];
    const prices = keepUnmanagedPriceFields(desired.prices, livePrices);
    chain.push({ id: `replace-prices:${identifier}`, dependsOn: featureDeps(priceFeatures(desired.prices)), kind: 'replace-prices', plan: identifier, draft, changes: priceChanges, prices });
  }
  return chain;
}

function stage(action: Action): number {
  const order = ['create-plan', 'update-plan', 'remove-entitlement', 'update-entitlement', 'add-entitlements', 'replace-prices', 'publish-plan'];
  return order.indexOf(action.kind);
}

/**
 * The bulk endpoint replaces prices whole, so a field the catalog does not manage would silently fall back to
 * whatever the server fills in for an omitted field. Carry the live value over for prices (and their charge-catalog prices) that keep their identity.
 */
function keepUnmanagedPriceFields(desired: Price[], live: Price[]): Price[] {
  const liveByKey = new Map(live.map((price) => [priceKey(price), price]));
  return desired.map((price) => {
    const match = liveByKey.get(priceKey(price));
    if (!match) return price;
    const merged: Price = { ...pickMissing(match, price, ['freeTrial', 'trialPeriod', 'enabled', 'taxBehavior']), ...price };
    if (price.chargeCatalogPrice && match.chargeCatalogPrice) {
      const liveItems = new Map(match.chargeCatalogPrice.map((item) => [item.feature ?? PLAN_FEE_KEY, item]));
      merged.chargeCatalogPrice = price.chargeCatalogPrice.map((item): ChargeCatalogPrice => {
        const liveItem = liveItems.get(item.feature ?? PLAN_FEE_KEY);
        if (!liveItem) return item;
        return { ...pickMissing(liveItem, item, ['reset', 'resetTime', 'hasUnlimitedUsage', 'paymentType', 'rollover', 'usageAlerts']), ...item };
      });
    }
    return merged;
  });
}

function pickMissing<T extends object>(source: T, target: T, keys: Array<keyof T>): Partial<T> {
  const result: Partial<T> = {};
  for (const key of keys) {
    if (target[key] === undefined && source[key] !== undefined) result[key] = source[key];
  }
  return result;
}

function publishAction(planDiff: PlanDiff, changed: boolean, input: PlannerInput, messages: PlanMessage[]): Action | undefined {
  const status = planDiff.live?.status;
  const pendingAlreadyMatches = !changed && status !== undefined && status !== 'published';
  if (!changed && !pendingAlreadyMatches) return undefined;
  const problem = publishBlocker(planDiff, input);
  if (problem) {
    messages.push({ severity: 'error', message: `plan ${planDiff.identifier} cannot be published: ${problem}`, location: input.locate?.(`/plans/${planDiff.identifier}`) });
    return undefined;
  }
  return {
    id: `publish-plan:${planDiff.identifier}`,
    dependsOn: [],
    kind: 'publish-plan',
    plan: planDiff.identifier,
    reason: changed ? 'changed' : 'pending-draft',
    updateFeatures: input.decisions.migrateFeatures,
    updatePricing: input.decisions.migratePricing,
  };
}

/** Kelviq's publish preconditions, checked locally so a run fails at plan time rather than midway. */
function publishBlocker(planDiff: PlanDiff, input: PlannerInput): string | undefined {
  const { desired } = planDiff;
  let prices: Price[] | undefined = desired.prices;
  if (!prices) {
    const liveVersion = input.live.plans.get(desired.identifier)?.newest;
    prices = liveVersion?.prices ? livePlanToModel(liveVersion, lookupsOf(input.live)).prices : undefined;
  }
  if (prices === undefined) return undefined; // Not managed and not fetched: the server decides.
  if (prices.length === 0) return 'it has no price (Kelviq refuses to publish a plan without one).';
  const product = input.catalog.products.find((p) => p.identifier === desired.product);
  const currency = product?.settings?.currency ?? input.live.products.get(desired.product)?.settings?.currency ?? undefined;
  const paid = prices.filter((p) => p.priceType === 'PAID');
  if (currency && paid.length && !paid.some((p) => p.currency?.toUpperCase() === currency.toUpperCase())) {
    return `it has PAID prices but none in ${currency}, the currency of product ${desired.product}.`;
  }
  return undefined;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function dropNulls(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value != null));
}
