import type { EntityManager } from 'typeorm';
import { defaultCatalogue, type Catalogue, type PathwayDefinition, type PathwayRef, CATALOGUE_PUBLISHED } from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import { insertRows, streamCategory, streamEntityId, unseenEvents, upsertClause, type Projection } from '#app/projections';
import { evolveCourses, fromJson, isCourseEvent } from '../../platform/projections/course-stream.js';
import { programmeNeeds } from './capacity-demand.js';

export const CAPACITY_OUTLOOK_PROJECTION = 'capacity-outlook.v1';

/** catalogues that ship with the product (as CatalogueService has them): their pathways are not in the log */
const BUILT_IN: readonly Catalogue[] = [defaultCatalogue];

// state as `json` (text kept as written), not `jsonb`: only ever read whole (migration 1763800090000)
const COURSE_COLUMNS = { course_id: 'text', clinic_id: 'text', state: 'json', stream_revision: 'bigint' } as const;
const DEMAND_COLUMNS = {
  course_id: 'text',
  programme_code: 'text',
  clinic_id: 'text',
  step_code: 'text',
  need_from: 'date',
  undecided: 'boolean',
  waitlisted: 'boolean',
} as const;

/**
 * Demand side of the capacity outlook (migration 1763800006000): per active course, the group programmes
 * it will need next and from when (capacity-demand.ts), in `capacity_demand`; the course states it is
 * worked out from in `capacity_courses`. The pathway a course is pinned to comes from the log as well
 * (`CataloguePublished` on `catalogue-<clinicId>`, kept in `capacity_pathways`) or from the built-in
 * catalogue, so a rebuild reproduces the same rows. Supply is `team_boards` (team-board.projection.ts).
 */
export function capacityOutlookProjection(): Projection {
  return {
    name: CAPACITY_OUTLOOK_PROJECTION,
    tables: ['capacity_courses', 'capacity_demand', 'capacity_pathways', 'capacity_sources'],
    categories: ['course', 'catalogue'],
    async apply(events: readonly RecordedEvent[], manager: EntityManager) {
      const relevant = events.filter(
        (e) => isCourseEvent(e) || (streamCategory(e.streamId) === 'catalogue' && e.type === CATALOGUE_PUBLISHED),
      );
      // catalogue events are guarded by capacity_sources, course events by the revision kept with each state
      const published = await unseenEvents(
        manager,
        'capacity_sources',
        relevant.filter((e) => !isCourseEvent(e)),
      );
      for (const e of published) await keepPathway(manager, streamEntityId(e.streamId), (e.data as { catalogue?: Catalogue }).catalogue);
      const pathways = new Map<string, PathwayDefinition | undefined>();
      const courses: unknown[][] = [];
      const demand = new Map<string, unknown[]>();
      for (const course of await evolveCourses(manager, 'capacity_courses', relevant.filter(isCourseEvent), {
        appliedRevision: 'stream_revision',
      })) {
        courses.push([course.courseId, course.clinicId, JSON.stringify(course.state), course.revision]);
        const ref = course.state.pathway;
        if (course.state.status !== 'active' || !ref) continue;
        const key = `${course.clinicId}/${ref.code}/${ref.version}`;
        if (!pathways.has(key)) pathways.set(key, await pathwayOf(manager, course.clinicId, ref));
        const pathway = pathways.get(key);
        if (!pathway) continue;
        for (const need of programmeNeeds(course.state, pathway)) {
          // (course, programme) is the key: the first need of a programme stays, as ON CONFLICT DO NOTHING kept it
          const k = `${course.courseId}\u0000${need.programme}`;
          if (!demand.has(k))
            demand.set(k, [
              course.courseId,
              need.programme,
              course.clinicId,
              need.stepCode,
              need.needFrom,
              need.undecided,
              need.waitlisted,
            ]);
        }
      }
      // one statement per table for the batch: states upserted, the courses' demand replaced
      await insertRows(
        manager,
        'capacity_courses',
        COURSE_COLUMNS,
        courses,
        upsertClause(['course_id'], COURSE_COLUMNS, ['state', 'stream_revision']),
      );
      if (courses.length > 0) await manager.query(`DELETE FROM capacity_demand WHERE course_id = ANY($1)`, [courses.map((c) => c[0])]);
      await insertRows(
        manager,
        'capacity_demand',
        DEMAND_COLUMNS,
        [...demand.values()],
        'ON CONFLICT (course_id, programme_code) DO NOTHING',
      );
    },
  };
}

async function keepPathway(manager: EntityManager, clinicId: string, catalogue: Catalogue | undefined): Promise<void> {
  const pathway = catalogue?.pathway;
  if (!pathway) return;
  await manager.query(
    `INSERT INTO capacity_pathways (clinic_id, code, version, definition) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (clinic_id, code, version) DO UPDATE SET definition = EXCLUDED.definition`,
    [clinicId, pathway.code, pathway.version, JSON.stringify(pathway)],
  );
}

async function pathwayOf(manager: EntityManager, clinicId: string, ref: PathwayRef): Promise<PathwayDefinition | undefined> {
  const rows = await manager.query<Array<{ definition: unknown }>>(
    `SELECT definition FROM capacity_pathways WHERE clinic_id = $1 AND code = $2 AND version = $3`,
    [clinicId, ref.code, ref.version],
  );
  if (rows[0]) return fromJson<PathwayDefinition>(rows[0].definition);
  return BUILT_IN.find((c) => c.pathway.code === ref.code && c.pathway.version === ref.version)?.pathway;
}
