/** One reason a request was refused, in words a secretary can read aloud. */
export interface FailedCriterion {
  readonly code: string;
  readonly reason: string;
}

/**
 * A business refusal. `code` is stable (API clients switch on it); `message` is a sentence for a person;
 * `failures` lists every failed criterion (eligibility and competence refusals never stop at the first).
 */
export class DomainError {
  readonly kind = 'DomainError' as const;
  constructor(
    readonly code: string,
    readonly message: string,
    readonly failures: readonly FailedCriterion[] = [],
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {}
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

export function refuse(
  code: string,
  message: string,
  failures: readonly FailedCriterion[] = [],
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, message, failures, details);
}
