/**
 * Random VALID catalogs (they load without errors) that use every part of the format: all feature types, every
 * entitlement form (each shorthand and the full details), plan fees, tiered and package charges, licenses,
 * links, metadata, and text that YAML finds awkward (numbers, booleans, `a: b`, `#`, leading spaces, line
 * breaks, unicode). For the writer and fmt properties.
 */
import fc from 'fast-check';
import type { Catalog, ChargeCatalogPrice, EntitlementDetails, Feature, Plan, Price, Product } from '../../src/schema/model.js';

const AWKWARD = [
  'true', 'no', 'null', '~', '123', '1e3', '0x1F', '.inf', 'inf', '- item', 'a: b', 'key:', '#hash', 'x # y', ' lead', 'trail ',
  'two\nlines', 'ends with newline\n', "it's", 'say "hi"', '@at', '`tick`', '{brace}', '[bracket]', '%percent', '*star', '&amp',
  '!bang', '|pipe', '>fold', '?q', ', comma', 'tab\there', 'é ü 日本 🙂', '', '  ', 'back\\slash', '---', '...',
];

export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...AWKWARD) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
);
const nameArb = textArb.filter((text) => text.length > 0);
const slugArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
const amountArb = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }));

// No "__proto__" keys: the loader refuses them (yaml-reserved-key), since JavaScript tools drop or misread them.
const withoutProto = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(withoutProto) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== '__proto__').map(([key, item]) => [key, withoutProto(item)])) : value;
const jsonArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).map((value) => withoutProto(JSON.parse(JSON.stringify(value))));
const metadataArb = fc.dictionary(fc.oneof(slugArb, textArb).filter((key) => key !== '__proto__'), jsonArb, { maxKeys: 3 });

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

/** Drops keys whose value is undefined, as the loader never produces them. */
function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

const productArb = (identifier: string): fc.Arbitrary<Product> =>
  fc
    .record({
      name: nameArb,
      description: optional(textArb),
      taxCode: fc.constantFrom('saas', 'software', 'ebook' as const),
      settings: optional(
        fc.record({ currency: optional(fc.constant('USD')), vpn: optional(fc.boolean()), tor: optional(fc.boolean()), proxy: optional(fc.boolean()), productUrl: optional(fc.constantFrom('https://acme.example', 'http://x.example/a?b=c#d')) }).map(defined),
      ),
    })
    .map((fields) => defined({ identifier, ...fields }) as Product);

const featureArb = (identifier: string, type: Feature['featureType'], raw: boolean): fc.Arbitrary<Feature> =>
  fc.record({ name: nameArb, description: optional(textArb), metadata: optional(metadataArb), singular: nameArb, plural: nameArb }).map(({ name, description, metadata, singular, plural }) => {
    const feature: Feature = defined({ identifier, name, description, featureType: type, metadata });
    if (type === 'METER') {
      feature.featureDetails = { featureSubType: raw ? 'RAW_EVENTS' : 'PRE_AGGREGATED_USAGE', units: { singular, plural } };
      if (raw) feature.meter = { aggregation: { function: 'SUM', field: 'bytes' }, filters: [{ property: 'event_name', operator: 'equals', value: singular }] };
    }
    return feature;
  });

const entitlementArb = (feature: Feature): fc.Arbitrary<EntitlementDetails> => {
  if (feature.featureType === 'BOOLEAN') {
    return fc.oneof(fc.boolean().map((value) => ({ value })), fc.boolean().map((value): EntitlementDetails => ({ value, hardLimit: true })));
  }
  const reset = feature.featureType === 'METER' ? fc.constantFrom('EVERY_MONTH', 'NEVER', 'EVERY_YEAR' as const) : fc.constant(undefined);
  return fc.oneof(
    fc.constant<EntitlementDetails>({ hasUnlimitedUsage: true }),
    feature.featureType === 'METER' ? fc.integer({ min: 0, max: 1e9 }).map((value): EntitlementDetails => ({ value, reset: 'EVERY_MONTH' })) : fc.integer({ min: 0, max: 1e9 }).map((value) => ({ value })),
    fc
      .record({
        value: fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })),
        reset,
        resetTime: optional(fc.constantFrom('BEGINNING_OF_PERIOD', null)),
        rollover: optional(fc.record({ enabled: fc.boolean(), percentage: fc.integer({ min: 0, max: 100 }) })),
        usageAlerts: optional(fc.record({ enabled: fc.boolean(), thresholds: fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }), thresholdType: fc.constant('PERCENTAGE' as const) })),
        hardLimit: optional(fc.boolean()),
      })
      .map((details) => {
        const result = defined(details) as EntitlementDetails;
        if (feature.featureType === 'METER' && result.reset === undefined) result.reset = 'NEVER';
        return result;
      }),
  );
};

const planFee = (amount: number): ChargeCatalogPrice => ({ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount } }] });

