import { qualifiedClinician } from '../support/qualified-clinician.js';
import {
  addDaysToLocalDate,
  clinicianDecider,
  courseDecider,
  defaultCatalogue,
  formatInZone,
  isDomainError,
  teamDecider,
  type CourseCommand,
  type CourseEvent,
  type DomainEvent,
  type TeamCommand,
} from '#app/domain';
import type { EventStore } from '#app/event-store';
import { DeciderStore } from '../../apps/api/src/platform/write-path/decider-store.js';
import type { EventMetadata } from '../../apps/api/src/platform/write-path/event-metadata.js';
import { uuidFrom } from './bench-data.js';

/**
 * The bench's world, written through the domain's deciders and the real DeciderStore (load, decide, append
 * with expected revision), as the API would: qualified therapists, planned Forstå smerte teams, accepted
 * courses with "needs interpreter: no" recorded, and a roster clinician in some courses' microteams.
 * Ids come from the seeded PRNG; dates are relative to today (teams must start in the future).
 */

export const CLINIC = defaultCatalogue.clinicId;
export const ROSTER_CLINICIAN = 'bench-doc-1';
const pathway = defaultCatalogue.pathway;
const TZ = defaultCatalogue.settings.timeZone;
const DAY = 86_400_000;
const iso = (ms: number = Date.now()): string => formatInZone(ms, TZ);

/** the course decider refuses anything that looks like a CPR number (`\d{6}-?\d{4}`), ids included */
export function safeId(random: () => number): string {
  for (;;) {
    const id = uuidFrom(random);
    if (!/(^|\D)\d{6}-?\d{4}(?!\d)/.test(id)) return id;
  }
}

export function metadata(random: () => number, staffId = 'bench-secretary'): EventMetadata {
  return {
    schemaVersion: 1,
    actor: { staffId, roles: ['secretary'] },
    clinicId: CLINIC,
    correlationId: uuidFrom(random),
    occurredAt: iso(),
    reason: 'bench workload',
  };
}

export interface World {
  readonly teams: string[];
  readonly courses: string[];
  readonly rosterCourses: number;
}

/** runs `work` over `items` with at most `parallel` in flight */
export async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i], i);
    }),
  );
}

