/**
 * The in-memory catalog and the versioning rule every plan write goes through (`versionForWrite`).
 * Operations run synchronously inside one request, so each one is atomic with respect to other requests.
 */
import { newId, nowIso } from './ids.js';
import { EMULATOR_DEFAULTS, type ServerValues } from './server-values.js';
import type { FeatureRecord, PlanRecord, PlanVersion, ProductRecord, ProductSettingsRecord, PublishRecord, SubscriptionRecord } from './records.js';

export class CatalogStore {
  /** Insertion-ordered; lists serve them in creation order. */
  readonly products = new Map<string, ProductRecord>();
  readonly features = new Map<string, FeatureRecord>();
  /** Keyed by plan identifier, which is stable across versions. */
  readonly plans = new Map<string, PlanRecord>();
  /** Every successful publish, oldest first. The same array for the store's lifetime (tests hold on to it). */
  readonly publishLog: PublishRecord[] = [];
  /** Seeded only (the API has no write for them); served by GET /subscriptions/ in this order. */
  readonly subscriptions: SubscriptionRecord[] = [];

  /** What the server stores for fields a client leaves out (see `server-values.ts`); fixed for the store's life. */
  constructor(readonly values: ServerValues = EMULATOR_DEFAULTS) {}

  clear(): void {
    this.products.clear();
    this.features.clear();
    this.plans.clear();
    this.publishLog.length = 0;
    this.subscriptions.length = 0;
  }

  productByIdentifier(identifier: string): ProductRecord | undefined {
    for (const product of this.products.values()) if (product.identifier === identifier) return product;
    return undefined;
  }

  featureByIdentifier(identifier: string): FeatureRecord | undefined {
    for (const feature of this.features.values()) if (feature.identifier === identifier) return feature;
    return undefined;
  }

  /** Settings are created with defaults the first time anyone needs them, as the real API does. */
  settingsOf(product: ProductRecord): ProductSettingsRecord {
    product.settings ??= this.values.productSettings();
    return product.settings;
  }

  newestVersion(plan: PlanRecord): PlanVersion {
    const newest = plan.versions.at(-1);
    if (!newest) throw new Error(`plan ${plan.identifier} has no versions`);
    return newest;
  }

  isPublished(plan: PlanRecord, version: PlanVersion): boolean {
    return plan.publishedVersion === version.version;
  }

  /**
   * The version a write must change: the newest one if it is a draft; otherwise a new draft N+1 copied from
   * the published newest (entitlements and prices copied, their server ids fresh). Call only after the write
   * has been validated, so a rejected write never leaves a stray draft behind.
   */
  versionForWrite(plan: PlanRecord): PlanVersion {
    const newest = this.newestVersion(plan);
    if (!this.isPublished(plan, newest)) return newest;
    const at = nowIso();
    const draft: PlanVersion = {
      version: newest.version + 1,
      fields: structuredClone(newest.fields),
      entitlements: structuredClone(newest.entitlements),
      prices: newest.prices.map(withFreshPriceIds),
      createdOn: at,
      modifiedOn: at,
    };
    plan.versions.push(draft);
    return draft;
  }
}

/** A deep copy of a stored price with new ids for the price, its charge-catalog prices and their charges. */
export function withFreshPriceIds(price: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(price);
  copy.id = newId();
  const items = Array.isArray(copy.chargeCatalogPrice) ? (copy.chargeCatalogPrice as Record<string, unknown>[]) : [];
  for (const item of items) {
    item.id = newId();
    const charges = Array.isArray(item.charges) ? (item.charges as Record<string, unknown>[]) : [];
    for (const charge of charges) charge.id = newId();
  }
  return copy;
}