const featureChargeArb = (feature: Feature): fc.Arbitrary<ChargeCatalogPrice> => {
  if (feature.featureType === 'BOOLEAN') {
    return amountArb.map((amount) => ({ feature: feature.identifier, priceModel: 'FLAT', charges: [{ chargePeriod: 'YEARLY', priceData: { amount }, advanced: { min_quantity: 1, max_quantity: 5 } }] }));
  }
  return fc.oneof(
    fc.tuple(amountArb, fc.integer({ min: 1, max: 10_000 })).map(([amount, block]): ChargeCatalogPrice => ({
      feature: feature.identifier,
      priceModel: 'PACKAGE',
      paymentType: 'PAY_AS_YOU_GO',
      charges: [{ chargePeriod: 'MONTHLY', priceData: { amount, block_size: block } }],
    })),
    fc.tuple(fc.uniqueArray(fc.integer({ min: 1, max: 1e6 }), { maxLength: 3 }), fc.array(amountArb, { minLength: 4, maxLength: 4 }), fc.boolean()).map(
      ([bounds, amounts, flat]): ChargeCatalogPrice => {
        const ascending = [...bounds].sort((a, b) => a - b);
        const tiers = [...ascending, 'inf' as const].map((upTo, index) => (flat ? { upTo, flatAmount: amounts[index]! } : { upTo, unitAmount: amounts[index]! }));
        return { feature: feature.identifier, priceModel: 'TIERED', reset: 'EVERY_MONTH', charges: [{ chargePeriod: 'MONTHLY', tiers }] };
      },
    ),
  );
};

const pricesArb = (features: Feature[]): fc.Arbitrary<Price[]> =>
  fc.oneof(
    fc.constantFrom<Price[]>([{ priceType: 'FREE' }], [{ priceType: 'FREE', currency: 'USD' }], [{ priceType: 'CUSTOM', currency: 'USD' }]),
    fc
      .record({
        amounts: fc.array(amountArb, { minLength: 1, maxLength: 3 }),
        trial: optional(fc.integer({ min: 1, max: 30 })),
        enabled: optional(fc.boolean()),
        taxBehavior: optional(fc.constantFrom('INCLUSIVE', 'EXCLUSIVE', 'UNSPECIFIED' as const)),
        extra: features.length ? optional(fc.constantFrom(...features).chain(featureChargeArb)) : fc.constant(undefined),
      })
      .map(({ amounts, trial, enabled, taxBehavior, extra }) =>
        amounts.map((amount, index): Price => {
          const price: Price = defined({
            priceType: 'PAID' as const,
            currency: ['USD', 'EUR', 'GBP'][index]!,
            freeTrial: trial === undefined ? undefined : true,
            trialPeriod: trial,
            enabled,
            taxBehavior,
          });
          price.chargeCatalogPrice = extra ? [planFee(amount), extra] : [planFee(amount)];
          return price;
        }),
      ),
  );

const planArb = (identifier: string, products: Product[], features: Feature[]): fc.Arbitrary<Plan> =>
  fc
    .record({
      product: fc.constantFrom(...products.map((p) => p.identifier)),
      name: nameArb,
      description: optional(textArb),
      isVisible: optional(fc.boolean()),
      ordering: optional(fc.integer({ min: 0, max: 100 })),
      metadata: optional(metadataArb),
      license: optional(
        fc.oneof(
          fc.constant({ enabled: false }),
          fc.integer({ min: 1, max: 50 }).map((limit) => ({ enabled: true, activationLimitEnabled: true, activationLimit: limit, hasExpiry: true, durationUnit: 'YEAR' as const, durationValue: 1 })),
        ),
      ),
      links: optional(fc.array(fc.record({ name: nameArb, url: fc.constantFrom('https://acme.example/docs', 'https://acme.example/a?b=1&c=2#d') }), { maxLength: 2 })),
      granted: fc.subarray(features),
      prices: optional(pricesArb(features)),
      manageEntitlements: fc.boolean(),
    })
    .chain(({ granted, manageEntitlements, ...fields }) =>
      fc.tuple(...granted.map(entitlementArb)).map((details) => {
        const plan = defined({ identifier, ...fields }) as Plan;
        if (manageEntitlements) plan.entitlements = Object.fromEntries(granted.map((feature, index) => [feature.identifier, details[index]!]));
        return plan;
      }),
    );

export const validCatalogArb: fc.Arbitrary<Catalog> = fc
  .record({
    productIds: fc.uniqueArray(slugArb, { minLength: 1, maxLength: 3 }),
    featureIds: fc.uniqueArray(slugArb, { maxLength: 5 }),
    planIds: fc.uniqueArray(slugArb, { maxLength: 5 }),
  })
  .chain(({ productIds, featureIds, planIds }) =>
    fc.tuple(
      fc.tuple(...productIds.map(productArb)),
      fc.tuple(...featureIds.map((id, index) => featureArb(id, (['BOOLEAN', 'CUSTOMIZABLE', 'METER', 'METER'] as const)[index % 4]!, index % 4 === 3))),
      fc.constant(planIds),
    ),
  )
  .chain(([products, features, planIds]) =>
    fc.tuple(...planIds.map((id) => planArb(id, products, features))).map((plans): Catalog => ({ products, features, plans })),
  );

const byIdentifier = <T extends { identifier: string }>(items: T[]) => [...items].sort((a, b) => (a.identifier < b.identifier ? -1 : 1));

/** Products, features and plans each sorted by identifier: a catalog's meaning does not depend on their order. */
export const sortedCatalog = (catalog: Catalog): Catalog => ({
  products: byIdentifier(catalog.products),
  features: byIdentifier(catalog.features),
  plans: byIdentifier(catalog.plans),
});
