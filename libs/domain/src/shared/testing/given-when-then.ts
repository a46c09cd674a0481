import { replay, type Decider } from '../decider.js';
import { isDomainError, type DomainError } from '../domain-error.js';

/**
 * given(decider, events).when(command).then(events) / .thenRefused(code): a decider test in one line.
 * Uses jest's global `expect`, so import it only from spec files (shared/testing is left out of the build).
 */
export function given<C, E, S>(decider: Decider<C, E, S>, events: readonly E[] = []) {
  const state = replay(decider, events);
  return {
    state,
    when(command: C) {
      const result = decider.decide(command, state);
      return {
        result,
        /** the exact events produced */
        then(expected: readonly E[]): E[] {
          if (isDomainError(result)) throw new Error(`Expected events, got refusal ${result.code}: ${result.message}`);
          expect(result).toEqual(expected);
          return result;
        },
        /** the events produced, for partial assertions */
        thenEvents(): E[] {
          if (isDomainError(result))
            throw new Error(`Expected events, got refusal ${result.code}: ${result.message} ${JSON.stringify(result.failures)}`);
          return result;
        },
        /** refused with this code; returns the error so its failures can be checked */
        thenRefused(code: string): DomainError {
          if (!isDomainError(result)) throw new Error(`Expected refusal ${code}, got events ${JSON.stringify(result)}`);
          expect(result.code).toBe(code);
          expect(result.message.length).toBeGreaterThan(0);
          return result;
        },
      };
    },
  };
}
