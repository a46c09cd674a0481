import { DuplicateEventIdError, type AppendResult, type ExpectedRevision } from '../event-store.port.js';

/** An already stored event whose id occurs in the batch being appended. */
export interface StoredEventRow {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
  /** how many events the transaction that wrote this row appended to its stream (one append = one transaction) */
  readonly writtenInTransaction: number;
}

/**
 * Decides whether an append whose event ids are already stored is a retry of exactly that write:
 * every id stored, in this stream, by one transaction that wrote this whole batch and nothing more,
 * at the revisions the expected revision implies (any start for 'any'), in batch order.
 * Then the original result is returned; anything else is a DuplicateEventIdError.
 */
export function matchRetriedBatch(
  streamId: string,
  eventIds: readonly string[],
  expected: ExpectedRevision,
  stored: readonly StoredEventRow[],
): AppendResult {
  const byId = new Map(stored.map((row) => [row.eventId.toLowerCase(), row]));
  const rows = eventIds.map((id) => byId.get(id.toLowerCase()));
  const firstStored = eventIds.find((id) => byId.has(id.toLowerCase())) ?? eventIds[0];
  const mismatch = () => new DuplicateEventIdError(firstStored);
  if (rows.some((row) => row === undefined)) throw mismatch();
  const found = rows as StoredEventRow[];
  const start = found[0].revision;
  const impliedStart = expected === 'no_stream' ? 0 : expected === 'any' ? start : expected + 1;
  const sameWrite = found.every(
    (row, i) =>
      row.streamId === streamId &&
      row.revision === impliedStart + i &&
      row.transactionId === found[0].transactionId &&
      row.writtenInTransaction === eventIds.length,
  );
  if (!sameWrite) throw mismatch();
  const last = found.reduce((a, b) => (b.globalPosition > a.globalPosition ? b : a));
  return {
    nextExpectedRevision: impliedStart + eventIds.length - 1,
    position: { commit: last.transactionId, prepare: last.globalPosition },
  };
}
