/**
 * One entitlement: the value of `entitlements.<feature>` on a plan. Written either in full or as a shorthand;
 * the output is always the full `EntitlementDetails` of the model:
 *
 *   sso: true            → { value: true }
 *   seats: 5             → { value: 5 }
 *   api-calls: unlimited → { hasUnlimitedUsage: true }
 *   storage: { value: 100, reset: EVERY_MONTH }  (as is)
 */
import { z } from 'zod';
import { RESETS } from '../../client/wire-enums.js';
import type { EntitlementDetails } from '../model.js';
import { resetTimeDescription, rollover, usageAlerts } from './common.js';

export const UNLIMITED = 'unlimited';

export const entitlementDetailsInput = z
  .strictObject({
    value: z
      .union([z.boolean(), z.number().nonnegative()])
      .optional()
      .describe('true/false for a BOOLEAN feature; a number for CUSTOMIZABLE and METER features.'),
    hasUnlimitedUsage: z.boolean().optional().describe('No limit (CUSTOMIZABLE and METER features). `value` is then ignored.'),
    reset: z.enum(RESETS).optional().describe('How often a METER allowance resets.'),
    resetTime: z.string().nullable().optional().describe(resetTimeDescription),
    rollover: rollover.optional(),
    usageAlerts: usageAlerts.optional(),
    hardLimit: z.boolean().optional().describe('Block usage beyond the allowance instead of letting it run over.'),
  })
  .describe('Entitlement details in full. Only keys written here are managed.');

function expandEntitlement(input: boolean | number | typeof UNLIMITED | z.output<typeof entitlementDetailsInput>): EntitlementDetails {
  if (input === UNLIMITED) return { hasUnlimitedUsage: true };
  if (typeof input === 'boolean' || typeof input === 'number') return { value: input };
  return input;
}

export const entitlementInput = z
  .union([
    z.boolean().describe('Shorthand for `{ value: true|false }` (BOOLEAN features).'),
    z.number().nonnegative().describe('Shorthand for `{ value: <number> }` (CUSTOMIZABLE and METER features).'),
    z.literal(UNLIMITED).describe('Shorthand for `{ hasUnlimitedUsage: true }`.'),
    entitlementDetailsInput,
  ])
  .transform(expandEntitlement)
  .describe('What the plan grants for this feature: true/false, a number, `unlimited`, or the full details.');
