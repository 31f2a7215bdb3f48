/**
 * Building blocks shared by the file-format schemas: identifiers, currencies, URLs, free-form objects, the small
 * objects the API uses in several places (usage alerts, rollover).
 *
 * These are INPUT schemas: what a person writes. Their output is the canonical model (model.ts). The JSON Schema
 * for editors is generated from the very same objects, so every `description` here shows on hover.
 */
import { z } from 'zod';
import { THRESHOLD_TYPES } from '../../client/wire-enums.js';

export const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

const identifierMessage = (what: string) =>
  `${what} must be a slug of lowercase letters, digits, "-" and "_", starting with a letter or digit (pattern ^[a-z0-9][a-z0-9_-]*$)`;

/** A slug declaring something (`identifier:`). */
export function identifier(what: string, description: string) {
  return z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, { error: identifierMessage(what) }).describe(description);
}

/** A slug referring to something declared elsewhere in the catalog. Never a UUID. */
export function reference(kind: 'product' | 'feature', description: string) {
  return z
    .string()
    .regex(IDENTIFIER_PATTERN, { error: `${identifierMessage(`a ${kind} reference`)}; use the ${kind}'s identifier, not its UUID` })
    .describe(description);
}

/** Feature identifiers used as map keys (entitlements). */
export const featureKey = z.string().regex(IDENTIFIER_PATTERN, { error: identifierMessage('an entitlement key (a feature identifier)') });

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, {
    error: (issue) => {
      const input = typeof issue.input === 'string' ? issue.input : '';
      const hint = /^[a-zA-Z]{3}$/.test(input) ? `; did you mean "${input.toUpperCase()}"?` : '';
      return `currency must be a three-letter ISO 4217 code in capitals, e.g. USD, EUR, GBP, INR${hint}`;
    },
  });

// The protocol check is zod's; the JSON Schema's `format: uri` alone would let ftp:// through in editors, so the
// same restriction is repeated there as a pattern.
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' }).meta({ pattern: '^https?://' });

export const nonEmptyText = z.string().min(1, { error: 'must not be empty' });

/** Free-form JSON object kept verbatim (metadata). */
export const freeObject = z.record(z.string(), z.unknown());

export const money = z.number().nonnegative().describe('An amount in the price\'s currency (major units, e.g. 29.99).');

export const usageAlerts = z
  .strictObject({
    enabled: z.boolean().optional().describe('Whether usage alerts are sent.'),
    thresholds: z
      .array(z.number().nonnegative())
      .optional()
      .describe('Alert thresholds: percentages 1-100 for PERCENTAGE, absolute usage values for BALANCE.'),
    thresholdType: z.enum(THRESHOLD_TYPES).optional().describe('PERCENTAGE: thresholds are percentages of the limit (1-100). BALANCE: absolute usage values.'),
  })
  .describe('Usage alerts: `{ enabled, thresholds, thresholdType }`.');

export const rollover = z
  .strictObject({
    enabled: z.boolean().optional().describe('Carry unused allowance over to the next period.'),
    percentage: z.number().min(0).max(100).optional().describe('Share of the unused allowance carried over (0-100).'),
    limit: z.number().nonnegative().optional().describe('Most that can be carried over.'),
  })
  .describe('Rollover of unused allowance: `{ enabled, percentage, limit }`.');

export const resetTimeDescription =
  'When in the period the allowance resets, e.g. BEGINNING_OF_PERIOD; null for no specific time.';
