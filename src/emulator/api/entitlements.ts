/**
 * Plan entitlements. The POST body names features by UUID; the PATCH/DELETE paths by identifier slug.
 * Validation (including the value's type against the feature's type) runs before any draft is created.
 */
import { nowIso } from '../model/ids.js';
import type { EntitlementRecord, FeatureRecord, JsonObject, PlanRecord, PlanVersion } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { FieldErrors, notFound, parseBody } from './errors.js';
import { paginate } from './pagination.js';
import { json, noContent, param, type Route, type RouteContext } from './route.js';
import { livePlan, refuseOlderVersionWrite, requestedVersion } from './plans.js';
import { EntitlementAdd, EntitlementPatch } from './schemas.js';
import { entitlementWire, planWire } from './serialize.js';

/** Why `details` does not fit the feature's type, or null. */
export function valueProblem(feature: FeatureRecord, details: JsonObject): string | null {
  const { value } = details;
  if (feature.featureType === 'BOOLEAN') {
    return typeof value === 'boolean' ? null : `Feature ${feature.identifier} is BOOLEAN: value must be true or false.`;
  }
  if (details.hasUnlimitedUsage === true && (value === undefined || value === null)) return null;
  return typeof value === 'number'
    ? null
    : `Feature ${feature.identifier} is ${feature.featureType}: value must be a number (or set hasUnlimitedUsage to true).`;
}

/**
 * Validates a batch of `{feature: uuid, details}` against the version it would be added to and returns the
 * records to append. Problems go to `errors` under `pathOf(i)` (the request body's `planEntitlements[i]`).
 */
export function entitlementsToAdd(
  store: CatalogStore,
  current: readonly EntitlementRecord[],
  items: ReadonlyArray<{ feature: string; details: JsonObject }>,
  errors: FieldErrors,
  pathOf: (index: number) => PropertyKey[] = (index) => ['planEntitlements', index],
): EntitlementRecord[] {
  const taken = new Set(current.map((entitlement) => entitlement.featureId));
  const added: EntitlementRecord[] = [];
  items.forEach((item, index) => {
    const feature = store.features.get(item.feature);
    if (!feature || feature.archived) {
      errors.add([...pathOf(index), 'feature'], `Invalid pk "${item.feature}" - object does not exist.`);
      return;
    }
    if (taken.has(feature.id)) {
      errors.add([...pathOf(index), 'feature'], `Feature ${feature.identifier} is already on this plan.`);
      return;
    }
    taken.add(feature.id);
    const problem = valueProblem(feature, item.details);
    if (problem) errors.add([...pathOf(index), 'details', 'value'], problem);
    added.push({ featureId: feature.id, details: store.values.entitlementDetails(item.details, feature.featureType) });
  });
  return added;
}

/** The entitlement for a feature slug on the newest version; 404 when the plan does not have it. */
function entitlementBySlug(store: CatalogStore, version: PlanVersion, slug: string): { entitlement: EntitlementRecord; feature: FeatureRecord } {
  for (const entitlement of version.entitlements) {
    const feature = store.features.get(entitlement.featureId);
    if (feature?.identifier === slug) return { entitlement, feature };
  }
  throw notFound();
}

function newestEntitlement(context: RouteContext): { plan: PlanRecord; feature: FeatureRecord; details: JsonObject } {
  const plan = livePlan(context);
  refuseOlderVersionWrite(context, plan);
  const { entitlement, feature } = entitlementBySlug(context.store, context.store.newestVersion(plan), param(context, 'feature_id'));
  return { plan, feature, details: entitlement.details };
}

/** The same entitlement in the version a write goes to (a fresh draft holds copies). */
function inWritableVersion(store: CatalogStore, plan: PlanRecord, featureId: string): { version: PlanVersion; index: number } {
  const version = store.versionForWrite(plan);
  const index = version.entitlements.findIndex((entitlement) => entitlement.featureId === featureId);
  return { version, index };
}

export const entitlementRoutes: Route[] = [
  {
    method: 'GET',
    template: '/catalog/plans/{identifier}/features/',
    handle(context) {
      const plan = livePlan(context);
      const version = requestedVersion(context, plan);
      const page = paginate(version.entitlements, context.url);
      return json({ ...page, results: page.results.map((entitlement) => entitlementWire(context.store, entitlement)) });
    },
  },
  {
    method: 'POST',
    template: '/catalog/plans/{identifier}/features/',
    handle(context) {
      const { store } = context;
      const plan = livePlan(context);
      refuseOlderVersionWrite(context, plan);
      const errors = new FieldErrors();
      const input = parseBody(EntitlementAdd, context.body, errors);
      const added = entitlementsToAdd(store, store.newestVersion(plan).entitlements, input.planEntitlements, errors);
      errors.throwIfAny();
      const version = store.versionForWrite(plan);
      version.entitlements.push(...added);
      version.modifiedOn = nowIso();
      return json(planWire(plan, version), 201);
    },
  },
  {
    method: 'PATCH',
    template: '/catalog/plans/{identifier}/features/{feature_id}/',
    handle(context) {
      const { plan, feature, details } = newestEntitlement(context);
      const input = parseBody(EntitlementPatch, context.body);
      const merged = { ...structuredClone(details), ...input.details };
      const problem = valueProblem(feature, merged);
      if (problem) {
        const errors = new FieldErrors();
        errors.add(['details', 'value'], problem);
        errors.throwIfAny();
      }
      const { version, index } = inWritableVersion(context.store, plan, feature.id);
      version.entitlements[index] = { featureId: feature.id, details: merged };
      version.modifiedOn = nowIso();
      return json({ details: structuredClone(merged) });
    },
  },
  {
    method: 'DELETE',
    template: '/catalog/plans/{identifier}/features/{feature_id}/',
    handle(context) {
      const { plan, feature } = newestEntitlement(context);
      const { version, index } = inWritableVersion(context.store, plan, feature.id);
      version.entitlements.splice(index, 1);
      version.modifiedOn = nowIso();
      return noContent();
    },
  },
];
