/**
 * Exit codes are a contract (Terraform's): 0 success or no changes, 1 error, 2 changes or drift found (only
 * where asked for: `plan --detailed-exitcode`, `drift`), 130 interrupted. They are decided here and only here.
 */
export type Outcome =
  | { kind: 'success' }
  | { kind: 'changes-found' }
  | { kind: 'error' }
  | { kind: 'interrupted' };

export const EXIT_CODES = { success: 0, error: 1, 'changes-found': 2, interrupted: 130 } as const;

export function exitCodeFor(outcome: Outcome): number {
  return EXIT_CODES[outcome.kind];
}

export const success: Outcome = { kind: 'success' };
export const failure: Outcome = { kind: 'error' };
export const changesFound: Outcome = { kind: 'changes-found' };
export const interrupted: Outcome = { kind: 'interrupted' };
