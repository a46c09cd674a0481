import type { SlotReleased, SlotReserved } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, type Projection } from '#app/projections';

interface Row {
  kind: 'room' | 'clinician';
  id: string;
  hold: string;
  clinicId: string | null;
  busyWith: string;
  start: string;
  end: string;
  teamId: string | null;
  sessionKey: string | null;
  revision: number;
}

/** `schedule-room-<id>` → room <id>; patients' schedule streams are not part of this read model */
function resourceOf(streamId: string): { kind: 'room' | 'clinician'; id: string } | undefined {
  if (streamCategory(streamId) !== 'schedule') return undefined;
  const rest = streamEntityId(streamId);
  if (rest.startsWith('room-')) return { kind: 'room', id: rest.slice(5) };
  if (rest.startsWith('clinician-')) return { kind: 'clinician', id: rest.slice(10) };
  return undefined;
}

/**
 * Read model `busy_times` (migration 1763800020000): the active holds of every room and clinician, from
 * SlotReserved / SlotReleased on their schedule streams. A batch is folded to its final state per hold first,
 * then written with one multi-row upsert and one multi-row delete (not one query per event).
 */
export function busyTimesProjection(): Projection {
  return {
    name: 'busy-times.v1',
    tables: ['busy_times'],
    categories: ['schedule'],
    async apply(events: readonly RecordedEvent[], manager) {
      const final = new Map<string, Row | { delete: true; kind: string; id: string; hold: string }>();
      for (const event of events) {
        const resource = resourceOf(event.streamId);
        if (!resource) continue;
        if (event.type === 'SlotReserved') {
          const d = event.data as SlotReserved['data'];
          const meta = event.metadata as { clinicId?: string } | undefined;
          final.set(`${resource.kind}\n${resource.id}\n${d.appointmentId}`, {
            ...resource,
            hold: d.appointmentId,
            clinicId: d.clinicId ?? meta?.clinicId ?? null,
            busyWith: d.kind,
            start: d.start,
            end: d.end,
            teamId: d.teamId ?? null,
            sessionKey: d.sessionKey ?? null,
            revision: event.revision,
          });
        } else if (event.type === 'SlotReleased') {
          const d = event.data as SlotReleased['data'];
          final.set(`${resource.kind}\n${resource.id}\n${d.appointmentId}`, { delete: true, ...resource, hold: d.appointmentId });
        }
      }
      if (final.size === 0) return;
      const upserts = [...final.values()].filter((r): r is Row => !('delete' in r));
      const deletes = [...final.values()].filter((r) => 'delete' in r);
      if (deletes.length > 0) {
        await manager.query(
          `DELETE FROM busy_times b USING unnest($1::text[], $2::text[], $3::text[]) AS x(kind, id, hold)
            WHERE b.resource_kind = x.kind AND b.resource_id = x.id AND b.hold_id = x.hold`,
          [deletes.map((r) => r.kind), deletes.map((r) => r.id), deletes.map((r) => r.hold)],
        );
      }
      if (upserts.length > 0) {
        await manager.query(
          `INSERT INTO busy_times (resource_kind, resource_id, hold_id, clinic_id, kind, starts_at, ends_at, team_id, session_key, stream_revision)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::bigint[])
           ON CONFLICT (resource_kind, resource_id, hold_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id, kind = EXCLUDED.kind, starts_at = EXCLUDED.starts_at,
             ends_at = EXCLUDED.ends_at, team_id = EXCLUDED.team_id, session_key = EXCLUDED.session_key, stream_revision = EXCLUDED.stream_revision`,
          [
            upserts.map((r) => r.kind),
            upserts.map((r) => r.id),
            upserts.map((r) => r.hold),
            upserts.map((r) => r.clinicId),
            upserts.map((r) => r.busyWith),
            upserts.map((r) => r.start),
            upserts.map((r) => r.end),
            upserts.map((r) => r.teamId),
            upserts.map((r) => r.sessionKey),
            upserts.map((r) => r.revision),
          ],
        );
      }
    },
  };
}
