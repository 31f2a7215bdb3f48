/**
 * What the emulator stores for the fields a client leaves out, and for the server-owned fields it fills. The
 * real API stores values of its own there, and documents none of them (see the spec: no `default` anywhere), so
 * the emulator has two answers, chosen at start (`EmulatorOptions.serverValues`):
 * - `emulator-defaults` (the default): the emulator's own picks in `defaults.ts`;
 * - `spec-examples`: each property's `example` in the spec, as an OpenAPI mock server builds a response
 *   (`spec-example-values.ts`). A tool that assumes a default instead of reading it sees different values here.
 */
import {
  EMULATOR_CREATED_BY,
  defaultPlanFields,
  defaultProductSettings,
  entitlementDetailsWithDefaults,
  priceWithDefaults,
  type PriceDefaultsContext,
} from './defaults.js';
import type { FeatureType, JsonObject, PlanFields, ProductSettingsRecord } from './records.js';

export { SERVER_VALUES_MODES, type ServerValuesMode } from './server-values-modes.js';
import type { ServerValuesMode } from './server-values-modes.js';

export interface FeatureFields {
  description: string;
  featureDetails: JsonObject;
  meter: JsonObject;
  metadata: JsonObject;
}

export interface ServerValues {
  readonly mode: ServerValuesMode;
  /** A new product's description (when not sent) and its server-owned `createdBy`. */
  product(): { description: string; createdBy: string };
  /** Settings as first created (lazily, on first read or write). */
  productSettings(): ProductSettingsRecord;
  /** A new feature's fields, for those a create leaves out. */
  feature(featureType: FeatureType): FeatureFields;
  /** A new plan's version fields, before the client's are applied over them. */
  planFields(name: string): PlanFields;
  /** Entitlement details as stored: the client's over the server's. */
  entitlementDetails(details: JsonObject, featureType: FeatureType): JsonObject;
  /** A validated price body → the stored price (server ids added at every level). */
  price(body: JsonObject, context: PriceDefaultsContext): JsonObject;
}

export const EMULATOR_DEFAULTS: ServerValues = {
  mode: 'emulator-defaults',
  product: () => ({ description: '', createdBy: EMULATOR_CREATED_BY }),
  productSettings: defaultProductSettings,
  feature: () => ({ description: '', featureDetails: {}, meter: {}, metadata: {} }),
  planFields: defaultPlanFields,
  entitlementDetails: entitlementDetailsWithDefaults,
  price: priceWithDefaults,
};
