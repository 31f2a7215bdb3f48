/**
 * What the emulator keeps in memory. Records hold the server's view (archived flags, version history,
 * server-owned ids); `api/serialize.ts` turns them into the wire shapes of the spec.
 */
import type { FEATURE_TYPES, TAX_CODES } from '../../client/wire.js';

export type JsonObject = Record<string, unknown>;
export type TaxCode = (typeof TAX_CODES)[number];
export type FeatureType = (typeof FEATURE_TYPES)[number];

export interface ProductSettingsRecord {
  vpn: boolean;
  tor: boolean;
  proxy: boolean;
  currency: string;
  productUrl: string | null;
}

export interface ProductRecord {
  id: string;
  identifier: string;
  name: string;
  description: string;
  taxCode: TaxCode;
  createdBy: string;
  modifiedOn: string;
  archived: boolean;
  /** Null until first read or write: the real API creates settings lazily. */
  settings: ProductSettingsRecord | null;
}

export interface FeatureRecord {
  id: string;
  identifier: string;
  name: string;
  description: string;
  featureType: FeatureType;
  featureDetails: JsonObject;
  meter: JsonObject;
  metadata: JsonObject;
  details: JsonObject;
  archived: boolean;
  modifiedOn: string;
}

export type PlanLink = { name: string; url: string };

/** The per-version plan fields (everything in CatalogPlan except identity and version bookkeeping). */
export interface PlanFields {
  name: string;
  description: string;
  metadata: JsonObject;
  isVisible: boolean;
  license: JsonObject;
  links: PlanLink[];
  files: JsonObject[];
  countries: string[];
  ordering: number | null;
  isImported: boolean;
  details: JsonObject;
}

export interface EntitlementRecord {
  featureId: string;
  /** Full details as served: client values merged over the values the emulator fills in (its own choice; Kelviq documents none). */
  details: JsonObject;
}

export interface PlanVersion {
  version: number;
  fields: PlanFields;
  entitlements: EntitlementRecord[];
  /** Stored in wire shape, server ids and defaults included. */
  prices: JsonObject[];
  createdOn: string;
  modifiedOn: string;
}

export interface PlanRecord {
  identifier: string;
  productId: string;
  archived: boolean;
  /** The version customers see (`isLatest=true`); null while the plan was never published. */
  publishedVersion: number | null;
  /** Ascending by version; the last one is the newest. Never empty. */
  versions: PlanVersion[];
  /** Assigned on first publish and kept across versions, like a billing provider's product id. */
  stripeProductId: string | null;
}

export interface PublishRecord {
  identifier: string;
  version: number;
  updateFeatures: boolean;
  updatePricing: boolean;
  at: string;
}

/** A customer's subscription to a plan (by identifier, as the spec's Subscription names it), seeded, never written. */
export interface SubscriptionRecord {
  id: string;
  customerId: string;
  /** Plan identifier. */
  plan: string;
  /** The spec's free-form status: `active`, `trialing`, `past_due`, `canceled`, ... */
  status: string;
  amount: string;
  currency: string;
  startDate: string;
  endDate: string | null;
}