export async function buildWorld(
  store: EventStore,
  random: () => number,
  sizes: { teams: number; coursesPerTeam: number; rosterCourses: number },
  progress: (what: string) => void,
): Promise<World> {
  const decider = new DeciderStore(store);
  const therapists = {
    primary: qualifiedClinician('bench-primary', iso()),
    secondary: qualifiedClinician('bench-secondary', iso()),
    roster: qualifiedClinician(ROSTER_CLINICIAN, iso()),
  };
  for (const [id, c] of [
    ['bench-primary', therapists.primary],
    ['bench-secondary', therapists.secondary],
    [ROSTER_CLINICIAN, therapists.roster],
  ] as const) {
    // a second world in the same store (the bench's two-process run) reuses the clinicians
    if ((await store.readStream(`clinician-${id}`)).length > 0) continue;
    for (const command of c.commands)
      await decider.execute(clinicianDecider, `clinician-${id}`, command, { metadata: metadata(random, 'bench-admin') });
  }

  const teams = Array.from({ length: sizes.teams }, () => safeId(random));
  const today = iso().slice(0, 10);
  await inParallel(teams, 8, async (teamId, i) => {
    const team = (command: TeamCommand) => decider.execute(teamDecider, `team-${teamId}`, command, { metadata: metadata(random) });
    await team({
      type: 'PlanTeam',
      teamId,
      now: iso(),
      catalogue: defaultCatalogue,
      programmeCode: 'FORSTAA_SMERTE',
      room: { roomId: `bench-room-${i % 8}`, seats: 30 },
      startsOn: addDaysToLocalDate(today, 30 + (i % 20)),
      startTime: i % 2 === 0 ? '09:00' : '13:00',
    });
    await team({
      type: 'AssignTherapist',
      teamId,
      now: iso(),
      clinicianId: 'bench-primary',
      role: 'primary',
      clinician: therapists.primary.state,
    });
    await team({
      type: 'AssignTherapist',
      teamId,
      now: iso(),
      clinicianId: 'bench-secondary',
      role: 'secondary',
      clinician: therapists.secondary.state,
    });
  });
  progress(`${teams.length} teams planned and staffed`);

  const courses = Array.from({ length: sizes.teams * sizes.coursesPerTeam }, () => ({
    courseId: safeId(random),
    patientId: safeId(random),
  }));
  await inParallel(courses, 8, async ({ courseId, patientId }, i) => {
    const course = (command: Omit<CourseCommand, 'pathway'>) =>
      decider.execute(courseDecider, `course-${courseId}`, { ...command, pathway } as CourseCommand, { metadata: metadata(random) });
    await course({
      type: 'ReceiveReferral',
      courseId,
      patientId,
      receivedAt: iso(Date.now() - (10 + (i % 30)) * DAY),
      referrer: { kind: 'GP', id: 'GP-0421' },
      content: Object.fromEntries(pathway.referral.requiredContent.map((item) => [item.code, 'noted'])),
      now: iso(),
    } as Omit<CourseCommand, 'pathway'>);
    await course({
      type: 'DecideVisitation',
      decision: 'accept',
      assessment: Object.fromEntries(pathway.referral.criteriaSet.criteria.map((c) => [c.code, true])),
      now: iso(),
    } as Omit<CourseCommand, 'pathway'>);
    await course({
      type: 'RecordPatientFact',
      fact: 'needsInterpreter',
      value: false,
      basis: { source: 'CONSULTATION' },
      now: iso(),
    } as Omit<CourseCommand, 'pathway'>);
    if (i < sizes.rosterCourses) {
      await course({ type: 'AssignMicroteamMember', clinicianId: ROSTER_CLINICIAN, role: 'PAL', now: iso() } as Omit<
        CourseCommand,
        'pathway'
      >);
    }
    if ((i + 1) % 500 === 0) progress(`${i + 1} courses accepted`);
  });
  return { teams, courses: courses.map((c) => c.courseId), rosterCourses: Math.min(sizes.rosterCourses, courses.length) };
}

/**
 * The events of one accepted course with a microteam member, decided once by the course decider with
 * placeholder ids; history streams are copies with the ids replaced (valid shape, decided by the domain).
 */
export function courseTemplate(): {
  readonly events: readonly DomainEvent[];
  readonly placeholders: { course: string; patient: string; clinician: string };
} {
  const placeholders = {
    course: 'c0c0c0c0-0000-4000-8000-00000000c0c0',
    patient: 'babababa-0000-4000-8000-0000000000ba',
    clinician: 'HISTORY-CLINICIAN',
  };
  const now = iso();
  const commands: CourseCommand[] = [
    {
      type: 'ReceiveReferral',
      courseId: placeholders.course,
      patientId: placeholders.patient,
      receivedAt: iso(Date.now() - 400 * DAY),
      referrer: { kind: 'GP', id: 'GP-0421' },
      content: Object.fromEntries(pathway.referral.requiredContent.map((item) => [item.code, 'noted'])),
      now,
      pathway,
    },
    {
      type: 'DecideVisitation',
      decision: 'accept',
      assessment: Object.fromEntries(pathway.referral.criteriaSet.criteria.map((c) => [c.code, true])),
      now,
      pathway,
    },
    { type: 'RecordPatientFact', fact: 'needsInterpreter', value: false, basis: { source: 'CONSULTATION' }, now, pathway },
    { type: 'AssignMicroteamMember', clinicianId: placeholders.clinician, role: 'PAL', now, pathway },
  ];
  let state = courseDecider.initialState();
  const events: CourseEvent[] = [];
  for (const c of commands) {
    const decided = courseDecider.decide(c, state);
    if (isDomainError(decided)) throw new Error(`${c.type}: ${decided.code}`);
    for (const e of decided) {
      state = courseDecider.evolve(state, e);
      events.push(e);
    }
  }
  return { events, placeholders };
}
