/** A plan's `prices:` entries, down to charges and tiers. Field names are the API's. */
import { z } from 'zod';
import { CHARGE_PERIODS, PAYMENT_TYPES, PRICE_MODELS, PRICE_TYPES, RESETS, TAX_BEHAVIORS } from '../../client/wire-enums.js';
import { currencyCode, money, reference, resetTimeDescription, rollover, usageAlerts } from './common.js';

export const UNBOUNDED = 'inf';

export const tierInput = z
  .strictObject({
    upTo: z
      .union([
        z.number().int().positive().describe('Upper bound of the tier (inclusive).'),
        z.literal(UNBOUNDED).describe('Unbounded: only the last tier.'),
      ])
      .describe('Upper bound of this tier: a positive whole number, or `inf` for the last, unbounded tier. Ascending.'),
    unitAmount: money.optional().describe('Price per unit within this tier.'),
    flatAmount: money.optional().describe('Fixed price for reaching this tier.'),
  })
  .describe('One tier of a TIERED, VOLUME or STAIRSTEP charge.');

export const priceDataInput = z
  .strictObject({
    amount: money.optional().describe('FLAT and PACKAGE, required: the price (per package for PACKAGE).'),
    block_size: z.number().int().positive().optional().describe('PACKAGE: units per package.'),
    currency: currencyCode.optional().describe("TIERED, VOLUME, STAIRSTEP: the price's currency (must match it)."),
  })
  .describe('FLAT/PACKAGE: `{ amount, block_size? }`. TIERED/VOLUME/STAIRSTEP: `{ currency }` or nothing.');

export const chargeInput = z
  .strictObject({
    chargePeriod: z.enum(CHARGE_PERIODS).optional().describe('How often this is charged. One charge per period in a charge-catalog price.'),
    priceData: priceDataInput.optional(),
    tiers: z.array(tierInput).optional().describe('TIERED, VOLUME and STAIRSTEP, required: tiers in ascending `upTo`, the last usually `inf`.'),
    advanced: z
      .strictObject({
        min_quantity: z.number().int().nonnegative().optional().describe('Fewest units a customer can buy.'),
        max_quantity: z.number().int().positive().optional().describe('Most units a customer can buy.'),
      })
      .optional()
      .describe('FLAT charges on a feature only: `{ min_quantity, max_quantity }`.'),
  })
  .describe('One charge: an amount (FLAT, PACKAGE) or tiers (TIERED, VOLUME, STAIRSTEP) billed every `chargePeriod`.');

export const chargeCatalogPriceInput = z
  .strictObject({
    feature: reference('feature', 'Feature identifier this pricing is for. Leave out (or null) for the flat plan fee.')
      .nullish()
      .transform((feature) => feature ?? null),
    priceModel: z
      .enum(PRICE_MODELS)
      .describe('FLAT: a fixed amount. PACKAGE: per block of units. TIERED, VOLUME, STAIRSTEP: by tiers of usage. All but FLAT need a `feature`.'),
    reset: z.enum(RESETS).optional().describe('How often the priced allowance resets.'),
    resetTime: z.string().nullable().optional().describe(resetTimeDescription),
    hasUnlimitedUsage: z.boolean().optional().describe('Usage of this feature is not capped.'),
    paymentType: z
      .enum(PAYMENT_TYPES)
      .optional()
      .describe('ADVANCE_COMMITMENT: bought up front. PAY_AS_YOU_GO: billed on usage at the end of the period.'),
    rollover: rollover.optional(),
    usageAlerts: usageAlerts.optional(),
    charges: z.array(chargeInput).min(1, { error: 'needs at least one charge' }).describe('The charges, one per charge period.'),
  })
  .describe('Pricing for one feature, or for the plan itself (the plan fee) when `feature` is left out.');

export const priceInput = z
  .strictObject({
    priceType: z.enum(PRICE_TYPES).describe('FREE, PAID (needs `currency` and charges) or CUSTOM (contact sales).'),
    currency: currencyCode.optional().describe('ISO 4217 code, e.g. USD. Required for PAID; one PAID price per currency.'),
    freeTrial: z.boolean().optional().describe('Offer a free trial (set `trialPeriod`).'),
    trialPeriod: z.number().int().nonnegative().optional().describe('Trial length in days.'),
    enabled: z.boolean().optional().describe('Whether this price can be bought.'),
    taxBehavior: z.enum(TAX_BEHAVIORS).optional().describe('Whether amounts include tax.'),
    chargeCatalogPrice: z.array(chargeCatalogPriceInput).optional().describe('What is charged: the plan fee (no `feature`) and per-feature pricing.'),
  })
  .describe('One price of the plan, in one currency.');
