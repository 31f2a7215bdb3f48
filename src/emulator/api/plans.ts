/**
 * Plans: versioned, addressed by identifier. Every write goes through `store.versionForWrite` (draft N+1 over a
 * published newest version); publish promotes the newest draft, discard drops it, DELETE archives all versions.
 */
import { randomBytes } from 'node:crypto';
import { nowIso, slugify } from '../model/ids.js';
import type { PlanFields, PlanRecord, PlanVersion, ProductRecord } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { FieldErrors, businessError, notFound, parseBody } from './errors.js';
import { paginate } from './pagination.js';
import { json, noContent, param, type Route, type RouteContext } from './route.js';
import { PlanCreate, PlanPublish, PlanUpdate } from './schemas.js';
import { planWire } from './serialize.js';
import type { z } from 'zod';

/** A plan that exists and is not archived; 404 otherwise (archived plans are gone for every read and write). */
export function livePlan(context: RouteContext): PlanRecord {
  const plan = context.store.plans.get(param(context, 'identifier'));
  if (!plan || plan.archived) throw notFound();
  return plan;
}

/** `?version=N` when given (404 when the plan has no such version), else the newest version. */
export function requestedVersion(context: RouteContext, plan: PlanRecord): PlanVersion {
  const raw = context.url.searchParams.get('version');
  if (raw === null || raw === '') return context.store.newestVersion(plan);
  if (!/^\d+$/.test(raw.trim())) {
    const errors = new FieldErrors();
    errors.add(['version'], 'A valid integer is required.');
    errors.throwIfAny();
  }
  const version = plan.versions.find((candidate) => candidate.version === Number(raw));
  if (!version) throw notFound();
  return version;
}

/** Writes always go to the newest version; `?version=N` naming an older one is refused rather than ignored. */
export function refuseOlderVersionWrite(context: RouteContext, plan: PlanRecord): void {
  const raw = context.url.searchParams.get('version');
  if (raw === null || raw === '') return;
  const newest = context.store.newestVersion(plan);
  if (Number(raw) !== newest.version) {
    throw businessError(`Only the newest version (${newest.version}) of plan ${plan.identifier} can be changed.`);
  }
}

type PlanWritable = Pick<z.infer<typeof PlanUpdate>, 'name' | 'description' | 'metadata' | 'isVisible' | 'license' | 'links'>;

export function applyPlanFields(fields: PlanFields, input: PlanWritable): void {
  if (input.name !== undefined) fields.name = input.name;
  if (input.description !== undefined) fields.description = input.description;
  if (input.metadata !== undefined) fields.metadata = input.metadata;
  if (input.isVisible !== undefined) fields.isVisible = input.isVisible;
  // PATCH semantics reach into the license: keys not sent keep their values.
  if (input.license !== undefined) fields.license = { ...fields.license, ...input.license };
  if (input.links !== undefined) fields.links = input.links;
}

export function planProduct(store: CatalogStore, productId: string, errors: FieldErrors): ProductRecord | undefined {
  const product = store.products.get(productId);
  if (!product || product.archived) errors.add(['product'], `Invalid pk "${productId}" - object does not exist.`);
  return product;
}

export function createPlan(store: CatalogStore, body: unknown): PlanRecord {
  const errors = new FieldErrors();
  const input = parseBody(PlanCreate, body, errors);
  const product = planProduct(store, input.product, errors);
  const identifier = input.identifier ?? slugify(input.name);
  if (!identifier) errors.add(['identifier'], 'Could not derive an identifier from the name; send one.');
  // Archived plans keep their identifier: it stays taken.
  else if (store.plans.has(identifier)) errors.add(['identifier'], 'plan with this identifier already exists.');
  errors.throwIfAny();
  const fields = store.values.planFields(input.name);
  applyPlanFields(fields, input);
  fields.ordering = input.ordering ?? fields.ordering;
  const at = nowIso();
  const plan: PlanRecord = {
    identifier,
    productId: product!.id,
    archived: false,
    publishedVersion: null,
    versions: [{ version: 1, fields, entitlements: [], prices: [], createdOn: at, modifiedOn: at }],
    stripeProductId: null,
  };
  store.plans.set(identifier, plan);
  return plan;
}

