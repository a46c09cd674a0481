import type { RecordedEvent } from '#app/event-store';
import type { RoomRegistered } from '#app/domain';
import { insertRows, streamCategory, upsertClause, type Projection } from '#app/projections';

const COLUMNS = {
  room_id: 'text',
  clinic_id: 'text',
  name: 'text',
  seats: 'int',
  max_people: 'int',
  registered_at: 'timestamptz',
  stream_revision: 'bigint',
  updated_at: 'timestamptz',
} as const;

/** Read model `rooms` (migration 1763800003000): one row per registered room, for GET /rooms. */
export function roomsProjection(): Projection {
  return {
    name: 'rooms.v1',
    tables: ['rooms'],
    categories: ['room'],
    async apply(events: readonly RecordedEvent[], manager) {
      // the last registration of a room in the batch wins, as it would event by event; one upsert for the batch
      const rows = new Map<string, unknown[]>();
      for (const event of events) {
        if (streamCategory(event.streamId) !== 'room' || event.type !== 'RoomRegistered') continue;
        const d = event.data as RoomRegistered['data'];
        rows.set(d.roomId, [d.roomId, d.clinicId, d.name, d.seats, d.maxPeople ?? null, d.registeredAt, event.revision, event.createdAt]);
      }
      await insertRows(manager, 'rooms', COLUMNS, [...rows.values()], upsertClause(['room_id'], COLUMNS));
    },
  };
}
