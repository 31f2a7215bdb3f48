/**
 * `init`: a small starter catalog — one product, three features (one of each type), a free and a paid plan, and a
 * policy its plans satisfy — with comments that explain the shape. Laid out as `pull` writes catalogs (features.yaml, products/<product>.yaml),
 * valid and fmt-clean as written (the tests check both).
 */
import { join } from 'node:path';
import type { CatalogFileText } from './catalog-to-yaml.js';
import { FEATURES_FILE, POLICY_FILE, productFile } from './catalog-to-yaml.js';
import { writeCatalogFiles } from './write-directory.js';
import { schemaModeline } from './yaml-output.js';

const STARTER_PRODUCT = 'my-app';

const FEATURES = `#
# Features: what a plan can grant. Plans refer to them by identifier, in \`entitlements\` and in prices. Kelviq
# cannot edit a feature once it exists (only archive it), so choose featureType, featureDetails and meter with care.
features:
  # BOOLEAN: on or off per plan (\`sso: true\`).
  - identifier: sso
    name: Single sign-on
    description: SAML and OIDC login.
    featureType: BOOLEAN

  # CUSTOMIZABLE: a number per plan (\`seats: 10\`).
  - identifier: seats
    name: Seats
    description: Team members who can sign in.
    featureType: CUSTOMIZABLE

  # METER: metered usage. PRE_AGGREGATED_USAGE: your backend reports usage totals to Kelviq.
  - identifier: api-calls
    name: API calls
    description: Calls to the public API.
    featureType: METER
    featureDetails:
      featureSubType: PRE_AGGREGATED_USAGE
      units: { singular: call, plural: calls }
`;

const PRODUCT = `#
# A product and its plans. Identifiers (\`${STARTER_PRODUCT}\`, \`free\`, \`pro-monthly\`) are how the files refer to
# each other and to Kelviq; they cannot change once created there, so rename them before the first apply.
# A key left out is not managed: apply never touches its live value.
products:
  - identifier: ${STARTER_PRODUCT}
    name: My App
    description: What you sell.
    taxCode: saas
    settings:
      # Every plan with PAID prices must offer one in this currency.
      currency: USD

plans:
  - identifier: free
    product: ${STARTER_PRODUCT}
    name: Free
    description: For trying it out.
    ordering: 1
    # What the plan grants, keyed by feature identifier. This is the COMPLETE set: a feature removed here is
    # removed from the live plan on the next apply.
    entitlements:
      seats: 1
      # A METER allowance in full: 1,000 calls, reset every month.
      api-calls: { value: 1000, reset: EVERY_MONTH }
    # What the plan costs: the complete set of prices, one per currency. A FREE price charges nothing.
    prices:
      - priceType: FREE

  - identifier: pro-monthly
    product: ${STARTER_PRODUCT}
    name: Pro
    description: For teams, billed monthly.
    ordering: 2
    entitlements:
      sso: true
      seats: 10
      api-calls: unlimited
    prices:
      - priceType: PAID
        currency: USD
        freeTrial: true
        trialPeriod: 14
        chargeCatalogPrice:
          # The plan fee: a FLAT charge without a \`feature\`. Usage can be priced too (TIERED, PACKAGE, ...).
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 29 }
`;

const POLICY = `#
# The team's pricing rules, which every run enforces (Kelviq never sees them). validate checks the rules that need
# no live data; plan, apply and promote check them all against what customers pay now and who subscribes. A change
# that breaks an \`error\` rule stops plan and apply (exit 1, nothing written) unless it is waived for the run:
# --allow RULE or --allow RULE:PLAN. Rules: max-price-change, keep-grants-with-customers, migrate-needs-approval,
# required-currencies, trial-days (see the README's Policy section).
policy:
  rules:
    # A price rise above 20% of what customers pay now needs sign-off; cuts are not limited.
    - rule: max-price-change
      increase: 20
    # Customers keep what they were sold: no grant removed or lowered on a plan that has subscriptions.
    - rule: keep-grants-with-customers
    # Trials from a week to a month; outside that it is reported, not blocking.
    - rule: trial-days
      min: 7
      max: 30
      severity: warning
`;

/** The starter files, their `$schema` modelines relative to `directory` (where they will be written). */
export function starterCatalogFiles(directory: string, schemaPath?: string): CatalogFileText[] {
  const withModeline = (path: string, body: string): CatalogFileText => ({
    path,
    text: `#${schemaModeline(join(directory, path), schemaPath)}\n${body}`,
  });
  return [withModeline(FEATURES_FILE, FEATURES), withModeline(POLICY_FILE, POLICY), withModeline(productFile(STARTER_PRODUCT), PRODUCT)];
}

export interface InitResult {
  directory: string;
  /** Relative to `directory`. */
  files: string[];
}

/** Writes the starter catalog into `directory`, which must not exist or be empty (nothing is ever overwritten). */
export async function initCatalog(directory: string, options: { schemaPath?: string } = {}): Promise<InitResult> {
  const files = starterCatalogFiles(directory, options.schemaPath);
  await writeCatalogFiles(directory, files, {
    hint: { elsewhere: 'init writes a new catalog: choose a folder that does not exist or is empty (--catalog PATH)' },
  });
  return { directory, files: files.map((file) => file.path) };
}
