import fc from 'fast-check';
import {
  courseDecider,
  courseStreamId,
  defaultCatalogue,
  formatInZone,
  freeSeats,
  nextStep,
  toMillis,
  type PlannedTeam,
} from '#app/domain';
import { ApiError } from '../../apps/api/src/platform/http/api-error.js';
import { eligibleFor } from '../../libs/domain/src/team/testing/team.fixtures.js';
import { safeId, staff, TZ, type World } from './read-side-world.js';
import { present } from '../support/present.js';

/**
 * Random histories for the rebuild property: operations over teams, courses, microteams, seats, waitlists,
 * offers, sessions, steps and appointments, each run through the real deciders and DeciderStore. Indices
 * pick among the entities created so far; a refusal by a decider is part of the history (nothing written).
 */
export type Op =
  | { readonly k: 'plan'; readonly programme: number; readonly room: number; readonly inDays: number }
  | { readonly k: 'assign' | 'unassign'; readonly team: number; readonly clinician: number; readonly role: number }
  | { readonly k: 'referral'; readonly accept: boolean }
  | { readonly k: 'member' | 'unmember'; readonly course: number; readonly clinician: number; readonly role: number }
  | {
      readonly k: 'seat' | 'release' | 'wait' | 'acceptOffer' | 'bookGroup' | 'completeGroup';
      readonly course: number;
      readonly team: number;
    }
  | { readonly k: 'offer'; readonly team: number }
  | { readonly k: 'cancelSession' | 'attend'; readonly team: number; readonly session: number; readonly course: number }
  | { readonly k: 'move'; readonly team: number; readonly session: number; readonly days: number; readonly room: number }
  | { readonly k: 'step' | 'completeStep'; readonly course: number; readonly step: number; readonly days: number }
  | { readonly k: 'end'; readonly course: number }
  | { readonly k: 'appointment'; readonly course: number; readonly clinician: number; readonly days: number }
  | { readonly k: 'cancelAppointment'; readonly appointment: number }
  /** the course's next pathway action: complete what is booked, else book the next step (a seat for group steps) */
  | { readonly k: 'advance'; readonly course: number };

/** every history starts with a team of each programme and three accepted referrals */
export const PRELUDE: readonly Op[] = [
  { k: 'plan', programme: 0, room: 0, inDays: 6 },
  { k: 'plan', programme: 1, room: 1, inDays: 20 },
  { k: 'plan', programme: 2, room: 0, inDays: 40 },
  { k: 'referral', accept: true },
  { k: 'referral', accept: true },
  { k: 'referral', accept: true },
];

