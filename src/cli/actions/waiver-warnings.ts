/** Warnings for `--allow` waivers that cannot waive anything: shared by validate, plan, apply and promote. */
import type { Policy } from '../../schema/model.js';
import type { Output } from '../io.js';
import type { Waiver } from '../../policy/waivers.js';

/** A waiver of a rule the policy does not have waives nothing: said, so a typo'd approval is not trusted. */
export function warnUnusedWaivers(waivers: Waiver[], policy: Policy | undefined, output: Output, plans?: ReadonlySet<string>): void {
  const rules = new Set(policy?.rules.map((rule) => rule.rule));
  for (const waiver of waivers) {
    if (!rules.has(waiver.rule)) output.warn(`${waiver.flag}: the catalog's policy has no ${waiver.rule} rule; this waives nothing.`);
    // A mistyped plan (`:pro` for `pro-monthly`) would otherwise leave the violation standing without a word.
    else if (plans && waiver.plan !== undefined && !plans.has(waiver.plan)) {
      output.warn(`${waiver.flag}: the catalog declares no plan ${waiver.plan}; check the plan identifier after the colon.`);
    }
  }
}
