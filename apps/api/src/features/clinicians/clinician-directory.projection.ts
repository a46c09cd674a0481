import type { EntityManager } from 'typeorm';
import { evolveClinician, initialClinicianState, type ClinicianEvent, type ClinicianState } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { streamCategory, streamEntityId, type Projection } from '#app/projections';

const CLINICIAN_EVENTS = new Set(['ClinicianRegistered', 'CompetenceGranted', 'CompetenceRevoked', 'TeamServiceRecorded']);

interface Pending {
  clinicId: string | null;
  state: ClinicianState;
  revision: number;
  updatedAt: Date;
}

/**
 * Read model `clinician_directory` (migration 1763800030001): each registered clinician with the clinic whose
 * stream it is (the first event's metadata) and the replayed state, for GET /clinicians.
 */
export function clinicianDirectoryProjection(): Projection {
  return {
    name: 'clinician-directory.v1',
    tables: ['clinician_directory'],
    categories: ['clinician'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const pending = new Map<string, Pending>();
      for (const event of events) {
        if (streamCategory(event.streamId) !== 'clinician' || !CLINICIAN_EVENTS.has(event.type)) continue;
        const clinicianId = streamEntityId(event.streamId);
        let entry = pending.get(clinicianId);
        if (!entry) {
          const rows: { clinic_id: string; state: ClinicianState | string }[] = await manager.query(
            `SELECT clinic_id, state FROM clinician_directory WHERE clinician_id = $1`,
            [clinicianId],
          );
          const row = rows.at(0);
          const stored = row?.state;
          entry = {
            clinicId: row?.clinic_id ?? null,
            state:
              stored === undefined ? initialClinicianState : typeof stored === 'string' ? (JSON.parse(stored) as ClinicianState) : stored,
            revision: -1,
            updatedAt: event.createdAt,
          };
          pending.set(clinicianId, entry);
        }
        if (event.type === 'ClinicianRegistered') entry.clinicId = (event.metadata as { clinicId?: string }).clinicId ?? null;
        entry.state = evolveClinician(entry.state, { type: event.type, data: event.data } as ClinicianEvent);
        entry.revision = event.revision;
        entry.updatedAt = event.createdAt;
      }
      for (const [clinicianId, { clinicId, state, revision, updatedAt }] of pending) {
        if (!state.registered || clinicId === null) continue;
        await manager.query(
          `INSERT INTO clinician_directory (clinician_id, clinic_id, professions, employment_start, state, stream_revision, updated_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
           ON CONFLICT (clinician_id) DO UPDATE SET clinic_id = EXCLUDED.clinic_id, professions = EXCLUDED.professions,
             employment_start = EXCLUDED.employment_start, state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision, updated_at = EXCLUDED.updated_at`,
          [clinicianId, clinicId, [...state.professions], state.employmentStart ?? '', JSON.stringify(state), revision, updatedAt],
        );
      }
    },
  };
}
