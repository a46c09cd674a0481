import { AsyncLocalStorage } from 'node:async_hooks';
import { WrongExpectedRevisionError } from '#app/event-store';
import { ApiError } from '../http/api-error.js';
import { stopwatch } from '../clock/stopwatch.js';

/**
 * How a write that lost a race (another writer appended to its stream between its load and its append)
 * is decided again inside the server. A lost race is not an answer for the client: the command is
 * reloaded, decided on the fresh state and appended again, after a short random pause (full jitter, so
 * many racers spread out instead of colliding again in lock step), until it gets a real answer (success
 * or a business refusal such as TEAM_FULL) or the budget is spent. Only then does the client see
 * 409 CONCURRENCY_CONFLICT, which is never stored as the answer to an Idempotency-Key.
 */
export interface WriteRetryPolicy {
  /** most attempts of one write (the first included) */
  readonly maxAttempts: number;
  /** most time one write spends re-deciding, from its first attempt (but it always gets minAttempts) */
  readonly budgetMs: number;
  /** attempts a write always gets, however slow they were (a slow database must not turn one lost race into a 409) */
  readonly minAttempts: number;
  /** the pause before the 2nd attempt is random in [0, baseDelayMs]; it doubles per attempt up to maxDelayMs */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_WRITE_RETRY: WriteRetryPolicy = {
  maxAttempts: 100,
  budgetMs: 10_000,
  minAttempts: 3,
  baseDelayMs: 4,
  maxDelayMs: 100,
};

/**
 * Thrown by one attempt when its stream moved on since it was loaded (a lost race). Internal: it never
 * reaches a client, `retryLostRaces` turns the last one into 409 CONCURRENCY_CONFLICT.
 */
export class LostRace extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} was written by someone else between load and append.`);
  }
}

export function isLostRace(error: unknown): error is LostRace | WrongExpectedRevisionError {
  return error instanceof LostRace || error instanceof WrongExpectedRevisionError;
}

/** Transient answers: the same request can get another answer when sent again, so they are never replayed. */
export function isTransientAnswer(statusCode: number, code: string | undefined): boolean {
  return statusCode >= 500 || code === 'CONCURRENCY_CONFLICT' || code === 'REQUEST_IN_PROGRESS';
}

/** Runs `attempt` until it does not lose a race, within the policy; the last loss becomes a 409. */
export async function retryLostRaces<T>(
  policy: WriteRetryPolicy,
  attempt: (n: number) => Promise<T>,
  sleep: (ms: number) => Promise<void> = defaultSleep,
  random: () => number = Math.random,
): Promise<T> {
  // a budget of real waiting (the sleeps below run on Node's timers): measured on a monotonic stopwatch, not the Clock
  const elapsed = stopwatch();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isLostRace(error)) throw error;
      const delay = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n - 1, 20)));
      const overBudget = n >= policy.minAttempts && elapsed() + delay > policy.budgetMs;
      if (n >= policy.maxAttempts || overBudget) {
        throw new ApiError(409, 'CONCURRENCY_CONFLICT', 'This record is being changed by many people at once. Please try again.', {
          streamId: error.streamId,
          attempts: n,
        });
      }
      await sleep(delay);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes to one stream from this process take turns (first come, first served), so racers inside one
 * API process queue instead of loading the same revision and all but one losing: 32 enrolments for one
 * team append one after the other. Races with other processes remain, and `retryLostRaces` decides those
 * again. Re-entrant per async context (a write may re-enter its own stream's turn, e.g. TeamWriter's
 * unit calling DeciderStore.execute). Turns only order writes, correctness never depends on them (the
 * append's expected revision does): a write that has waited `maxWaitMs` for its turn goes ahead without
 * it, so a stuck or nested holder delays the others but can never deadlock them.
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly maxWaitMs = 10_000) {}

  async run<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const held = this.held.getStore();
    if (held?.has(streamId)) return work();
    const previous = this.tails.get(streamId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(streamId, tail);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([previous, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)))]);
    clearTimeout(timer);
    try {
      return await this.held.run(new Set([...(held ?? []), streamId]), work);
    } finally {
      release();
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    }
  }
}
