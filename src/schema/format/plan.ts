/** The `plans:` section of a catalog file. */
import { z } from 'zod';
import { LICENSE_DURATION_UNITS } from '../../client/wire-enums.js';
import { featureKey, freeObject, httpUrl, identifier, nonEmptyText, reference } from './common.js';
import { entitlementInput } from './entitlement.js';
import { priceInput } from './price.js';

export const licenseInput = z
  .strictObject({
    enabled: z.boolean().optional().describe('Issue a license key to subscribers of this plan.'),
    activationLimit: z.number().int().min(1).optional().describe('How many activations a key allows (with `activationLimitEnabled`).'),
    activationLimitEnabled: z.boolean().optional().describe('Enforce `activationLimit`.'),
    durationUnit: z.enum(LICENSE_DURATION_UNITS).optional().describe('Unit of `durationValue` (with `hasExpiry`).'),
    durationValue: z.number().int().min(1).optional().describe('How long a key is valid, in `durationUnit`s.'),
    hasExpiry: z.boolean().optional().describe('Keys expire after `durationValue` `durationUnit`s.'),
  })
  .describe('License keys issued with this plan. Left out: not managed.');

export const planLinkInput = z
  .strictObject({
    name: nonEmptyText.describe('Link text.'),
    url: httpUrl.describe('Absolute http(s) URL.'),
  })
  .describe('A link shown with the plan.');

export const planInput = z
  .strictObject({
    identifier: identifier('a plan identifier', 'Unique slug of the plan. Cannot be changed once created.'),
    product: reference('product', 'Identifier of the product this plan belongs to (declared under `products:`).'),
    name: nonEmptyText.describe('Display name.'),
    description: z.string().optional().describe('Description. Left out: not managed.'),
    isVisible: z.boolean().optional().describe('Shown on pricing tables.'),
    ordering: z.number().int().nonnegative().optional().describe('Position among the product\'s plans. Kelviq sets it only when the plan is created.'),
    metadata: freeObject.optional().describe('Free-form key/values stored with the plan.'),
    license: licenseInput.optional(),
    links: z.array(planLinkInput).optional().describe('Links shown with the plan (the complete list).'),
    entitlements: z
      .record(featureKey, entitlementInput)
      .optional()
      .describe(
        'What the plan grants, keyed by feature identifier. When present it is the COMPLETE set: a feature not listed is removed from the plan. Leave out to leave entitlements alone.',
      ),
    prices: z
      .array(priceInput)
      .optional()
      .describe(
        "The plan's prices. When present it is the COMPLETE set and must not be empty (Kelviq does not publish a plan without a price). Leave out to leave prices alone.",
      ),
  })
  .describe('A plan: what a customer subscribes to.');
