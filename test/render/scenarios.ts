/**
 * The plans the render golden files show, built through the real engine over the emulator: a published base
 * catalog, then a catalog with one kind of change. Everything in them is deterministic (identifiers, versions,
 * values; the base URL is fixed in the render context, never the emulator's random port).
 */
import { pricingMatrix, renderPlanMarkdown, renderPlanText, planJsonDocument, type ComputedPlan, type PlanDecisions } from '../../src/apply/index.js';
import type { Catalog } from '../../src/schema/model.js';
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';
import { emulatorHttp } from '../helpers/emulator-http.js';
import { subscriptionRows } from '../helpers/subscriptions.js';
import { clone, sampleCatalog, startHarness, type Harness } from '../helpers/engine.js';

export interface Rendered {
  text: string;
  markdown: string;
  json: string;
}

export interface Scenario {
  name: string;
  /** What the plan is about, for the test's title. */
  title: string;
  /** Changes to Kelviq after the base catalog is applied and published (a dashboard edit). */
  tweak?: (harness: Harness) => Promise<void>;
  desired: (base: Catalog) => Catalog;
  decisions?: Partial<PlanDecisions>;
  base?: () => Catalog;
}

/** The base, with a second paid plan so the matrix has columns to compare. */
export function baseCatalog(): Catalog {
  const catalog = sampleCatalog();
  catalog.plans.push({
    identifier: 'team',
    product: 'acme',
    name: 'Team',
    entitlements: { sso: { value: true }, seats: { value: 50, hardLimit: true }, 'api-calls': { value: 100000, reset: 'EVERY_MONTH' } },
    prices: [
      {
        priceType: 'PAID',
        currency: 'USD',
        chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 99 } }, { chargePeriod: 'YEARLY', priceData: { amount: 990 } }] }],
      },
      { priceType: 'PAID', currency: 'EUR', chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 89 } }, { chargePeriod: 'YEARLY', priceData: { amount: 890 } }] }] },
    ],
  });
  return catalog;
}

