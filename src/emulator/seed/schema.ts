/**
 * The seed file: an initial catalog for the emulator (option `seed`/`seedFile`, `loadSeed`, `POST /__emulator/seed`).
 * Everything is referenced by identifier; UUIDs are optional and generated when absent. Contents are checked by
 * the same rules as the API (a seed the API would refuse is refused), except that archived features may still
 * appear in plans, as they do in a real account. Example: `src/emulator/seed.example.json`.
 *
 * {
 *   "products": [{ "identifier": "acme", "name": "Acme", "taxCode": "saas",        // ProductCreateRequest
 *                  "id"?: uuid, "description"?: "", "archived"?: false,
 *                  "settings"?: { "currency": "USD", "vpn": true, ... } }],         // ProductSettings
 *   "features": [{ "identifier": "seats", "name": "Seats", "featureType": "CUSTOMIZABLE",  // FeatureCreateRequest
 *                  "id"?: uuid, "featureDetails"?: {}, "meter"?: {}, "metadata"?: {}, "archived"?: false }],
 *   "plans": [{ "identifier": "pro", "product": "acme",                               // product *identifier*
 *               "ordering"?: 1, "archived"?: false,
 *               "published"?: false,   // is the newest version published? Older versions always were.
 *               "versions": [{                                                      // version 1, 2, ... in order
 *                 "name": "Pro", "description"?, "metadata"?, "isVisible"?, "license"?, "links"?,
 *                 "entitlements"?: { "<feature identifier>": { "value": 10, ... } },
 *                 "prices"?: [ PlanPriceCreateRequest, with chargeCatalogPrice[].feature a feature
 *                              *identifier* (or null for the plan fee) ]
 *               }] }],
 *   "subscriptions"?: [{ "customerId": "c-1", "plan": "pro", "status": "active",     // plan *identifier*
 *                        "id"?: uuid, "amount"?: "29.00", "currency"?: "usd", "startDate"?: "2025-01-01", "endDate"?: null }]
 * }
 */
import { z } from 'zod';
import { FEATURE_TYPES, TAX_CODES } from '../../client/wire.js';

const jsonObject = z.record(z.string(), z.unknown());

export const SeedProductSettings = z.object({
  vpn: z.boolean().optional(),
  tor: z.boolean().optional(),
  proxy: z.boolean().optional(),
  currency: z.string().optional(),
  productUrl: z.string().nullable().optional(),
});

export const SeedProduct = z.object({
  id: z.uuid().optional(),
  identifier: z.string(),
  name: z.string(),
  description: z.string().optional(),
  taxCode: z.enum(TAX_CODES),
  archived: z.boolean().optional(),
  settings: SeedProductSettings.optional(),
});

export const SeedFeature = z.object({
  id: z.uuid().optional(),
  identifier: z.string(),
  name: z.string(),
  description: z.string().optional(),
  featureType: z.enum(FEATURE_TYPES),
  featureDetails: jsonObject.optional(),
  meter: jsonObject.optional(),
  metadata: jsonObject.optional(),
  archived: z.boolean().optional(),
});

export const SeedPlanVersion = z.object({
  name: z.string(),
  description: z.string().optional(),
  metadata: jsonObject.optional(),
  isVisible: z.boolean().optional(),
  license: jsonObject.optional(),
  links: z.array(jsonObject).optional(),
  entitlements: z.record(z.string(), jsonObject).optional(),
  /** Checked like a prices bulk body once feature identifiers are UUIDs. */
  prices: z.array(jsonObject).optional(),
});

export const SeedPlan = z.object({
  identifier: z.string(),
  product: z.string(),
  ordering: z.int().nullable().optional(),
  archived: z.boolean().optional(),
  published: z.boolean().optional(),
  versions: z.array(SeedPlanVersion).min(1),
});

/** A subscription (served by GET /subscriptions/); `plan` is a plan identifier of the seed. */
export const SeedSubscription = z.object({
  id: z.uuid().optional(),
  customerId: z.string(),
  plan: z.string(),
  /** The spec's status is a free string; its listSubscriptions names `active`, `trialing`, `past_due`, `canceled`, ... */
  status: z.string(),
  amount: z.string().optional(),
  currency: z.string().optional(),
  startDate: z.iso.date().optional(),
  endDate: z.iso.date().nullable().optional(),
});

export const SeedDocument = z.object({
  products: z.array(SeedProduct).default([]),
  features: z.array(SeedFeature).default([]),
  plans: z.array(SeedPlan).default([]),
  subscriptions: z.array(SeedSubscription).default([]),
});
export type SeedDocument = z.infer<typeof SeedDocument>;
export type SeedDocumentInput = z.input<typeof SeedDocument>;

export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid emulator seed:\n  ${problems.join('\n  ')}`);
  }
}

export function parseSeed(json: unknown): SeedDocument {
  const parsed = SeedDocument.safeParse(json);
  if (!parsed.success) {
    throw new SeedError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`));
  }
  return parsed.data;
}