const n = fc.nat({ max: 50 });
export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constant('plan' as const),
      programme: fc.nat({ max: 2 }),
      room: fc.nat({ max: 1 }),
      inDays: fc.integer({ min: 3, max: 30 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      k: fc.constantFrom('assign' as const, 'unassign' as const),
      team: n,
      clinician: fc.nat({ max: 3 }),
      role: fc.nat({ max: 2 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ k: fc.constant('referral' as const), accept: fc.boolean() }), weight: 3 },
  {
    arbitrary: fc.record({
      k: fc.constantFrom('member' as const, 'unmember' as const),
      course: n,
      clinician: fc.nat({ max: 3 }),
      role: fc.nat({ max: 2 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      k: fc.constantFrom(
        'seat' as const,
        'release' as const,
        'wait' as const,
        'acceptOffer' as const,
        'bookGroup' as const,
        'completeGroup' as const,
      ),
      course: n,
      team: n,
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ k: fc.constant('offer' as const), team: n }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constantFrom('cancelSession' as const, 'attend' as const),
      team: n,
      session: fc.nat({ max: 9 }),
      course: n,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('move' as const),
      team: n,
      session: fc.nat({ max: 9 }),
      days: fc.integer({ min: -1, max: 3 }),
      room: fc.nat({ max: 1 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      k: fc.constantFrom('step' as const, 'completeStep' as const),
      course: n,
      step: fc.nat({ max: 4 }),
      days: fc.integer({ min: 1, max: 20 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant('end' as const), course: n }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constant('appointment' as const),
      course: n,
      clinician: fc.nat({ max: 3 }),
      days: fc.integer({ min: 1, max: 30 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant('cancelAppointment' as const), appointment: n }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('advance' as const), course: n }), weight: 10 },
);

const PROGRAMMES = ['FORSTAA_SMERTE', 'LIVET_MED_SMERTER', 'MBSR'] as const;
const GROUP_STEP: Record<string, string> = {
  FORSTAA_SMERTE: 'FORSTAA_SMERTE',
  LIVET_MED_SMERTER: 'LIVET_MED_SMERTER',
  MBSR: 'STRESS_REDUCTION',
};
const ROLES: Record<string, readonly string[]> = {
  FORSTAA_SMERTE: ['primary', 'secondary', 'apprentice'],
  LIVET_MED_SMERTER: ['teacher', 'apprentice'],
  MBSR: ['teacher', 'apprentice'],
};
const STEPS = ['KORT_PRIMAERSAMTALE', 'LANG_PRIMAERSAMTALE', 'NURSE_FOLLOWUP_1', 'NURSE_FOLLOWUP_2', 'CLOSING_TALK'];
const MEMBER_ROLES = ['PAL', 'CONTACT_NURSE', 'PSYCHOLOGIST'];
const CLINICIANS = ['g-c1', 'g-c2', 'g-c3', 'g-c4'];
const ROOMS = ['g-room-1', 'g-room-2'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface TeamRef {
  readonly id: string;
  readonly programme: string;
  team: PlannedTeam;
}

interface CourseRef {
  readonly id: string;
  readonly patientId: string;
}

/** Plays operations through a World; the simulated clock only moves forward (1 hour per operation). */
export class HistoryPlayer {
  private readonly teams: TeamRef[] = [];
  private readonly courses: CourseRef[] = [];
  private readonly appointments: Array<{ id: string; patientId: string }> = [];
  private clock: number;
  written = 0;
  refused = 0;

  constructor(
    private readonly w: World,
    start = '2031-01-06T08:00:00+01:00',
  ) {
    this.clock = toMillis(start);
  }

  private now(): string {
    return formatInZone(this.clock, TZ);
  }

  async play(op: Op): Promise<void> {
    this.clock += HOUR;
    try {
      await this.run(op);
      this.written++;
    } catch (error) {
      if (!(error instanceof ApiError) || error.statusCode >= 500) throw error;
      this.refused++;
    }
  }

  private pick<T>(list: readonly T[], i: number): T | undefined {
    return list.length === 0 ? undefined : list[i % list.length];
  }

  private async run(op: Op): Promise<void> {
    const now = this.now();
    const w = this.w;
    switch (op.k) {
      case 'plan': {
        const programme = PROGRAMMES[op.programme];
        const id = safeId();
        const startsOn = formatInZone(this.clock + op.inDays * DAY, TZ).slice(0, 10);
        const team = await w.team(id, {
          type: 'PlanTeam',
          catalogue: defaultCatalogue,
          programmeCode: programme,
          room: { roomId: ROOMS[op.room], seats: 2 + (op.inDays % 3) },
          startsOn,
          startTime: '13:00',
          now,
        });
        this.teams.push({ id, programme, team });
        return;
      }
      case 'assign':
      case 'unassign': {
        const t = this.pick(this.teams, op.team);
        if (!t) return;
        const clinicianId = CLINICIANS[op.clinician];
        if (op.k === 'unassign') {
          t.team = await w.team(t.id, { type: 'RemoveTherapist', clinicianId, reason: 'rota', now });
          return;
        }
        const roles = ROLES[t.programme];
        t.team = await w.team(t.id, {
          type: 'AssignTherapist',
          clinicianId,
          role: roles[op.role % roles.length],
          clinician: staff(clinicianId, '2030-12-01'),
          now,
        });
        return;
      }
      case 'referral': {
        const id = safeId();
        const patientId = `gp-${id.slice(0, 8)}`;
        await w.course(id, {
          type: 'ReceiveReferral',
          courseId: id,
          patientId,
          receivedAt: now,
          referrer: { kind: 'GP', id: 'GP-1' },
          content: FULL,
          now,
        });
        this.courses.push({ id, patientId });
        if (op.accept) await w.course(id, { type: 'DecideVisitation', decision: 'accept', assessment: ALL_MET, now });
        return;
      }
      case 'member':
      case 'unmember': {
        const c = this.pick(this.courses, op.course);
        if (!c) return;
        const clinicianId = CLINICIANS[op.clinician];
        const role = MEMBER_ROLES[op.role];
        await w.course(
          c.id,
          op.k === 'member'
            ? { type: 'AssignMicroteamMember', clinicianId, role, now }
            : { type: 'RemoveMicroteamMember', clinicianId, role, now },
        );
        return;
      }
      case 'offer': {
        const t = this.pick(this.teams, op.team);
        if (t) t.team = await w.team(t.id, { type: 'OfferSeat', now });
        return;
      }
      case 'cancelSession':
      case 'attend':
      case 'move': {
        const t = this.pick(this.teams, op.team);
        const session = t ? this.pick(t.team.sessions, op.session) : undefined;
        if (!t || !session) return;
        if (op.k === 'cancelSession') t.team = await w.team(t.id, { type: 'CancelSession', sessionKey: session.key, reason: 'ill', now });
        else if (op.k === 'move') {
          const startsAt = formatInZone(toMillis(session.startsAt) + op.days * DAY, TZ);
          t.team = await w.team(t.id, {
            type: 'MoveSession',
            sessionKey: session.key,
            startsAt,
            room: { roomId: ROOMS[op.room], seats: 5 },
            reason: 'moved',
            now,
          });
        } else {
          const c = this.pick(this.courses, op.course);
          if (!c) return;
          t.team = await w.team(t.id, {
            type: 'RecordAttendance',
            sessionKey: session.key,
            entries: [{ courseId: c.id, status: 'attended' }],
            now,
          });
        }
        return;
      }
      case 'step':
      case 'completeStep': {
        const c = this.pick(this.courses, op.course);
        if (!c) return;
        const stepCode = STEPS[op.step];
        if (op.k === 'step')
          await w.course(c.id, { type: 'ScheduleStep', stepCode, at: formatInZone(this.clock + op.days * DAY, TZ), now });
        else await w.course(c.id, { type: 'CompleteStep', stepCode, now });
        return;
      }
      case 'end': {
        const c = this.pick(this.courses, op.course);
        if (c) await w.course(c.id, { type: 'EndCourse', reason: 'dropped_out', note: 'generated', now });
        return;
      }
      case 'appointment': {
        const c = this.pick(this.courses, op.course);
        if (!c) return;
        const id = `gappt-${safeId().slice(0, 13)}`;
        const start = formatInZone(this.clock + op.days * DAY, TZ);
        await w.schedule(c.patientId, {
          type: 'ReserveSlot',
          appointmentId: id,
          kind: 'appointment',
          resource: { kind: 'patient', id: c.patientId },
          start,
          end: formatInZone(toMillis(start) + HOUR, TZ),
          courseId: c.id,
          intervention: 'NURSE_FOLLOWUP_1',
          clinicianIds: [CLINICIANS[op.clinician]],
          roomId: ROOMS[op.days % 2],
          now,
          timeZone: TZ,
        });
        this.appointments.push({ id, patientId: c.patientId });
        return;
      }
      case 'advance': {
        const c = this.pick(this.courses, op.course);
        if (c) await this.advance(c);
        return;
      }
      case 'cancelAppointment': {
        const a = this.pick(this.appointments, op.appointment);
        if (a) await w.schedule(a.patientId, { type: 'ReleaseSlot', appointmentId: a.id, reason: 'cancelled', now });
        return;
      }
      default: {
        const c = this.pick(this.courses, op.course);
        const t = this.pick(this.teams, op.team);
        if (!c || !t) return;
        const facts = eligibleFor(t.programme);
        const programme = t.programme;
        switch (op.k) {
          case 'seat':
            t.team = await w.team(t.id, { type: 'ReserveSeat', courseId: c.id, referralDate: now, facts, now });
            await w.course(c.id, { type: 'RecordSeatBooked', teamId: t.id, programme, now });
            return;
          case 'release':
            t.team = await w.team(t.id, { type: 'ReleaseSeat', courseId: c.id, reason: 'generated', now });
            await w.course(c.id, { type: 'RecordSeatReleased', teamId: t.id, programme, now });
            return;
          case 'wait':
            t.team = await w.team(t.id, { type: 'JoinWaitlist', courseId: c.id, referralDate: now, facts, now });
            await w.course(c.id, { type: 'RecordWaitlisted', teamId: t.id, programme, now });
            return;
          case 'acceptOffer':
            t.team = await w.team(t.id, { type: 'AcceptSeatOffer', courseId: c.id, facts, now });
            await w.course(c.id, { type: 'RecordSeatBooked', teamId: t.id, programme, now });
            return;
          case 'bookGroup': {
            const ends = t.team.sessions.map((s) => s.endsAt).sort((a, b) => toMillis(a) - toMillis(b));
            await w.course(c.id, {
              type: 'ScheduleStep',
              stepCode: GROUP_STEP[programme],
              teamId: t.id,
              at: t.team.sessions[0].startsAt,
              endsAt: present(ends.at(-1)),
              now,
            });
            return;
          }
          case 'completeGroup':
            await w.course(c.id, { type: 'CompleteStep', stepCode: GROUP_STEP[programme], now });
            return;
        }
      }
    }
  }

  private async advance(c: CourseRef): Promise<void> {
    const { state } = await this.w.store.load(courseDecider, courseStreamId(c.id));
    if (state.status !== 'active') return;
    const booked = Object.entries(state.steps).find(([, p]) => p.status === 'scheduled');
    if (booked) {
      const [stepCode, p] = booked;
      this.clock = Math.max(this.clock, toMillis(p.endsAt ?? present(p.at))) + HOUR;
      await this.w.course(c.id, { type: 'CompleteStep', stepCode, now: this.now() });
      return;
    }
    const pathway = defaultCatalogue.pathway;
    const next = nextStep(state, pathway);
    const now = this.now();
    if (!next) {
      await this.w.course(c.id, { type: 'EndCourse', reason: 'completed', note: 'generated', now });
      return;
    }
    if (next.needsChoice) {
      await this.w.course(c.id, { type: 'ChooseOption', stepCode: next.stepCode, option: 'MBSR', now });
      return;
    }
    for (const [i, role] of (next.step.requiresRoles ?? []).entries()) {
      if (!state.microteam.some((m) => m.role === role))
        await this.w.course(c.id, { type: 'AssignMicroteamMember', clinicianId: CLINICIANS[i], role, now });
    }
    if (!next.programme) {
      await this.w.course(c.id, { type: 'ScheduleStep', stepCode: next.stepCode, at: formatInZone(this.clock + 2 * DAY, TZ), now });
      return;
    }
    let team = this.teams.find(
      (t) => t.programme === next.programme && toMillis(t.team.sessions[0].startsAt) > this.clock + DAY && freeSeats(t.team) > 0,
    );
    if (!team) {
      const programme = PROGRAMMES.indexOf(next.programme as (typeof PROGRAMMES)[number]);
      if (programme < 0) return;
      await this.run({ k: 'plan', programme, room: 0, inDays: 5 });
      team = present(this.teams.at(-1));
      // FS: primary (role 0) and secondary (role 1); the others: two teachers (role 0)
      for (const clinician of [1, 2])
        await this.run({
          k: 'assign',
          team: this.teams.length - 1,
          clinician,
          role: team.programme === 'FORSTAA_SMERTE' ? clinician - 1 : 0,
        });
    }
    const facts = eligibleFor(team.programme);
    team.team = await this.w.team(team.id, { type: 'ReserveSeat', courseId: c.id, referralDate: state.referral.receivedAt, facts, now });
    await this.w.course(c.id, { type: 'RecordSeatBooked', teamId: team.id, programme: team.programme, now });
    const ends = team.team.sessions.map((s) => s.endsAt).sort((a, b) => toMillis(a) - toMillis(b));
    await this.w.course(c.id, {
      type: 'ScheduleStep',
      stepCode: next.stepCode,
      teamId: team.id,
      at: team.team.sessions[0].startsAt,
      endsAt: present(ends.at(-1)),
      now,
    });
  }
}

const FULL = {
  CURRENT_MEDICATION: 'x',
  PREVIOUS_MEDICATION: 'x',
  PSYCHOLOGICAL_FACTORS: 'x',
  SLEEP_AND_ACTIVITY: 'x',
  EMPLOYMENT_STATUS: 'x',
  INCOME_SETTLED: 'x',
  PENDING_COMPENSATION_CASES: 'x',
};
const ALL_MET = Object.fromEntries(defaultCatalogue.pathway.referral.criteriaSet.criteria.map((c) => [c.code, true]));
