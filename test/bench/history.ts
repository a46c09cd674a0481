import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { APPEND_NOTIFY_CHANNEL } from '#app/event-store';
import { copyLineJson, copyRows, uuidFrom } from './bench-data.js';
import { CLINIC, courseTemplate, safeId } from './workload.js';

/**
 * History for the "does query cost grow with history" step, written straight into the API's `events` and
 * `streams` tables with COPY (chunks of CHUNK events, one transaction each, two connections):
 *  - `courses` course streams, each a copy of one the course decider decided (referral, accepted visitation, a
 *    fact, a microteam member among HISTORY_CLINICIANS other clinicians) with fresh ids: the API's projections
 *    apply them like any others, so the read-model tables the queries use grow as well;
 *  - the rest of `total` as archive streams (`archive-<uuid>`, 10 events each, type ArchiveEntryRecorded) that
 *    every projection reads and skips: the log grows to `total` without hours of projection work on 2 cores.
 */
const CHUNK = 50_000;
const HISTORY_CLINICIANS = 500;
const ARCHIVE_STREAM_LENGTH = 10;

export async function writeHistory(
  dataSource: DataSource,
  random: () => number,
  total: number,
  courses: number,
  progress: (written: number) => void,
): Promise<{ events: number; courses: number; courseEvents: number; archiveEvents: number; seconds: number }> {
  const template = courseTemplate();
  const perCourse = template.events.length;
  courses = Math.min(courses, Math.floor(total / perCourse));
  const archiveStreams = Math.ceil((total - courses * perCourse) / ARCHIVE_STREAM_LENGTH);
  let nextArchive = 0;
  const templateJson = template.events.map((e) => JSON.stringify(e.data));
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const start = performance.now();
  let written = 0;
  let nextCourse = 0;

  const chunk = (): { events: string[]; streams: string[] } | undefined => {
    if (nextCourse >= courses && nextArchive >= archiveStreams) return undefined;
    const events: string[] = [];
    const streams: string[] = [];
    while (nextCourse >= courses && nextArchive < archiveStreams && events.length < CHUNK) {
      const streamId = `archive-${uuidFrom(random)}`;
      const k = nextArchive++;
      for (let revision = 0; revision < ARCHIVE_STREAM_LENGTH; revision++) {
        const data = JSON.stringify({
          archive: 'paper-records-2019',
          entry: k * ARCHIVE_STREAM_LENGTH + revision,
          note: 'Scanned referral letter filed.',
        });
        const metadata = {
          schemaVersion: 1,
          actor: { staffId: 'history-import', roles: ['admin'] },
          clinicId: CLINIC,
          correlationId: uuidFrom(random),
          occurredAt: '2026-01-05T09:00:00.000Z',
        };
        events.push(copyLineJson(streamId, revision, uuidFrom(random), 'ArchiveEntryRecorded', data, JSON.stringify(metadata)));
      }
      streams.push(`${streamId}\t${ARCHIVE_STREAM_LENGTH - 1}\n`);
    }
    while (nextCourse < courses && events.length < CHUNK) {
      const k = nextCourse++;
      const courseId = safeId(random);
      const patientId = safeId(random);
      const clinician = `hist-doc-${k % HISTORY_CLINICIANS}`;
      const streamId = `course-${courseId}`;
      template.events.forEach((e, revision) => {
        const data = templateJson[revision]
          .split(template.placeholders.course)
          .join(courseId)
          .split(template.placeholders.patient)
          .join(patientId)
          .split(template.placeholders.clinician)
          .join(clinician);
        const metadata = {
          schemaVersion: 1,
          actor: { staffId: 'history-import', roles: ['admin'] },
          clinicId: CLINIC,
          correlationId: uuidFrom(random),
          occurredAt: '2026-01-05T09:00:00.000Z',
        };
        events.push(copyLineJson(streamId, revision, uuidFrom(random), e.type, data, JSON.stringify(metadata)));
      });
      streams.push(`${streamId}\t${perCourse - 1}\n`);
    }
    return { events, streams };
  };

  await Promise.all(
    [0, 1].map(async () => {
      const client = await pool.connect();
      try {
        for (let next = chunk(); next; next = chunk()) {
          await client.query('BEGIN');
          await copyRows(client, 'events', next.events);
          const stream = client.query(copyStreams.from(`COPY streams (stream_id, revision) FROM STDIN`));
          await new Promise<void>((resolve, reject) => {
            stream.on('finish', () => resolve());
            stream.on('error', reject);
            stream.end(next.streams.join(''));
          });
          // the wake-up an append sends (append_to_stream's NOTIFY), inside the chunk's transaction: delivered at its
          // commit. Without it the API's idle subscriptions would find the chunks only at their next poll (up to 30 s
          // after a quiet spell), and the catch-up figure would measure that back-off instead of the catch-up
          await client.query(`NOTIFY ${APPEND_NOTIFY_CHANNEL}`);
          await client.query('COMMIT');
          written += next.events.length;
          progress(written);
        }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }),
  );
  // a bulk load leaves the planner's statistics behind; production's autovacuum would catch up on its own
  await dataSource.query(`ANALYZE events`);
  await dataSource.query(`ANALYZE streams`);
  return {
    events: written,
    courses,
    courseEvents: courses * perCourse,
    archiveEvents: written - courses * perCourse,
    seconds: (performance.now() - start) / 1000,
  };
}
