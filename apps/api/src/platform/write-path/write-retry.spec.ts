import { WrongExpectedRevisionError } from '#app/event-store';
import { ApiError } from '../http/api-error.js';
import { DEFAULT_WRITE_RETRY, isTransientAnswer, LostRace, retryLostRaces, StreamTurns } from './write-retry.js';

const noSleep = async () => undefined;

describe('retryLostRaces', () => {
  it('decides again after lost races and returns the first real answer', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await retryLostRaces(
      DEFAULT_WRITE_RETRY,
      async () => {
        calls++;
        if (calls < 5) throw calls % 2 ? new LostRace('team-1') : new WrongExpectedRevisionError('team-1', 3, 4);
        return 'written';
      },
      async (ms) => void delays.push(ms),
      () => 0.999,
    );
    expect(result).toBe('written');
    expect(calls).toBe(5);
    // full jitter under a doubling cap: 4, 8, 16, 32 ms at most
    expect(delays).toEqual([3, 7, 15, 31]);
  });

  it('passes a business refusal through at once', async () => {
    let calls = 0;
    const refusal = new ApiError(409, 'TEAM_FULL', 'full');
    await expect(
      retryLostRaces(
        DEFAULT_WRITE_RETRY,
        async () => {
          calls++;
          throw refusal;
        },
        noSleep,
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it('answers 409 CONCURRENCY_CONFLICT when the attempts are spent', async () => {
    let calls = 0;
    const error = await retryLostRaces(
      { ...DEFAULT_WRITE_RETRY, maxAttempts: 6 },
      async () => {
        calls++;
        throw new LostRace('team-1');
      },
      noSleep,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 409, code: 'CONCURRENCY_CONFLICT', details: { streamId: 'team-1', attempts: 6 } });
    expect(calls).toBe(6);
  });

  it('gives every write its minimum attempts even when the budget is spent', async () => {
    let calls = 0;
    await retryLostRaces(
      { ...DEFAULT_WRITE_RETRY, budgetMs: 0 },
      async () => {
        calls++;
        throw new LostRace('team-1');
      },
      noSleep,
    ).catch(() => undefined);
    expect(calls).toBe(DEFAULT_WRITE_RETRY.minAttempts);
  });
});

describe('isTransientAnswer', () => {
  it('is true for a lost race, a twin still running and server errors only', () => {
    expect(isTransientAnswer(409, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect(isTransientAnswer(409, 'REQUEST_IN_PROGRESS')).toBe(true);
    expect(isTransientAnswer(503, 'UNAVAILABLE')).toBe(true);
    expect(isTransientAnswer(409, 'TEAM_FULL')).toBe(false);
    expect(isTransientAnswer(412, 'PRECONDITION_FAILED')).toBe(false);
    expect(isTransientAnswer(201, undefined)).toBe(false);
  });
});

describe('StreamTurns', () => {
  it('runs writes to one stream one after the other, in arrival order, and other streams alongside', async () => {
    const turns = new StreamTurns();
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = turns.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    });
    const second = turns.run('a', async () => void log.push('a2'));
    const other = turns.run('b', async () => void log.push('b1'));
    await other;
    expect(log).toEqual(['a1 start', 'b1']);
    open();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('is re-entrant for the write holding the turn, and a failed write gives the turn back', async () => {
    const turns = new StreamTurns();
    await expect(turns.run('a', () => turns.run('a', async () => 'inner'))).resolves.toBe('inner');
    await expect(turns.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(turns.run('a', async () => 'next')).resolves.toBe('next');
  });

  it('lets a write go ahead without its turn after maxWaitMs, so a stuck holder cannot deadlock it', async () => {
    const turns = new StreamTurns(20);
    let open!: () => void;
    const stuck = turns.run('a', () => new Promise<void>((resolve) => (open = resolve)));
    await expect(turns.run('a', async () => 'went ahead')).resolves.toBe('went ahead');
    open();
    await stuck;
  });
});