/** Why the newest version cannot be published, or null when it can (the billing provider aside). */
export function publishBlocker(store: CatalogStore, plan: PlanRecord): string | null {
  const newest = store.newestVersion(plan);
  if (store.isPublished(plan, newest)) {
    return `Plan ${plan.identifier} has no draft to publish: version ${newest.version} is already published.`;
  }
  if (newest.prices.length === 0) return `Plan ${plan.identifier} has no price. Add a price before publishing.`;
  const product = store.products.get(plan.productId);
  const currency = product ? store.settingsOf(product).currency.toUpperCase() : undefined;
  const paid = newest.prices.filter((price) => price.priceType === 'PAID');
  if (currency && paid.length && !paid.some((price) => String(price.currency).toUpperCase() === currency)) {
    return `Plan ${plan.identifier} has PAID prices but none in ${currency}, the product's currency. Add a ${currency} price before publishing.`;
  }
  return null;
}

/** Promotes the newest version; the caller has checked `publishBlocker`. */
export function publishNewest(store: CatalogStore, plan: PlanRecord, migrate: { updateFeatures: boolean; updatePricing: boolean }): PlanVersion {
  const newest = store.newestVersion(plan);
  plan.publishedVersion = newest.version;
  plan.stripeProductId ??= `prod_${randomBytes(7).toString('hex')}`;
  newest.fields.details = { ...newest.fields.details, stripeProductId: plan.stripeProductId };
  newest.modifiedOn = nowIso();
  store.publishLog.push({ identifier: plan.identifier, version: newest.version, ...migrate, at: newest.modifiedOn });
  return newest;
}

export const planRoutes: Route[] = [
  {
    method: 'GET',
    template: '/catalog/plans/',
    handle(context) {
      const { store } = context;
      const visible = [...store.plans.values()].filter((plan) => !plan.archived && !store.products.get(plan.productId)?.archived);
      const page = paginate(visible, context.url);
      return json({ ...page, results: page.results.map((plan) => planWire(plan, store.newestVersion(plan))) });
    },
  },
  {
    method: 'POST',
    template: '/catalog/plans/',
    handle(context) {
      const plan = createPlan(context.store, context.body);
      return json(planWire(plan, context.store.newestVersion(plan)), 201);
    },
  },
  {
    method: 'GET',
    template: '/catalog/plans/{identifier}/',
    handle(context) {
      // As Kelviq's notes say: an archived plan keeps its identifier, and a GET by identifier may still return
      // it (marked isArchived, which archiving sets per the spec's DELETE). Every other read and write 404s.
      const plan = context.store.plans.get(param(context, 'identifier'));
      if (!plan) throw notFound();
      return json(planWire(plan, requestedVersion(context, plan)));
    },
  },
  {
    method: 'PATCH',
    template: '/catalog/plans/{identifier}/',
    handle(context) {
      const plan = livePlan(context);
      refuseOlderVersionWrite(context, plan);
      const input = parseBody(PlanUpdate, context.body);
      const version = context.store.versionForWrite(plan);
      applyPlanFields(version.fields, input);
      version.modifiedOn = nowIso();
      return json(planWire(plan, version));
    },
  },
  {
    method: 'DELETE',
    template: '/catalog/plans/{identifier}/',
    handle(context) {
      const plan = context.store.plans.get(param(context, 'identifier'));
      if (!plan) throw notFound();
      if (plan.archived) throw businessError(`Plan ${plan.identifier} is already archived.`);
      plan.archived = true;
      return noContent();
    },
  },
  {
    method: 'POST',
    template: '/catalog/plans/{identifier}/publish/',
    handle(context) {
      const plan = livePlan(context);
      const input = parseBody(PlanPublish, context.body);
      const blocker = publishBlocker(context.store, plan);
      if (blocker) throw businessError(blocker);
      if (!context.runtime.billingProviderConnected()) {
        throw businessError('Billing provider is not connected. Connect Stripe before publishing plans.', 428);
      }
      publishNewest(context.store, plan, { updateFeatures: input.updateFeatures ?? false, updatePricing: input.updatePricing ?? false });
      return json({ status: 'published' });
    },
  },
  {
    method: 'DELETE',
    template: '/catalog/plans/{identifier}/discard/',
    handle(context) {
      const plan = livePlan(context);
      const newest = context.store.newestVersion(plan);
      if (context.store.isPublished(plan, newest)) {
        throw businessError(`Plan ${plan.identifier} has no draft to discard: version ${newest.version} is published.`);
      }
      plan.versions.pop();
      // A plan that was never published has nothing left once its only draft goes.
      if (plan.versions.length === 0) context.store.plans.delete(plan.identifier);
      return noContent();
    },
  },
];
