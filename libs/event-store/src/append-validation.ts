import { InvalidAppendError, type EventToAppend, type ExpectedRevision } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an append request the same way for every adapter; throws InvalidAppendError. */
export function validateAppend(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  checkAppend(streamId, events, expected);
}

/** The same checks over what a caller without types (plain JavaScript, a bad cast) may really send. */
function checkAppend(streamId: unknown, events: unknown, expected: unknown): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidAppendError('The stream id must be a non-empty string.');
  if (!Array.isArray(events) || events.length === 0)
    throw new InvalidAppendError(`Nothing to append to stream ${streamId}: the batch is empty.`);
  if (!(
    expected === 'no_stream' ||
    expected === 'any' ||
    (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0)
  )) {
    throw new InvalidAppendError(`Expected revision ${String(expected)} is not 'no_stream', 'any' or a revision >= 0.`);
  }
  const seen = new Set<string>();
  for (const event of events as Partial<Record<keyof EventToAppend, unknown>>[]) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendError(`Event id ${String(event.id)} is not a uuid.`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendError(`Event id ${event.id} occurs twice in one batch.`);
    seen.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`Event ${event.id} has no type.`);
    if (event.data === undefined) throw new InvalidAppendError(`Event ${event.id} has no data (use null or {}).`);
    if (event.metadata === null || typeof event.metadata !== 'object' || Array.isArray(event.metadata)) {
      throw new InvalidAppendError(`Event ${event.id} metadata must be a JSON object.`);
    }
  }
}
