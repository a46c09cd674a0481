import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DuplicateEventIdError } from '../event-store.port.js';
import { matchRetriedBatch, type StoredEventRow } from './retried-batch.js';

function storedBatch(streamId: string, start: number, size: number, tx = 900n, firstPosition = 40n): StoredEventRow[] {
  return Array.from({ length: size }, (_, i) => ({
    eventId: randomUUID(),
    streamId,
    revision: start + i,
    transactionId: tx,
    globalPosition: firstPosition + BigInt(i),
    writtenInTransaction: size,
  }));
}

describe('matchRetriedBatch', () => {
  it('answers an exact retry with the original result', () => {
    const rows = storedBatch('s', 3, 2);
    expect(
      matchRetriedBatch(
        's',
        rows.map((r) => r.eventId),
        2,
        rows,
      ),
    ).toEqual({
      nextExpectedRevision: 4,
      position: { commit: 900n, prepare: 41n },
    });
    const created = storedBatch('t', 0, 3);
    expect(
      matchRetriedBatch(
        't',
        created.map((r) => r.eventId.toUpperCase()),
        'no_stream',
        created,
      ).nextExpectedRevision,
    ).toBe(2);
    expect(
      matchRetriedBatch(
        't',
        created.map((r) => r.eventId),
        'any',
        created,
      ).nextExpectedRevision,
    ).toBe(2);
  });

  it('refuses a retry whose expected revision implies other revisions', () => {
    const rows = storedBatch('s', 3, 2);
    const ids = rows.map((r) => r.eventId);
    expect(() => matchRetriedBatch('s', ids, 3, rows)).toThrow(DuplicateEventIdError);
    expect(() => matchRetriedBatch('s', ids, 'no_stream', rows)).toThrow(DuplicateEventIdError);
  });

  it('refuses another stream, a subset, a superset and a batch stitched from two writes', () => {
    const rows = storedBatch('s', 0, 3);
    const ids = rows.map((r) => r.eventId);
    expect(() =>
      matchRetriedBatch(
        'other',
        ids,
        'no_stream',
        rows.map((r) => ({ ...r, streamId: 's' })),
      ),
    ).toThrow(DuplicateEventIdError);
    expect(() => matchRetriedBatch('s', ids.slice(0, 2), 'no_stream', rows.slice(0, 2))).toThrow(DuplicateEventIdError);
    expect(() => matchRetriedBatch('s', [...ids, randomUUID()], 'no_stream', rows)).toThrow(DuplicateEventIdError);
    const stitched = [...storedBatch('s', 0, 1, 5n), ...storedBatch('s', 1, 1, 6n)].map((r) => ({ ...r, writtenInTransaction: 2 }));
    expect(() =>
      matchRetriedBatch(
        's',
        stitched.map((r) => r.eventId),
        'no_stream',
        stitched,
      ),
    ).toThrow(DuplicateEventIdError);
  });

  it('names a stored id in the error', () => {
    const rows = storedBatch('s', 0, 1);
    const fresh = randomUUID();
    const error = (() => {
      try {
        matchRetriedBatch('s', [fresh, rows[0].eventId], 'no_stream', rows);
      } catch (e) {
        return e as DuplicateEventIdError;
      }
    })();
    expect(error?.eventId).toBe(rows[0].eventId);
  });

  it('accepts exactly the identity order of the stored batch (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 50 }), fc.func(fc.integer()), (size, start, shuffleKey) => {
        const rows = storedBatch('s', start, size);
        const ids = rows.map((r) => r.eventId);
        const order = ids
          .map((id, i) => ({ id, key: shuffleKey(i) }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.id);
        const expected = start === 0 ? 'no_stream' : start - 1;
        const identity = order.every((id, i) => id === ids[i]);
        if (identity) expect(matchRetriedBatch('s', order, expected, rows).nextExpectedRevision).toBe(start + size - 1);
        else expect(() => matchRetriedBatch('s', order, expected, rows)).toThrow(DuplicateEventIdError);
      }),
    );
  });
});
