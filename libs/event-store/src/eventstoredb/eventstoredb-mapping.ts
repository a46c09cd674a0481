import { ANY, NO_STREAM, type AppendExpectedRevision, type Position as EsdbPosition } from '@eventstore/db-client';
import type { ExpectedRevision, Position } from '../event-store.port.js';

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** EventStoreDB reports the current revision as a bigint, or 'no_stream'. */
export function fromEsdbRevision(current: unknown): number | 'no_stream' {
  return typeof current === 'bigint' ? Number(current) : 'no_stream';
}

export function fromEsdbPosition(position: EsdbPosition): Position {
  return { commit: position.commit, prepare: position.prepare };
}

/** System streams and events (statistics, metadata, links, projections) start with `$`. */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}
