import fc from 'fast-check';
import { DataSource } from 'typeorm';
import {
  appointmentsOfCourse,
  resourceKey,
  scheduleDecider,
  scheduleStreamId,
  teamDecider,
  teamResourceUse,
  type ResourceRef,
  type ScheduleEvent,
  type Slot,
  type TeamEvent,
  type TeamState,
} from '#app/domain';
import type { EventStore } from '#app/event-store';
import { rebuildProjection } from '#app/projections';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { busyTimesProjection } from '../../apps/api/src/features/schedule/busy-times.projection.js';
import { courseApi, cprFor } from '../courses/course-api.js';
import { caughtUp } from '../integrations/caught-up.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, DAY } from '../teams/helpers.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Random sequences of plan / assign / remove / move / cancel-session / book / cancel-appointment through the
 * real HTTP API. After every sequence, from the streams: no resource holds two overlapping reservations, every
 * team's room and staff are held exactly as its stream says (nothing missing, nothing left behind), every
 * appointment holds its clinicians and room; and the busy_times read model equals both the streams and its
 * rebuild from position 0.
 */
const targets = await testDatabaseTargets();

const ROOMS = 3;
const STAFF = 4;
const COURSES = 2;

type Op =
  | { k: 'plan'; room: number; day: number; slot: number; programme: 'FORSTAA_SMERTE' | 'AFSPAENDING' }
  | { k: 'assign'; team: number; staff: number }
  | { k: 'remove'; team: number; staff: number }
  | { k: 'move'; team: number; session: number; day: number; slot: number; room: number | null }
  | { k: 'cancelSession'; team: number; session: number }
  | { k: 'book'; course: number; staff: number; room: number | null; day: number; slot: number }
  | { k: 'cancelAppointment'; appointment: number };

