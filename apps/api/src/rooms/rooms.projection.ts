import type { RecordedEvent } from '#app/event-store';
import { streamCategory, type Projection } from '#app/projections';
import type { RoomRegistered } from './room.decider.js';

/** Read model `rooms` (migration 1763800003000): one row per registered room, for GET /rooms. */
export function roomsProjection(): Projection {
  return {
    name: 'rooms.v1',
    tables: ['rooms'],
    async apply(events: readonly RecordedEvent[], manager) {
      for (const event of events) {
        if (streamCategory(event.streamId) !== 'room' || event.type !== 'RoomRegistered') continue;
        const d = event.data as RoomRegistered['data'];
        await manager.query(
          `INSERT INTO rooms (room_id, clinic_id, name, seats, max_people, registered_at, stream_revision, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (room_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id, name = EXCLUDED.name, seats = EXCLUDED.seats,
             max_people = EXCLUDED.max_people, registered_at = EXCLUDED.registered_at, stream_revision = EXCLUDED.stream_revision, updated_at = EXCLUDED.updated_at`,
          [d.roomId, d.clinicId, d.name, d.seats, d.maxPeople, d.registeredAt, event.revision, event.createdAt],
        );
      }
    },
  };
}
