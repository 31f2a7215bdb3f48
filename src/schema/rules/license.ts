/**
 * A plan's license-key configuration must be complete enough to apply: an expiry needs a duration, an
 * enforced activation limit needs the limit.
 */
import { error } from '../diagnostics.js';
import { keyAt, type Rule } from './context.js';

export const checkLicenses: Rule = (context) => {
  for (const plan of context.plans.values()) {
    const license = plan.value.license;
    if (!license) continue;
    if (license.hasExpiry === true && (license.durationUnit === undefined || license.durationValue === undefined)) {
      context.report(error('license-duration-required', `plan "${plan.id}": license.hasExpiry needs durationUnit and durationValue`, keyAt(plan, ['license', 'hasExpiry'])));
    }
    if (license.activationLimitEnabled === true && license.activationLimit === undefined) {
      context.report(
        error('license-activation-limit-required', `plan "${plan.id}": license.activationLimitEnabled needs activationLimit`, keyAt(plan, ['license', 'activationLimitEnabled'])),
      );
    }
  }
};