const day = fc.integer({ min: 0, max: 20 });
/** half-hour slots from 08:00 to 15:00 local */
const slot = fc.integer({ min: 0, max: 14 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('plan' as const),
      room: fc.integer({ min: 0, max: ROOMS - 1 }),
      day,
      slot,
      programme: fc.constantFrom('FORSTAA_SMERTE' as const, 'AFSPAENDING' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('assign' as const), team: fc.nat(20), staff: fc.integer({ min: 0, max: STAFF - 1 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('remove' as const), team: fc.nat(20), staff: fc.integer({ min: 0, max: STAFF - 1 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('move' as const),
      team: fc.nat(20),
      session: fc.integer({ min: 1, max: 5 }),
      day,
      slot,
      room: fc.option(fc.integer({ min: 0, max: ROOMS - 1 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('cancelSession' as const), team: fc.nat(20), session: fc.integer({ min: 1, max: 5 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('book' as const),
      course: fc.integer({ min: 0, max: COURSES - 1 }),
      staff: fc.integer({ min: 0, max: STAFF - 1 }),
      room: fc.option(fc.integer({ min: 0, max: ROOMS - 1 })),
      day,
      slot,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancelAppointment' as const), appointment: fc.nat(20) }) },
);

const EXPECTED = new Set([200, 201, 404, 409, 422]);

describeForEachDatabase(targets, 'schedule properties: never two overlapping reservations of one resource', (target) => {
  let t: TestApp;
  let secretary: Awaited<ReturnType<typeof as>>;
  let store: EventStore;
  let dataSource: DataSource;
  const rooms: string[] = [];
  const staff: string[] = [];
  const courses: Array<{ courseId: string; patientId: string }> = [];
  let run = 0;

  beforeAll(async () => {
    t = await startTestApp(target);
    secretary = await as(t, ['secretary']);
    store = t.app.get<EventStore>(EVENT_STORE);
    dataSource = t.app.get(DataSource);
    for (let i = 0; i < ROOMS; i++)
      rooms.push((await secretary.post('/rooms', { name: `Lokale ${i}`, seats: 20 }).expect(201)).body.roomId);
    for (let i = 0; i < STAFF; i++) {
      await secretary.post('/clinicians', { clinicianId: `PROP-${i}`, professions: ['NURSE'], employmentStart: '2018-01-01' }).expect(201);
      staff.push(`PROP-${i}`);
    }
    const api = courseApi(t);
    for (let i = 0; i < COURSES; i++) courses.push(await api.activeCourse(cprFor(700 + i)));
    // no shorter timeout than jest's 120 s: booting PGlite and ~10 HTTP writes can take a minute on a loaded 2-core machine
  });
  afterAll(() => closeIfStarted(t));

  async function holds(resource: ResourceRef): Promise<Slot[]> {
    const events = await store.readStream(scheduleStreamId(resource));
    const state = events.reduce(
      (s, e) => scheduleDecider.evolve(s, { type: e.type, data: e.data } as ScheduleEvent),
      scheduleDecider.initialState(),
    );
    return Object.values(state.slots).filter((s) => s.status === 'reserved');
  }

  async function team(teamId: string): Promise<TeamState> {
    const events = await store.readStream(`team-${teamId}`);
    return events.reduce((s, e) => teamDecider.evolve(s, { type: e.type, data: e.data } as TeamEvent), teamDecider.initialState());
  }

  it('for generated histories; the busy read model equals the streams and its rebuild', async () => {
    const api = courseApi(t);
    const seen = { written: 0, clashes: 0 };
    const runs = target.kind === 'postgres' ? 6 : 2;
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 12, maxLength: 28 }), async (ops: Op[]) => {
        // each run plans in its own weeks, so runs do not crowd each other out
        const base = Date.parse('2031-01-06T00:00:00+01:00') + run++ * 70 * DAY;
        const date = (d: number) => new Date(base + d * DAY).toISOString().slice(0, 10);
        const time = (s: number) => `${String(8 + Math.floor(s / 2)).padStart(2, '0')}:${s % 2 ? '30' : '00'}`;
        const instant = (d: number, s: number) => `${date(d)}T${time(s)}:00+01:00`;
        const teams: string[] = [];
        const appointments: Array<{ courseId: string; appointmentId: string }> = [];
        // a fixed start that always clashes (the second team 30 minutes into the first one's session), then the generated ops
        const prelude: Op[] = [
          { k: 'plan', room: 0, day: 0, slot: 0, programme: 'FORSTAA_SMERTE' },
          { k: 'plan', room: 0, day: 0, slot: 1, programme: 'FORSTAA_SMERTE' },
        ];
        for (const op of [...prelude, ...ops]) {
          let res: { status: number; body: { code?: string; teamId?: string; appointmentId?: string } };
          // an op without a team (plan, book, ...) names none; before present() this read teams[NaN], i.e. undefined
          const teamIndex = (op as { team?: number }).team;
          const teamId = teams.length > 0 && teamIndex !== undefined ? teams[teamIndex % teams.length] : undefined;
          switch (op.k) {
            case 'plan':
              res = await secretary.post('/teams', {
                programmeCode: op.programme,
                roomId: rooms[op.room],
                startsOn: date(op.day),
                startTime: time(op.slot),
              });
              if (res.status === 201) teams.push(present(res.body.teamId));
              break;
            case 'assign':
              if (!teamId) continue;
              res = await secretary.post(`/teams/${teamId}/therapists`, { clinicianId: staff[op.staff], role: 'apprentice' });
              break;
            case 'remove':
              if (!teamId) continue;
              res = await secretary.delete(`/teams/${teamId}/therapists/${staff[op.staff]}`, { reason: 'rota' });
              break;
            case 'move':
              if (!teamId) continue;
              res = await secretary.post(`/teams/${teamId}/sessions/${op.session}/move`, {
                startsAt: instant(op.day, op.slot),
                ...(op.room === null ? {} : { roomId: rooms[op.room] }),
                reason: 'moved',
              });
              break;
            case 'cancelSession':
              if (!teamId) continue;
              res = await secretary.post(`/teams/${teamId}/sessions/${op.session}/cancel`, { reason: 'ill' });
              break;
            case 'book': {
              const course = courses[op.course];
              res = await api.call('post', `/courses/${course.courseId}/appointments`, ['secretary'], {
                intervention: 'KORT_PRIMAERSAMTALE',
                start: instant(op.day, op.slot),
                clinicianIds: [staff[op.staff]],
                ...(op.room === null ? {} : { roomId: rooms[op.room] }),
              });
              if (res.status === 201) appointments.push({ courseId: course.courseId, appointmentId: present(res.body.appointmentId) });
              break;
            }
            case 'cancelAppointment': {
              if (appointments.length === 0) continue;
              const a = appointments[op.appointment % appointments.length];
              res = await api.call('delete', `/courses/${a.courseId}/appointments/${a.appointmentId}`, ['secretary'], {
                reason: 'patient ill',
              });
              break;
            }
          }
          if (!EXPECTED.has(res.status)) throw new Error(`${op.k} answered ${res.status}: ${JSON.stringify(res.body)}`);
          if (res.status < 300) seen.written++;
          if (res.body.code === 'SCHEDULE_CLASH') seen.clashes++;
        }

        // 1. no resource holds two overlapping reservations
        const resources: ResourceRef[] = [
          ...rooms.map((id) => ({ kind: 'room' as const, id })),
          ...staff.map((id) => ({ kind: 'clinician' as const, id })),
        ];
        const held = new Map<string, Slot[]>();
        for (const r of resources) {
          const list = await holds(r);
          held.set(resourceKey(r), list);
          for (let i = 0; i < list.length; i++) {
            for (let j = i + 1; j < list.length; j++) {
              const [a, b] = [list[i], list[j]];
              if (Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end)) {
                throw new Error(`${resourceKey(r)} double-booked: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
              }
            }
          }
        }
        // 2. team holds are exactly what the team streams say (every session of every team so far)
        const expected = new Set<string>();
        for (const id of teams) {
          for (const u of teamResourceUse(await team(id)))
            expected.add(`${resourceKey(u.resource)}|${u.owner}|${u.key}|${Date.parse(u.start)}|${Date.parse(u.end)}`);
        }
        const actual = new Set<string>();
        for (const [key, list] of held) {
          for (const h of list.filter((x) => x.kind === 'team-session' && teams.includes(present(x.teamId)))) {
            actual.add(`${key}|${String(h.teamId)}|${String(h.sessionKey)}|${Date.parse(h.start)}|${Date.parse(h.end)}`);
          }
        }
        expect([...actual].sort()).toEqual([...expected].sort());
        // 3. every booked appointment holds its clinicians and room; a cancelled one holds nothing
        for (const course of courses) {
          const commit = await store.readStream(scheduleStreamId({ kind: 'patient', id: course.patientId }));
          const state = commit.reduce(
            (s, e) => scheduleDecider.evolve(s, { type: e.type, data: e.data } as ScheduleEvent),
            scheduleDecider.initialState(),
          );
          for (const a of appointmentsOfCourse(state, course.courseId)) {
            const refs: ResourceRef[] = [
              ...a.clinicianIds.map((id) => ({ kind: 'clinician' as const, id })),
              ...(a.roomId ? [{ kind: 'room' as const, id: a.roomId }] : []),
            ];
            for (const r of refs) {
              expect((held.get(resourceKey(r)) ?? []).some((h) => h.appointmentId === a.appointmentId)).toBe(a.status === 'booked');
            }
          }
        }
        // 4. the busy read model: equal to the streams, and to its rebuild from position 0
        await caughtUp(t);
        const live = await busyRows();
        const fromStreams = [...held.entries()]
          .flatMap(([key, list]) => list.map((h) => `${key}|${h.appointmentId}|${Date.parse(h.start)}|${Date.parse(h.end)}|${h.kind}`))
          .sort();
        expect(
          live.filter((r) => resources.some((x) => r.startsWith(resourceKey(x) + '|'))).map((r) => r.split('|').slice(0, 5).join('|')),
        ).toEqual(fromStreams);
        await rebuildProjection({ projection: busyTimesProjection(), source: store, dataSource, batchSize: 17 });
        expect(await busyRows()).toEqual(live);
      }),
      { numRuns: runs, endOnFailure: true },
    );
    // the histories exercised the rules: writes landed and clashes were refused
    expect(seen.written).toBeGreaterThan(runs);
    expect(seen.clashes).toBeGreaterThanOrEqual(runs);
  }, 300_000);

  async function busyRows(): Promise<string[]> {
    const rows = await dataSource.query<
      Array<{
        resource_kind: string;
        resource_id: string;
        hold_id: string;
        starts_at: Date;
        ends_at: Date;
        kind: string;
        clinic_id: string;
        team_id: string;
        session_key: string;
      }>
    >(`SELECT resource_kind, resource_id, hold_id, starts_at, ends_at, kind, clinic_id, team_id, session_key FROM busy_times`);
    return rows
      .map(
        (r) =>
          `${r.resource_kind}:${r.resource_id}|${r.hold_id}|${new Date(r.starts_at).getTime()}|${new Date(r.ends_at).getTime()}|${r.kind}|${r.clinic_id}|${r.team_id}|${r.session_key}`,
      )
      .sort();
  }
});
