/**
 * Every diagnostic code the loader emits, with its severity and what it means. Codes are stable (scripts
 * filter on them); the test suite checks that each one is emitted somewhere in src/schema and that each error
 * code has a case in the invalid-catalog corpus.
 */
export const DIAGNOSTIC_CODES = {
  // files
  'catalog-not-found': { severity: 'error', summary: 'the catalog path does not exist' },
  'catalog-empty': { severity: 'error', summary: 'the catalog folder holds no .yaml/.yml file' },
  'unsupported-file': { severity: 'error', summary: 'the catalog path is not a .yaml/.yml file or a folder' },
  'catalog-too-large': { severity: 'error', summary: 'the catalog exceeds the total size, file-count or token limit' },
  'file-too-large': { severity: 'error', summary: 'a file exceeds the per-file size limit (5 MiB)' },
  'file-unreadable': { severity: 'error', summary: 'a file or folder cannot be read, or a symlink is broken' },
  'file-binary': { severity: 'error', summary: 'a file contains NUL bytes' },
  'file-encoding': { severity: 'error', summary: 'a file is not UTF-8 (invalid bytes, or UTF-16)' },
  'symlink-outside-catalog': { severity: 'error', summary: 'a symlink points outside the catalog folder' },
  // YAML
  'yaml-syntax': { severity: 'error', summary: 'YAML syntax error' },
  'yaml-duplicate-key': { severity: 'error', summary: 'a key appears twice in one mapping' },
  'yaml-tag': { severity: 'error', summary: 'a custom or non-core tag (!foo, !!binary, …)' },
  'yaml-non-string-key': { severity: 'error', summary: 'a mapping key that is a list, mapping or alias' },
  'yaml-multiple-documents': { severity: 'error', summary: 'more than one YAML document in a file' },
  'yaml-nesting-depth': { severity: 'error', summary: 'nesting deeper than the limit (64)' },
  'yaml-alias-limit': { severity: 'error', summary: 'too many alias uses, or aliases expand too much (alias bomb)' },
  'yaml-alias-undefined': { severity: 'error', summary: 'an alias with no anchor before it' },
  'yaml-alias-cycle': { severity: 'error', summary: 'an alias inside its own anchor' },
  // YAML: work bounded before parsing
  'yaml-node-limit': { severity: 'error', summary: 'a file holds more YAML tokens than the limit (250,000)' },
  'yaml-flow-collection-limit': { severity: 'error', summary: 'a flow collection ([…] or {…}) with more entries than the limit (10,000)' },
  'yaml-merge-key': { severity: 'error', summary: 'a YAML 1.1 merge key (<<: *anchor), with what to write instead' },
  'yaml-reserved-key': { severity: 'error', summary: 'a key named __proto__, which JavaScript tools drop or misread' },
  'yaml-warning': { severity: 'warning', summary: 'another warning from the YAML parser' },
  'file-not-mapping': { severity: 'error', summary: 'a file is a list or a scalar instead of a mapping' },
  // values that never converge
  'non-finite-number': { severity: 'error', summary: 'a number that is not finite (.inf, .nan, 1e309), anywhere, metadata included' },
  'empty-file': { severity: 'warning', summary: 'a file declares nothing' },
  // schema
  'unknown-key': { severity: 'error', summary: 'a key the format does not have (with "did you mean")' },
  'missing-key': { severity: 'error', summary: 'a required key is missing' },
  'invalid-type': { severity: 'error', summary: 'a value of the wrong kind' },
  'invalid-value': { severity: 'error', summary: 'a value outside an enumeration (with "did you mean")' },
  'invalid-identifier': { severity: 'error', summary: 'an identifier or reference that is not a slug' },
  'invalid-format': { severity: 'error', summary: 'a malformed currency code or URL' },
  'out-of-range': { severity: 'error', summary: 'a number, text or list outside its allowed range' },
  schema: { severity: 'error', summary: 'another schema violation' },
  // catalog-wide
  'duplicate-identifier': { severity: 'error', summary: 'an identifier declared twice for one kind, across all files' },
  'unknown-product': { severity: 'error', summary: "a plan's product is not declared" },
  'unknown-feature': { severity: 'error', summary: 'an entitlement or charge refers to an undeclared feature' },
  // Kelviq rules: features
  'meter-details-required': { severity: 'error', summary: 'a METER feature lacks featureDetails.featureSubType or units' },
  'meter-config-required': { severity: 'error', summary: 'a RAW_EVENTS meter lacks meter.aggregation or meter.filters' },
  'feature-option-ignored': { severity: 'warning', summary: 'featureDetails/meter on a feature type that ignores them' },
  // Kelviq rules: entitlements
  'entitlement-value-type': { severity: 'error', summary: 'an entitlement value of the wrong type for its feature' },
  'entitlement-value-missing': { severity: 'error', summary: 'an entitlement that grants nothing (no value, not unlimited)' },
  'entitlement-value-ignored': { severity: 'warning', summary: 'a value next to hasUnlimitedUsage: true' },
  'entitlement-option-ignored': { severity: 'warning', summary: 'reset, rollover, alerts… on a BOOLEAN entitlement' },
  'meter-entitlement-without-reset': { severity: 'warning', summary: 'a limited METER allowance that does not say when it resets' },
  'usage-alert-threshold': { severity: 'error', summary: 'a usage-alert threshold out of range: PERCENTAGE outside 1-100, BALANCE below 1' },
  // Kelviq rules: prices
  'plan-without-price': { severity: 'error', summary: 'prices is defined but empty' },
  'price-currency-required': { severity: 'error', summary: 'a PAID price without a currency' },
  'paid-price-without-charges': { severity: 'error', summary: 'a PAID price with no chargeCatalogPrice' },
  'duplicate-price-currency': { severity: 'error', summary: 'two PAID prices in one currency' },
  'product-currency-price-missing': { severity: 'error', summary: "no PAID price in the product's settings.currency" },
  'trial-period-required': { severity: 'error', summary: 'freeTrial without a trialPeriod' },
  'trial-period-without-trial': { severity: 'warning', summary: 'a trialPeriod with freeTrial: false' },
  'free-price-with-charges': { severity: 'warning', summary: 'chargeCatalogPrice on a FREE price' },
  'duplicate-charge-feature': { severity: 'error', summary: 'two charge-catalog prices for one feature (or two plan fees) in a price' },
  'charge-feature-required': { severity: 'error', summary: 'a non-FLAT price model without a feature' },
  'charge-model-feature-type': { severity: 'error', summary: 'a BOOLEAN feature priced with a usage model' },
  'charge-feature-not-entitled': { severity: 'warning', summary: "a charge on a feature the plan's entitlements do not grant" },
  'duplicate-charge-period': { severity: 'error', summary: 'two charges with the same chargePeriod' },
  'charge-amount-required': { severity: 'error', summary: 'a FLAT/PACKAGE charge without priceData.amount' },
  'charge-currency-mismatch': { severity: 'error', summary: "priceData.currency differs from the price's currency" },
  'charge-option-ignored': { severity: 'warning', summary: 'advanced or priceData.amount where the model ignores it' },
  'tiers-required': { severity: 'error', summary: 'a TIERED/VOLUME/STAIRSTEP charge without tiers' },
  'tiers-not-allowed': { severity: 'error', summary: 'tiers on a FLAT/PACKAGE charge' },
  'tiers-not-ascending': { severity: 'error', summary: 'tier upTo values that do not ascend' },
  'tier-unbounded-not-last': { severity: 'error', summary: 'upTo: inf on a tier that is not the last' },
  'tier-amount-required': { severity: 'error', summary: 'a tier without unitAmount or flatAmount' },
  'tiers-last-bounded': { severity: 'warning', summary: 'the last tier is bounded' },
  // Kelviq rules: documented business rules. `page`: where Kelviq's documentation states the rule (under
  // https://docs.kelviq.com/); their messages end with a fix after "; ".
  'pay-as-you-go-period': { severity: 'error', summary: 'a pay-as-you-go charge in a price with a billing period other than MONTHLY', page: 'product-catalog/pay-as-you-go' },
  'pay-as-you-go-one-time-fee': { severity: 'warning', summary: 'a one-time plan fee next to pay-as-you-go usage (the docs disagree)', page: 'product-catalog/one-time-payments' },
  'pay-as-you-go-stairstep': { severity: 'error', summary: 'a pay-as-you-go charge priced STAIRSTEP', page: 'product-catalog/pay-as-you-go' },
  'pay-as-you-go-rollover': { severity: 'error', summary: 'credit rollover on a pay-as-you-go charge', page: 'product-catalog/usage-based-billing' },
  'pay-as-you-go-reset': { severity: 'warning', summary: 'a pay-as-you-go charge with a reset other than monthly', page: 'product-catalog/pay-as-you-go' },
  'rollover-without-recurring-reset': { severity: 'warning', summary: 'rollover on a meter whose reset is NEVER or not written', page: 'product-catalog/usage-based-billing' },
  'one-time-fee-usage-model': { severity: 'error', summary: 'a one-time plan fee with usage priced other than FLAT or PACKAGE', page: 'product-catalog/one-time-payments' },
  'trial-on-one-time-price': { severity: 'error', summary: 'a free trial on a price whose charges are all ONE_TIME', page: 'product-catalog/free-and-trials' },
  'trial-on-unpaid-price': { severity: 'warning', summary: 'a free trial on a FREE or CUSTOM price', page: 'product-catalog/free-and-trials' },
  'charge-feature-not-meter': { severity: 'warning', summary: 'usage or seats priced on a feature that is not a METER', page: 'product-catalog/seat-based-pricing' },
  'regional-price-incomplete': { severity: 'error', summary: "a price in another currency lacks a feature, period or tier of the base price", page: 'product-catalog/location-based-pricing' },
  'regional-price-usage-controls': { severity: 'warning', summary: "a price in another currency writes a usage reset, usage alerts or rollover other than the base price's", page: 'product-catalog/location-based-pricing' },
  'stairstep-unit-amount': { severity: 'error', summary: 'a STAIRSTEP tier with a per-unit amount', page: 'product-catalog/usage-based-billing' },
  'usage-alert-feature-type': { severity: 'warning', summary: 'usage alerts on something that is not a METER feature', page: 'product-catalog/usage-alerts' },
  'usage-alert-percentage-unlimited': { severity: 'warning', summary: 'PERCENTAGE usage alerts on an unlimited allowance', page: 'product-catalog/usage-alerts' },
  'usage-alert-type-missing': { severity: 'warning', summary: 'a usage-alert threshold above 100 with no thresholdType (no documented default)', page: 'product-catalog/usage-alerts' },
  'option-needs-enabling': { severity: 'warning', summary: 'DAILY billing or the EVERY_28_DAYS reset, which Kelviq enables per organization', page: 'guides/sandbox' },
  // policy (the `policy` section; its rules are enforced by validate, plan, apply and promote)
  'unknown-policy-rule': { severity: 'error', summary: 'a policy rule name that is not one of the rules (with "did you mean")' },
  'policy-rule-limits-nothing': { severity: 'error', summary: 'a policy rule without the limits it needs, or with min above max' },
  'duplicate-policy': { severity: 'error', summary: 'a second `policy` in the catalog (at most one, in any file)' },
  // Kelviq rules: license
  'license-duration-required': { severity: 'error', summary: 'hasExpiry without durationUnit and durationValue' },
  'license-activation-limit-required': { severity: 'error', summary: 'activationLimitEnabled without activationLimit' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; summary: string; page?: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
