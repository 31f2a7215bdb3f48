/**
 * An emulator + client pair for end-to-end engine tests over real loopback HTTP, with helpers that run the
 * engine the way the CLI does.
 */
import { KelviqClient, RequestCounter } from '../../src/client/index.js';
import { computePlan, applyPlan, type ApplyResult, type ComputedPlan, type PlanDecisions } from '../../src/apply/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import type { Catalog } from '../../src/schema/model.js';

export interface Harness {
  emulator: RunningEmulator;
  client: KelviqClient;
  counter: RequestCounter;
  plan(catalog: Catalog, decisions?: Partial<PlanDecisions>): Promise<ComputedPlan>;
  /** Plans and applies; throws if the plan has errors. */
  apply(catalog: Catalog, decisions?: Partial<PlanDecisions>): Promise<{ computed: ComputedPlan; result: ApplyResult }>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}, clientOptions: { concurrency?: number } = {}): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, ...options });
  const counter = new RequestCounter();
  const client = new KelviqClient({
    baseUrl: emulator.url,
    apiKey: EMULATOR_DEFAULT_KEY,
    baseBackoffMs: 5,
    maxBackoffMs: 50,
    concurrency: clientOptions.concurrency ?? 8,
    onRequest: counter.record,
  });
  const harness: Harness = {
    emulator,
    client,
    counter,
    plan: (catalog, decisions) => computePlan({ client, catalog, environment: 'sandbox', decisions }),
    async apply(catalog, decisions) {
      const computed = await harness.plan(catalog, decisions);
      const errors = computed.plan.messages.filter((m) => m.severity === 'error');
      if (errors.length) throw new Error(`plan has errors: ${errors.map((e) => e.message).join('; ')}`);
      const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
      return { computed, result };
    },
    async close() {
      await client.close();
      await emulator.close();
    },
  };
  return harness;
}

/** A small but complete catalog: every resource kind, all three feature types, several currencies. */
export function sampleCatalog(): Catalog {
  return {
    products: [{ identifier: 'acme', name: 'Acme', description: 'Acme cloud', taxCode: 'saas', settings: { currency: 'USD', vpn: false } }],
    features: [
      { identifier: 'sso', name: 'SSO', featureType: 'BOOLEAN' },
      { identifier: 'seats', name: 'Seats', featureType: 'CUSTOMIZABLE' },
      {
        identifier: 'api-calls',
        name: 'API calls',
        featureType: 'METER',
        featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } },
      },
    ],
    plans: [
      {
        identifier: 'free',
        product: 'acme',
        name: 'Free',
        entitlements: { seats: { value: 1 }, 'api-calls': { value: 1000, reset: 'EVERY_MONTH' } },
        prices: [{ priceType: 'FREE', currency: 'USD' }],
      },
      {
        identifier: 'pro',
        product: 'acme',
        name: 'Pro',
        description: 'For teams',
        isVisible: true,
        license: { enabled: true, activationLimit: 3 },
        links: [{ name: 'Docs', url: 'https://example.com/docs' }],
        entitlements: { sso: { value: true }, seats: { value: 10 }, 'api-calls': { hasUnlimitedUsage: true } },
        prices: [
          {
            priceType: 'PAID',
            currency: 'USD',
            freeTrial: true,
            trialPeriod: 14,
            chargeCatalogPrice: [
              { feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 29 } }] },
              {
                feature: 'api-calls',
                priceModel: 'TIERED',
                paymentType: 'PAY_AS_YOU_GO',
                charges: [{ chargePeriod: 'MONTHLY', tiers: [{ upTo: 1000, unitAmount: 0 }, { upTo: 'inf', unitAmount: 0.002 }] }],
              },
            ],
          },
          { priceType: 'PAID', currency: 'EUR', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 27 } }] }] },
        ],
      },
    ],
  };
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
