/**
 * Kelviq's rules for features, checked offline: a METER needs `featureDetails.featureSubType` and `units`; a
 * RAW_EVENTS meter also needs `meter` with `aggregation` and `filters`. Configuration a feature of another type
 * would ignore is a warning (features cannot be edited after creation, so it is worth catching early).
 */
import { error, warning } from '../diagnostics.js';
import { keyAt, valueAt, type Rule } from './context.js';

export const checkFeatures: Rule = (context) => {
  for (const feature of context.features.values()) {
    const { value, id } = feature;
    const details = value.featureDetails as { featureSubType?: string; units?: unknown } | undefined;
    const meter = value.meter as { aggregation?: unknown; filters?: unknown } | undefined;
    if (value.featureType !== 'METER') {
      for (const key of ['featureDetails', 'meter'] as const) {
        if (value[key] !== undefined) {
          context.report(warning('feature-option-ignored', `feature "${id}": ${key} is only used by METER features; this one is ${value.featureType}`, keyAt(feature, [key])));
        }
      }
      continue;
    }
    const detailsAt = details ? keyAt(feature, ['featureDetails']) : valueAt(feature, ['featureType']);
    if (!details?.featureSubType) {
      context.report(
        error('meter-details-required', `METER feature "${id}" needs featureDetails.featureSubType (PRE_AGGREGATED_USAGE or RAW_EVENTS)`, detailsAt),
      );
    }
    if (!details?.units) {
      context.report(error('meter-details-required', `METER feature "${id}" needs featureDetails.units ({ singular, plural })`, detailsAt));
    }
    if (details?.featureSubType === 'RAW_EVENTS') {
      const missing = (['aggregation', 'filters'] as const).filter((key) => meter?.[key] === undefined);
      if (missing.length) {
        const at = meter ? keyAt(feature, ['meter']) : valueAt(feature, ['featureDetails', 'featureSubType']);
        context.report(error('meter-config-required', `RAW_EVENTS feature "${id}" needs meter.${missing.join(' and meter.')}`, at));
      }
    } else if (details?.featureSubType === 'PRE_AGGREGATED_USAGE' && meter !== undefined) {
      context.report(warning('feature-option-ignored', `feature "${id}": meter is only used by RAW_EVENTS meters; this one is PRE_AGGREGATED_USAGE`, keyAt(feature, ['meter'])));
    }
  }
};
