/** Options for {@link validationHoldout}. */
export interface ValidationHoldoutOptions {
  /** Held-out identities wanted on a large dataset (the paper-scale default of the caller). */
  preferred: number;
  /** Fewest held-out identities that make a validation at all: 1-of-20 trials need 20. Default 20. */
  minimum?: number;
  /** Largest share of the identities held out, so that training keeps the rest. Default 0.5. */
  maxShare?: number;
}

/** How many identities to hold out, and why, in words a command can print. */
export interface ValidationHoldout {
  /** Identities to hold out (0: no validation). */
  count: number;
  /** One line saying what was chosen and why. */
  reason: string;
}

/**
 * The default number of identities to hold out for validation: `preferred` on large datasets, capped at
 * `maxShare` of the identities on small ones, and none when that cap leaves fewer than `minimum` (so a
 * 40-identity dataset holds out 20 for 1-of-20 trials and trains on 20; a 30-identity one is not validated).
 *
 * @example
 * validationHoldout(5749, { preferred: 100 }).count; // 100
 * validationHoldout(40, { preferred: 100 }).count;   // 20
 * validationHoldout(30, { preferred: 100 }).count;   // 0
 */
export function validationHoldout(identities: number, options: ValidationHoldoutOptions): ValidationHoldout {
  const { preferred, minimum = 20, maxShare = 0.5 } = options;
  const cap = Math.floor(identities * maxShare);
  const count = Math.min(Math.max(preferred, minimum), cap);
  if (count < minimum) {
    return {
      count: 0,
      reason: `no validation: ${identities} identities are too few to hold out ${minimum} and train on the rest (at most ${Math.round(maxShare * 100)}% are held out by default)`,
    };
  }
  const capped = count < Math.max(preferred, minimum);
  return {
    count,
    reason: `holding out ${count} of ${identities} identities for validation${capped ? ` (capped at ${Math.round(maxShare * 100)}%)` : ''}`,
  };
}
