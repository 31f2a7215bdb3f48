/** Seed document ⇄ store. Loading goes through the API's own validation; exporting gives a loadable document. */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiError, FieldErrors, parseBody } from '../api/errors.js';
import { entitlementsToAdd } from '../api/entitlements.js';
import { createFeature } from '../api/features.js';
import { applyPlanFields } from '../api/plans.js';
import { pricesToStore } from '../api/prices.js';
import { createProduct } from '../api/products.js';
import { EntitlementAdd, PlanUpdate, PriceBulk, ProductSettingsUpdate } from '../api/schemas.js';
import { newId, nowIso } from '../model/ids.js';
import type { JsonObject, PlanRecord, PlanVersion } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { SeedError, parseSeed, type SeedDocument } from './schema.js';

export async function readSeedFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SeedError([`${path}: not JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
}

/** Replaces the store's catalog with the seed's. On a SeedError the store is left empty. */
export function loadSeedInto(store: CatalogStore, json: unknown): void {
  const seed = parseSeed(json);
  store.clear();
  const problems: string[] = [];
  const attempt = (where: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      if (error instanceof ApiError) problems.push(...flattenErrors(error.body).map((problem) => `${where}: ${problem}`));
      else throw error;
    }
  };

  for (const [index, product] of seed.products.entries()) {
    attempt(`products[${index}] (${product.identifier})`, () => {
      const { id, archived: _archived, settings, ...body } = product;
      const record = createProduct(store, body, id);
      if (settings) {
        const parsed = parseBody(ProductSettingsUpdate, settings);
        Object.assign(store.settingsOf(record), { ...parsed, productUrl: parsed.productUrl || null });
      }
    });
  }
  for (const [index, feature] of seed.features.entries()) {
    attempt(`features[${index}] (${feature.identifier})`, () => {
      const { id, archived: _archived, ...body } = feature;
      createFeature(store, body, id);
    });
  }
  for (const [index, plan] of seed.plans.entries()) {
    attempt(`plans[${index}] (${plan.identifier})`, () => loadPlan(store, plan));
  }
  for (const [index, subscription] of seed.subscriptions.entries()) {
    if (!store.plans.has(subscription.plan)) {
      problems.push(`subscriptions[${index}] (${subscription.customerId}): plan ${subscription.plan} is not in the seed`);
      continue;
    }
    store.subscriptions.push({
      id: subscription.id ?? newId(),
      customerId: subscription.customerId,
      plan: subscription.plan,
      status: subscription.status,
      amount: subscription.amount ?? '0.00',
      currency: subscription.currency ?? 'usd',
      startDate: subscription.startDate ?? nowIso().slice(0, 10),
      endDate: subscription.endDate ?? null,
    });
  }
  // Archive last: plans may refer to products and features that were archived after the plans were made.
  for (const product of seed.products) if (product.archived) markArchived(store.productByIdentifier(product.identifier));
  for (const feature of seed.features) if (feature.archived) markArchived(store.featureByIdentifier(feature.identifier));

  if (problems.length) {
    store.clear();
    throw new SeedError(problems);
  }
}

/** A DRF error body as `path: message` lines: `versions[0].prices[1].currency: Duplicate ...`. */
function flattenErrors(body: unknown, path = ''): string[] {
  if (typeof body === 'string') return [`${path || '(plan)'}: ${body}`];
  if (Array.isArray(body)) {
    const items = body.every((item) => typeof item === 'string') ? body.map((item) => [path, item] as const) : body.map((item, index) => [`${path}[${index}]`, item] as const);
    return items.flatMap(([at, item]) => flattenErrors(item, at));
  }
  if (body && typeof body === 'object') {
    return Object.entries(body).flatMap(([key, value]) => flattenErrors(value, path ? `${path}.${key}` : key));
  }
  return [`${path}: ${String(body)}`];
}

function markArchived(record: { archived: boolean } | undefined): void {
  if (record) record.archived = true;
}

function loadPlan(store: CatalogStore, seed: SeedDocument['plans'][number]): void {
  const errors = new FieldErrors();
  const product = store.productByIdentifier(seed.product);
  if (!product) errors.add(['product'], `No product with identifier "${seed.product}" in the seed.`);
  if (store.plans.has(seed.identifier)) errors.add(['identifier'], 'plan with this identifier already exists.');
  errors.throwIfAny();
  const published = seed.published ?? false;
  const count = seed.versions.length;
  const plan: PlanRecord = {
    identifier: seed.identifier,
    productId: product!.id,
    archived: seed.archived ?? false,
    publishedVersion: published ? count : count > 1 ? count - 1 : null,
    versions: [],
    stripeProductId: null,
  };
  if (plan.publishedVersion !== null) plan.stripeProductId = `prod_${randomBytes(7).toString('hex')}`;
  for (const [index, version] of seed.versions.entries()) {
    const at = `versions[${index}]`;
    const fields = store.values.planFields(version.name);
    applyPlanFields(fields, parseBody(PlanUpdate, withoutContent(version), versionErrors(at)));
    fields.ordering = seed.ordering ?? fields.ordering;
    if (plan.stripeProductId) fields.details = { stripeProductId: plan.stripeProductId };
    const record: PlanVersion = { version: index + 1, fields, entitlements: [], prices: [], createdOn: nowIso(), modifiedOn: nowIso() };
    const contentErrors = versionErrors(at);
    const named = Object.entries(version.entitlements ?? {});
    const items = named.map(([feature, details]) => ({ feature: store.featureByIdentifier(feature)?.id ?? feature, details }));
    if (items.length) {
      const body = parseBody(EntitlementAdd, { planEntitlements: items }, contentErrors);
      record.entitlements = entitlementsToAdd(store, [], body.planEntitlements, contentErrors, (i) => ['entitlements', named[i]![0]]);
    }
    const prices = (version.prices ?? []).map((price) => withFeatureIds(store, price));
    const body = parseBody(PriceBulk, { prices }, contentErrors);
    record.prices = pricesToStore(store, plan, body.prices, contentErrors);
    contentErrors.throwIfAny();
    plan.versions.push(record);
  }
  store.plans.set(plan.identifier, plan);
}

function versionErrors(at: string): FieldErrors {
  return new FieldErrors([at]);
}

function withoutContent(version: SeedDocument['plans'][number]['versions'][number]): JsonObject {
  const { entitlements: _entitlements, prices: _prices, ...fields } = version;
  return fields;
}

/** Seed prices name features by identifier; the API's body takes UUIDs. */
function withFeatureIds(store: CatalogStore, price: JsonObject): JsonObject {
  if (!Array.isArray(price.chargeCatalogPrice)) return price;
  return {
    ...price,
    chargeCatalogPrice: (price.chargeCatalogPrice as JsonObject[]).map((item) =>
      typeof item.feature === 'string' ? { ...item, feature: store.featureByIdentifier(item.feature)?.id ?? item.feature } : item,
    ),
  };
}

/** The store as a seed document (server ids dropped; defaults kept, which load back unchanged). */
export function exportSeed(store: CatalogStore): SeedDocument {
  const featureIdentifier = (id: string) => store.features.get(id)?.identifier ?? id;
  return {
    products: [...store.products.values()].map((product) => ({
      id: product.id,
      identifier: product.identifier,
      name: product.name,
      description: product.description,
      taxCode: product.taxCode,
      archived: product.archived,
      ...(product.settings ? { settings: { ...product.settings } } : {}),
    })),
    features: [...store.features.values()].map((feature) => ({
      id: feature.id,
      identifier: feature.identifier,
      name: feature.name,
      description: feature.description,
      featureType: feature.featureType,
      featureDetails: structuredClone(feature.featureDetails),
      meter: structuredClone(feature.meter),
      metadata: structuredClone(feature.metadata),
      archived: feature.archived,
    })),
    subscriptions: store.subscriptions.map((subscription) => ({ ...subscription })),
    plans: [...store.plans.values()].map((plan) => {
      const newest = store.newestVersion(plan);
      return {
        identifier: plan.identifier,
        product: store.products.get(plan.productId)?.identifier ?? plan.productId,
        ordering: newest.fields.ordering,
        archived: plan.archived,
        published: store.isPublished(plan, newest),
        versions: plan.versions.map((version) => ({
          name: version.fields.name,
          description: version.fields.description,
          metadata: structuredClone(version.fields.metadata),
          isVisible: version.fields.isVisible,
          license: structuredClone(version.fields.license),
          links: structuredClone(version.fields.links),
          entitlements: Object.fromEntries(version.entitlements.map((e) => [featureIdentifier(e.featureId), structuredClone(e.details)])),
          prices: version.prices.map((price) => exportPrice(price, featureIdentifier)),
        })),
      };
    }),
  };
}

function exportPrice(price: JsonObject, featureIdentifier: (id: string) => string): JsonObject {
  const { id: _id, ...rest } = structuredClone(price);
  const items = Array.isArray(rest.chargeCatalogPrice) ? (rest.chargeCatalogPrice as JsonObject[]) : [];
  rest.chargeCatalogPrice = items.map(({ id: _itemId, ...item }) => ({
    ...item,
    feature: typeof item.feature === 'string' ? featureIdentifier(item.feature) : null,
    charges: Array.isArray(item.charges) ? (item.charges as JsonObject[]).map(({ id: _chargeId, ...charge }) => charge) : [],
  }));
  return rest;
}
