import { ANY, NO_STREAM } from '@eventstore/db-client';
import { fromEsdbPosition, fromEsdbRevision, isSystemEvent, toEsdbExpectedRevision } from './eventstoredb-mapping.js';

describe('EventStoreDB mapping', () => {
  it('maps expected revisions', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(7)).toBe(7n);
  });

  it('maps the actual revision of a conflict', () => {
    expect(fromEsdbRevision(3n)).toBe(3);
    expect(fromEsdbRevision(NO_STREAM)).toBe('no_stream');
  });

  it('keeps commit and prepare positions', () => {
    expect(fromEsdbPosition({ commit: 10n, prepare: 9n })).toEqual({ commit: 10n, prepare: 9n });
  });

  it('recognises system events and streams', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$$course-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'course-1', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'course-1', type: 'SeatReserved' })).toBe(false);
  });
});
