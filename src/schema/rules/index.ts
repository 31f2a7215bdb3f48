/** Every catalog-wide rule, run in this order after the files are merged. */
import type { Rule } from './context.js';
import { checkEntitlements } from './entitlements.js';
import { checkFeatures } from './features.js';
import { checkLicenses } from './license.js';
import { checkPrices } from './prices.js';
import { checkReferences } from './references.js';

export const CATALOG_RULES: readonly Rule[] = [checkReferences, checkFeatures, checkEntitlements, checkPrices, checkLicenses];

export type { CatalogIndex, Rule, RuleContext } from './context.js';
