/** The `features:` section of a catalog file. */
import { z } from 'zod';
import { FEATURE_SUB_TYPES, FEATURE_TYPES } from '../../client/wire-enums.js';
import { freeObject, identifier, nonEmptyText } from './common.js';

export const featureDetailsInput = z
  .strictObject({
    featureSubType: z
      .enum(FEATURE_SUB_TYPES)
      .optional()
      .describe('METER only, required: PRE_AGGREGATED_USAGE (you report usage totals) or RAW_EVENTS (you send events; needs `meter`).'),
    units: z
      .strictObject({
        singular: nonEmptyText.describe('Unit name for one, e.g. "call".'),
        plural: nonEmptyText.describe('Unit name for many, e.g. "calls".'),
      })
      .optional()
      .describe('METER only, required: how the metered unit is called.'),
    customerUnit: z.unknown().optional().describe('Optional unit conversion shown to customers (passed to Kelviq as is).'),
  })
  .describe('Feature configuration. METER features need `featureSubType` and `units`.');

export const meterInput = z
  .strictObject({
    aggregation: z
      .strictObject({
        function: nonEmptyText.describe('Aggregation function applied to matching events, e.g. COUNT or SUM.'),
        field: z.string().optional().describe('Event property aggregated (not needed to count events).'),
      })
      .optional()
      .describe('How matching events are turned into usage: `{ function, field }`.'),
    filters: z
      .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .optional()
      .describe('Which events count (passed to Kelviq as is).'),
  })
  .describe('RAW_EVENTS meters only, required for them: `{ aggregation, filters }`.');

export const featureInput = z
  .strictObject({
    identifier: identifier('a feature identifier', 'Unique slug of the feature; entitlements and charges refer to it. Cannot be changed once created.'),
    name: nonEmptyText.describe('Display name.'),
    description: z.string().optional().describe('Description. Left out: not managed.'),
    featureType: z
      .enum(FEATURE_TYPES)
      .describe('BOOLEAN: on/off. CUSTOMIZABLE: a number per plan (e.g. seats). METER: metered usage. Immutable once created.'),
    featureDetails: featureDetailsInput.optional(),
    meter: meterInput.optional(),
    metadata: freeObject.optional().describe('Free-form key/values stored with the feature.'),
  })
  .describe('A feature plans can grant. Kelviq features cannot be edited after creation, except by archiving.');
