/**
 * `serverValues: 'spec-examples'`: every field a client leaves out is stored as the spec's `example` for that
 * property (spec/kelviq-openapi.extract.json), the way an OpenAPI mock server such as Prism builds a response:
 * a property's own `example` if it has one; else, for an object, one built from its properties' examples; else,
 * for a list, an empty list (a list the spec gives no example of, such as a plan's `files` and `links` or a
 * product's `images`, is empty, which is also what a catalog tool without uploads should expect). Nested objects
 * a client sends in part (a license, usage alerts, a tier) are completed the same way.
 *
 * Not taken from the examples, by judgement (each would turn the mode into something no server does):
 * - identities and references the emulator assigns itself: ids, identifiers, `product`, `feature` (null when
 *   omitted: the plan fee), versions, `isLatest`, timestamps, `isArchived`;
 * - amounts: a tier's omitted `flatAmount`/`unitAmount` is 0 and an omitted `priceData` is `{}`, because the
 *   examples are sample prices (29.99, 0.001 a unit) and charging them would change what customers pay;
 * - a feature's `featureDetails`: its example describes a METER feature, which must send its own; others get {}.
 */
import { newId } from './ids.js';
import type { PriceDefaultsContext } from './defaults.js';
import type { JsonObject, PlanFields, ProductSettingsRecord } from './records.js';
import type { FeatureFields, ServerValues } from './server-values.js';
import { componentSchema, refName, resolveSchema, type JsonSchema } from '../spec/extract.js';

/** Fields the emulator assigns itself in every mode. */
const ASSIGNED = new Set(['id', 'identifier', 'product', 'feature', 'version', 'isLatest', 'modifiedOn', 'createdOn', 'isArchived']);

/** Where the examples are not used (see the module comment), by `Schema.property` (`[]` marks list items). */
const NOT_FROM_EXAMPLES: Record<string, unknown> = {
  'PlanCharge.priceData': {},
  'PlanCharge.tiers[].flatAmount': 0,
  'PlanCharge.tiers[].unitAmount': 0,
  'CatalogFeature.featureDetails': {},
};

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** What a mock server puts in a property: its example, an object built from its properties', or []. */
export function exampleValue(schema: JsonSchema | undefined, at: string): unknown {
  if (at in NOT_FROM_EXAMPLES) return structuredClone(NOT_FROM_EXAMPLES[at]);
  const name = refName(schema);
  const resolved = resolveSchema(schema);
  if (!resolved) return undefined;
  if ('example' in resolved) return structuredClone(resolved.example);
  if (resolved.type === 'array') return [];
  if (isObject(resolved.properties)) return complete(resolved, {}, name ?? at);
  return undefined;
}

/** `value` with every property it lacks taken from the examples, recursively; `at` names the schema. */
export function complete(schema: JsonSchema | undefined, value: JsonObject, at: string): JsonObject {
  const properties = resolveSchema(schema)?.properties as Record<string, JsonSchema> | undefined;
  const out: JsonObject = { ...value };
  for (const [name, property] of Object.entries(properties ?? {})) {
    const where = `${at}.${name}`;
    if (name in value) out[name] = completeNested(property, value[name], refName(property) ?? where);
    else if (!ASSIGNED.has(name)) {
      const example = exampleValue(property, where);
      if (example !== undefined) out[name] = example;
    }
  }
  return out;
}

function completeNested(schema: JsonSchema, value: unknown, at: string): unknown {
  const resolved = resolveSchema(schema);
  if (Array.isArray(value) && resolved?.items) {
    const items = resolved.items as JsonSchema;
    const itemsAt = refName(items) ?? `${at}[]`;
    return value.map((item) => (isObject(item) ? complete(items, item, itemsAt) : item));
  }
  // Only objects whose properties the spec lists are completed; open maps (metadata, rollover) are the client's.
  if (isObject(value) && isObject(resolved?.properties)) return complete(resolved, value, at);
  return value;
}

function example(schemaName: string, property: string): unknown {
  return exampleValue(componentSchema(schemaName).properties?.[property], `${schemaName}.${property}`);
}

export function specExampleValues(): ServerValues {
  const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  return {
    mode: 'spec-examples',
    product: () => ({ description: String(example('Product', 'description')), createdBy: String(example('Product', 'createdBy')) }),
    productSettings: () => complete(schema('ProductSettings'), {}, 'ProductSettings') as unknown as ProductSettingsRecord,
    feature(): FeatureFields {
      const fields = complete(schema('CatalogFeature'), {}, 'CatalogFeature');
      return {
        description: String(fields.description),
        featureDetails: fields.featureDetails as JsonObject,
        meter: fields.meter as JsonObject,
        metadata: fields.metadata as JsonObject,
      };
    },
    planFields(name: string): PlanFields {
      const fields = complete(schema('CatalogPlan'), { name }, 'CatalogPlan');
      return fields as unknown as PlanFields;
    },
    entitlementDetails: (details: JsonObject) => complete(schema('PlanEntitlementDetails'), structuredClone(details), 'PlanEntitlementDetails'),
    price(body: JsonObject, _context: PriceDefaultsContext): JsonObject {
      const price = complete(schema('PlanPrice'), structuredClone(body), 'PlanPrice');
      const items = Array.isArray(price.chargeCatalogPrice) ? (price.chargeCatalogPrice as JsonObject[]) : [];
      return {
        id: newId(),
        ...price,
        chargeCatalogPrice: items.map((item) => ({
          id: newId(),
          ...item,
          feature: typeof item.feature === 'string' ? item.feature : null,
          charges: (Array.isArray(item.charges) ? (item.charges as JsonObject[]) : []).map((charge) => ({ id: newId(), ...charge })),
        })),
      };
    },
  };
}
