import type { Decider } from './decider.js';
import { isDomainError } from './domain-error.js';

/**
 * Several commands as one: each is decided on the state the previous ones left, and either all their
 * events are appended together (one append, one revision) or the first refusal is returned and nothing is.
 * Used to record several patient facts, remove a clinician from every role, or write a process manager's
 * follow-ups, atomically.
 */
export function batchDecider<C, E, S>(decider: Decider<C, E, S>): Decider<readonly C[], E, S> {
  return {
    initialState: () => decider.initialState(),
    evolve: (state, event) => decider.evolve(state, event),
    decide(commands, state) {
      const events: E[] = [];
      let current = state;
      for (const command of commands) {
        const result = decider.decide(command, current);
        if (isDomainError(result)) return result;
        for (const event of result) current = decider.evolve(current, event);
        events.push(...result);
      }
      return events;
    },
  };
}