function plan(catalog: Catalog, identifier: string) {
  const found = catalog.plans.find((p) => p.identifier === identifier);
  if (!found) throw new Error(`no plan ${identifier}`);
  return found;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'created-plan',
    title: 'a created plan shows every price, charge and entitlement',
    desired: (base) => {
      const catalog = clone(base);
      catalog.plans.push({
        identifier: 'starter',
        product: 'acme',
        name: 'Starter',
        description: 'For small teams, with a long description that a reviewer reads in full because nothing is cut any more',
        isVisible: true,
        links: [{ name: 'Pricing page', url: 'https://example.com/pricing/starter?utm_source=catalog&utm_medium=plan&utm_campaign=a-long-campaign-name' }],
        metadata: { tier: 'entry', highlight: 'Everything a small team needs to start, including SSO-free onboarding and email support' },
        entitlements: { seats: { value: 3, hardLimit: true }, 'api-calls': { value: 10000, reset: 'EVERY_MONTH' } },
        prices: [
          {
            priceType: 'PAID',
            currency: 'USD',
            freeTrial: true,
            trialPeriod: 7,
            chargeCatalogPrice: [
              { feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 9 } }, { chargePeriod: 'YEARLY', priceData: { amount: 90 } }] },
              { feature: 'seats', priceModel: 'PACKAGE', paymentType: 'ADVANCE_COMMITMENT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 5, block_size: 1 } }, { chargePeriod: 'YEARLY', priceData: { amount: 50, block_size: 1 } }] },
            ],
          },
        ],
      });
      return catalog;
    },
  },
  {
    name: 'added-price',
    title: 'a price added to an existing plan shows its charges in full',
    desired: (base) => {
      const catalog = clone(base);
      plan(catalog, 'team').prices!.push({
        priceType: 'PAID',
        currency: 'GBP',
        chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount: 79 } }, { chargePeriod: 'YEARLY', priceData: { amount: 790 } }] }],
      });
      return catalog;
    },
  },
  {
    name: 'changed-tiered-price',
    title: 'a changed tiered price and plan fee read before → after with the relative change',
    desired: (base) => {
      const catalog = clone(base);
      const usd = plan(catalog, 'pro').prices![0]!;
      usd.trialPeriod = 30;
      usd.chargeCatalogPrice![0]!.charges[0]!.priceData = { amount: 35 };
      usd.chargeCatalogPrice![1]!.charges[0]!.tiers = [{ upTo: 5000, unitAmount: 0 }, { upTo: 'inf', unitAmount: 0.0015 }];
      return catalog;
    },
  },
  {
    name: 'removed-entitlement',
    title: 'a removed entitlement and a changed grant',
    desired: (base) => {
      const catalog = clone(base);
      delete plan(catalog, 'pro').entitlements!.sso;
      plan(catalog, 'team').entitlements!.seats = { value: 75, hardLimit: false };
      return catalog;
    },
  },
  {
    name: 'pending-draft',
    title: 'a write to a pending draft says the published version stays live',
    tweak: async (harness) => {
      // Someone renamed the plan in the dashboard and left the draft unpublished.
      const http = emulatorHttp(harness.emulator.url, EMULATOR_DEFAULT_KEY);
      try {
        const response = await http.patch('/catalog/plans/team/', { name: 'Team (draft)' });
        if (response.status !== 200) throw new Error(`dashboard edit failed: ${response.status}`);
      } finally {
        await http.close();
      }
    },
    desired: (base) => {
      const catalog = clone(base);
      plan(catalog, 'team').prices![0]!.chargeCatalogPrice![0]!.charges[0]!.priceData = { amount: 109 };
      return catalog;
    },
  },
  {
    name: 'matrix',
    title: 'the matrix: changed cells before → after, a new plan and a removed plan',
    decisions: { prune: true },
    desired: (base) => {
      const catalog = clone(base);
      // free goes away (archived: this tool created it), enterprise arrives, pro gets dearer and more seats.
      catalog.plans = catalog.plans.filter((p) => p.identifier !== 'free');
      plan(catalog, 'pro').prices![0]!.chargeCatalogPrice![0]!.charges[0]!.priceData = { amount: 39 };
      plan(catalog, 'pro').prices![1]!.chargeCatalogPrice![0]!.charges[0]!.priceData = { amount: 36 };
      plan(catalog, 'pro').entitlements!.seats = { value: 15 };
      catalog.plans.push({
        identifier: 'enterprise',
        product: 'acme',
        name: 'Enterprise',
        entitlements: { sso: { value: true }, seats: { hasUnlimitedUsage: true }, 'api-calls': { hasUnlimitedUsage: true } },
        prices: [{ priceType: 'CUSTOM', currency: 'USD' }],
      });
      return catalog;
    },
  },
];

export const RENDER_CONTEXT = { environment: 'sandbox' as const, baseUrl: 'https://api.sandbox.example.test' };

export function renderAll(computed: ComputedPlan): Rendered {
  const matrix = pricingMatrix(computed.catalog, computed.live, computed.plan);
  const context = { ...RENDER_CONTEXT, matrix };
  const document = planJsonDocument(computed.plan, context);
  return {
    text: renderPlanText(computed.plan, context),
    markdown: renderPlanMarkdown(computed.plan, context),
    json: `${JSON.stringify({ summary: document.summary, matrix: document.matrix }, null, 2)}\n`,
  };
}

function customers() {
  return subscriptionRows([
    ['pro', 'active', 150],
    ['pro', 'trialing', 30],
    ['pro', 'canceled', 7],
    ['team', 'active', 12],
    ['free', 'active', 40],
  ]);
}

export async function runScenario(scenario: Scenario): Promise<Rendered> {
  const harness = await startHarness();
  try {
    const base = (scenario.base ?? baseCatalog)();
    await harness.apply(base, { publish: true });
    // Customers on the published plans, so the impact lines show counts: 150 active and 30 trialing on Pro, 40 on Free, 12
    // active on Team, and canceled ones that are not counted.
    harness.emulator.loadSeed({ ...harness.emulator.exportSeed(), subscriptions: customers() });
    await scenario.tweak?.(harness);
    const computed = await harness.plan(scenario.desired(base), scenario.decisions);
    return renderAll(computed);
  } finally {
    await harness.close();
  }
}
