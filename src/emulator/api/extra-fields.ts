/**
 * `extraFields: true`: every object the emulator returns in a successful answer carries fields the spec does not
 * list, at every level, and charges carry the server-owned fields the spec shows charges with elsewhere. Real
 * responses are open (the spec's schemas close nothing, and the product-offering endpoint returns charges with
 * `id`, `details` and `featureQuantityPrice`, see the spec's `Charge` schema), so a client that copies what it
 * reads into files or request bodies, instead of picking the fields it knows, is caught here.
 *
 * Which objects: those whose schema (spec/kelviq-openapi.extract.json) lists properties (products, settings,
 * features, plans, licenses, links, entitlements and their details, usage alerts, prices, charge-catalog prices,
 * charges, tiers, page envelopes), and the open objects the server owns (`readOnly`: plan and feature `details`).
 * Open objects the client owns (metadata, featureDetails, meter, rollover, priceData, advanced) come back as
 * stored: a server does not write into a client's own maps.
 */
import { newId } from '../model/ids.js';
import type { JsonObject } from '../model/records.js';
import { refName, resolveSchema, responseSchema, type JsonSchema } from '../spec/extract.js';
import type { Reply, Route } from './route.js';

/** Unknown to the spec: a plain marker, and a nested object under a name a future API version might use. */
export const EXTRA_FIELDS: Readonly<JsonObject> = Object.freeze({
  x_emulator_extra: 'a field the Kelviq API spec does not list',
  billingAnchor: { unit: 'MONTH', day: 1 },
});

/**
 * The fields the spec's `Charge` (product offering) has and `PlanCharge` lacks, valued as its example shows them:
 * the charge's server id, an empty `details`, and `featureQuantityPrice` equal to the flat amount.
 */
export function chargeServerFields(charge: JsonObject): JsonObject {
  const amount = Number((charge.priceData as JsonObject | undefined)?.amount);
  return {
    id: typeof charge.id === 'string' ? charge.id : newId(),
    details: {},
    featureQuantityPrice: Number.isFinite(amount) ? amount : 0,
  };
}

/** Responses the spec documents by example only. */
const EXAMPLE_ONLY: Record<string, JsonSchema> = {
  // `{"details": {"value": 20000, "hasUnlimitedUsage": false}}`: an entitlement's details.
  'PATCH /catalog/plans/{identifier}/features/{feature_id}/': { type: 'object', properties: { details: { $ref: '#/components/schemas/PlanEntitlementDetails' } } },
};

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

export function withExtraFields(route: Route, reply: Reply): Reply {
  if (reply.body === undefined || reply.status >= 300) return reply;
  const schema = responseSchema(route.method, route.template, reply.status) ?? EXAMPLE_ONLY[`${route.method} ${route.template}`];
  return { ...reply, body: decorate(schema, reply.body, undefined) };
}

function decorate(schema: JsonSchema | undefined, value: unknown, name: string | undefined): unknown {
  const resolved = resolveSchema(schema);
  if (!resolved) return value;
  if (Array.isArray(value)) {
    const items = resolved.items as JsonSchema | undefined;
    return value.map((item) => decorate(items, item, refName(items)));
  }
  if (!isObject(value)) return value;
  const properties = isObject(resolved.properties) ? (resolved.properties as Record<string, JsonSchema>) : undefined;
  if (!properties && resolved.readOnly !== true) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) out[key] = properties?.[key] ? decorate(properties[key], inner, refName(properties[key])) : inner;
  if (name === 'PlanCharge') Object.assign(out, chargeServerFields(value));
  return { ...out, ...structuredClone(EXTRA_FIELDS) };
}
