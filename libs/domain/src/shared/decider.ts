/**
 * A decider is the whole behaviour of one event stream as three pure functions (no I/O, no clock:
 * `now` travels inside the command). Replay, "as of" queries and property tests all rest on this.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** the events the command produces, or a domain error; never throws for a business refusal */
  decide(command: Command, state: State): Event[] | DomainError;
}

/** An event as the domain sees it: a plain, serialisable object discriminated by `type`. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export function replay<C, E, S>(decider: Decider<C, E, S>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

import { DomainError } from './domain-error.js';
