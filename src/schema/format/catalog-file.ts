/**
 * One catalog file: a mapping with any of `products`, `features`, `plans`, each a list, and the catalog's
 * `policy` (in at most one file). The loader validates a
 * file in two steps (the top level with `catalogFileShell`, then each item with its section's schema) so one
 * broken item never hides problems in the others; both are built from `CATALOG_SECTIONS`, the same objects
 * `catalogFileInput` (and so the JSON Schema) is made of.
 */
import { z } from 'zod';
import type { Feature, Plan, Product } from '../model.js';
import { featureInput } from './feature.js';
import { planInput } from './plan.js';
import { policyInput } from './policy.js';
import { productInput } from './product.js';

export const CATALOG_SECTIONS = {
  products: productInput,
  features: featureInput,
  plans: planInput,
} as const;

export type SectionName = keyof typeof CATALOG_SECTIONS;
export const SECTION_NAMES = Object.keys(CATALOG_SECTIONS) as SectionName[];

const sectionDescriptions: Record<SectionName, string> = {
  products: 'Products, each with a unique `identifier`.',
  features: 'Features, each with a unique `identifier`.',
  plans: 'Plans, each with a unique `identifier` and the `product` it belongs to.',
};

export const catalogFileInput = z
  .strictObject({
    products: z.array(CATALOG_SECTIONS.products).nullish().describe(sectionDescriptions.products),
    features: z.array(CATALOG_SECTIONS.features).nullish().describe(sectionDescriptions.features),
    plans: z.array(CATALOG_SECTIONS.plans).nullish().describe(sectionDescriptions.plans),
    policy: policyInput.optional(),
  })
  .describe(
    'A Kelviq catalog file (kelviq-catalog). A catalog is one such file or a folder of them, merged. Cross-references are identifiers, never UUIDs. A key left out is not managed.',
  );

/** The top level only: items are checked one by one with their section schema. */
export const catalogFileShell = z.strictObject({
  products: z.array(z.unknown()).nullish(),
  features: z.array(z.unknown()).nullish(),
  plans: z.array(z.unknown()).nullish(),
  /** Checked on its own (declarations.ts): at most one per catalog. */
  policy: z.unknown().optional(),
});

// Compile-time contract: what the format schemas output is the canonical model. A change to model.ts or to a
// schema that breaks this fails the typecheck, not a user.
type AssertAssignable<T extends U, U> = T;
export type ProductOutputIsModel = AssertAssignable<z.output<typeof productInput>, Product>;
export type FeatureOutputIsModel = AssertAssignable<z.output<typeof featureInput>, Feature>;
export type PlanOutputIsModel = AssertAssignable<z.output<typeof planInput>, Plan>;
type ShellKeysMatch = AssertAssignable<Exclude<keyof z.output<typeof catalogFileShell>, 'policy'>, SectionName>;
type FileKeysMatch = AssertAssignable<Exclude<keyof z.output<typeof catalogFileInput>, 'policy'>, SectionName>;
export type SectionKeysAreConsistent = [ShellKeysMatch, FileKeysMatch];
