/**
 * Dangling references: a plan's product, its entitlement keys and the features its charges price must be
 * declared somewhere in the catalog. Suggestions come from the identifiers actually declared.
 *
 * Not for a kind some file may declare unreadably (see `CatalogIndex.unreadable`): one syntax error in
 * features.yaml must not turn into an "unknown feature" in every plan that uses a feature declared after it.
 */
import { error } from '../diagnostics.js';
import { didYouMean } from '../validate/did-you-mean.js';
import { keyAt, valueAt, type Rule } from './context.js';

export const checkReferences: Rule = (context) => {
  const { products, features } = context.declared;
  const checkProducts = !context.unreadable.has('products');
  const checkFeatures = !context.unreadable.has('features');
  for (const plan of context.plans.values()) {
    const { value } = plan;
    if (checkProducts && !products.has(value.product)) {
      context.report(
        error('unknown-product', `plan "${plan.id}": unknown product "${value.product}"${didYouMean(value.product, products)}`, valueAt(plan, ['product'])),
      );
    }
    for (const feature of Object.keys(value.entitlements ?? {})) {
      if (checkFeatures && !features.has(feature)) {
        context.report(
          error('unknown-feature', `plan "${plan.id}": entitlement to unknown feature "${feature}"${didYouMean(feature, features)}`, keyAt(plan, ['entitlements', feature])),
        );
      }
    }
    value.prices?.forEach((price, p) => {
      price.chargeCatalogPrice?.forEach((item, c) => {
        if (checkFeatures && item.feature !== null && !features.has(item.feature)) {
          context.report(
            error(
              'unknown-feature',
              `plan "${plan.id}": charge for unknown feature "${item.feature}"${didYouMean(item.feature, features)}`,
              valueAt(plan, ['prices', p, 'chargeCatalogPrice', c, 'feature']),
            ),
          );
        }
      });
    });
  }
};
