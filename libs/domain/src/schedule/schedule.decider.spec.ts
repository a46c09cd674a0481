import { isDomainError, replay, type DomainError } from '../shared/index.js';
import { scheduleDecider, type ReserveSlot, type ReserveSlots, type ScheduleEvent } from './schedule.decider.js';

const NOW = '2026-03-01T09:00:00+01:00';
const doc = { kind: 'clinician', id: 'doc-1' } as const;

function reserve(appointmentId: string, start: string, end: string, extra: Partial<ReserveSlot> = {}): ReserveSlot {
  return {
    type: 'ReserveSlot',
    now: NOW,
    timeZone: 'Europe/Copenhagen',
    appointmentId,
    kind: 'appointment',
    resource: doc,
    start,
    end,
    courseId: 'c-1',
    ...extra,
  };
}

function run(events: ScheduleEvent[], command: Parameters<typeof scheduleDecider.decide>[0]) {
  return scheduleDecider.decide(command, replay(scheduleDecider, events));
}

function events(result: ScheduleEvent[] | DomainError): ScheduleEvent[] {
  if (isDomainError(result)) throw new Error(`refused: ${result.code}`);
  return result;
}

const booked = events(run([], reserve('a1', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00')));

describe('schedule decider (one stream per clinician, room or patient)', () => {
  it('refuses an overlapping reservation, naming the resource and the taken time in local time', () => {
    const result = run(booked, reserve('a2', '2026-03-09T09:30:00Z', '2026-03-09T10:30:00Z'));
    expect(isDomainError(result) && result.code).toBe('SCHEDULE_CLASH');
    expect((result as DomainError).message).toBe(
      'Clinician doc-1 is already booked for another appointment from 2026-03-09T10:00:00+01:00 to 2026-03-09T11:00:00+01:00.',
    );
  });

  it('allows back-to-back slots (half-open intervals) and slots on other days', () => {
    expect(events(run(booked, reserve('a2', '2026-03-09T11:00:00+01:00', '2026-03-09T11:30:00+01:00')))).toHaveLength(1);
    expect(events(run(booked, reserve('a3', '2026-03-09T09:00:00+01:00', '2026-03-09T10:00:00+01:00')))).toHaveLength(1);
  });

  it('is idempotent for the same appointment and times; refuses the same id for other times', () => {
    expect(run(booked, reserve('a1', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00'))).toEqual([]);
    expect((run(booked, reserve('a1', '2026-03-09T12:00:00+01:00', '2026-03-09T13:00:00+01:00')) as DomainError).code).toBe(
      'APPOINTMENT_ID_IN_USE',
    );
  });

  it('a released slot is free again, and releasing twice changes nothing', () => {
    const released = [...booked, ...events(run(booked, { type: 'ReleaseSlot', now: NOW, appointmentId: 'a1', reason: 'patient ill' }))];
    expect(events(run(released, reserve('a2', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00')))).toHaveLength(1);
    expect(run(released, { type: 'ReleaseSlot', now: NOW, appointmentId: 'a1', reason: 'again' })).toEqual([]);
  });

  it('a voided appointment id can never be reserved; a committed one cannot be voided', () => {
    const voided = events(run([], { type: 'VoidSlot', now: NOW, appointmentId: 'a9', reason: 'abandoned' }));
    expect((run(voided, reserve('a9', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00')) as DomainError).code).toBe(
      'BOOKING_ABANDONED',
    );
    expect((run(booked, { type: 'VoidSlot', now: NOW, appointmentId: 'a1', reason: 'abandoned' }) as DomainError).code).toBe(
      'APPOINTMENT_COMMITTED',
    );
  });

  it('says "a team session" when the slot is taken by one', () => {
    const session = events(
      run([], reserve('team-1/S1', '2026-03-09T13:00:00+01:00', '2026-03-09T15:00:00+01:00', { kind: 'team-session', teamId: 'team-1' })),
    );
    const result = run(session, reserve('a2', '2026-03-09T14:00:00+01:00', '2026-03-09T14:30:00+01:00')) as DomainError;
    expect(result.message).toContain('a team session');
  });

  it('refuses an end before the start', () => {
    expect((run([], reserve('a1', '2026-03-09T10:00:00+01:00', '2026-03-09T10:00:00+01:00')) as DomainError).code).toBe('INVALID_TIME');
  });

  describe("ReserveSlots (a team's sessions on one resource, all or none)", () => {
    const room = { kind: 'room', id: 'room-1' } as const;
    const week = (n: number, from = '13:00', to = '15:30') => ({
      start: `2026-03-${String(2 + 7 * n).padStart(2, '0')}T${from}:00+01:00`,
      end: `2026-03-${String(2 + 7 * n).padStart(2, '0')}T${to}:00+01:00`,
    });
    const sessions = (teamId: string, attempt: string, count: number, from?: string, to?: string): ReserveSlots => ({
      type: 'ReserveSlots',
      now: NOW,
      timeZone: 'Europe/Copenhagen',
      resource: room,
      slots: Array.from({ length: count }, (_, n) => ({
        appointmentId: `${teamId}/S${n + 1}/${attempt}`,
        kind: 'team-session' as const,
        teamId,
        sessionKey: `S${n + 1}`,
        clinicId: 'c',
        ...week(n, from, to),
      })),
    });
    const teamA = events(run([], sessions('A', 'x', 4)));

    it('reserves every session in one decision', () => {
      expect(teamA).toHaveLength(4);
      expect(teamA.every((e) => e.type === 'SlotReserved')).toBe(true);
    });

    it("lists every clash, not the first: a team 30 minutes into another team's four sessions hears all four", () => {
      const result = run(teamA, sessions('B', 'y', 4, '13:30', '14:00')) as DomainError;
      expect(result.code).toBe('SCHEDULE_CLASH');
      const clashes = result.details.clashes as Array<{ sessionKey: string; requestedStart: string }>;
      expect(clashes.map((c) => c.sessionKey)).toEqual(['S1', 'S2', 'S3', 'S4']);
      expect(clashes.map((c) => c.requestedStart)).toEqual([0, 1, 2, 3].map((n) => week(n, '13:30').start));
      expect(result.message.match(/a team session from/g)).toHaveLength(4);
    });

    it('a newer hold of the same session does not clash with the older one (a move by 30 minutes)', () => {
      const moved = run(teamA, { ...sessions('A', 'z', 1, '13:30', '16:00') });
      expect(events(moved)).toHaveLength(1);
    });

    it('refuses two requested slots overlapping each other, and releases many at once', () => {
      const twice: ReserveSlots = {
        ...sessions('C', 'q', 1),
        slots: [...sessions('C', 'q', 1).slots, { ...sessions('C', 'q', 1).slots[0], appointmentId: 'C/S2/q', sessionKey: 'S2' }],
      };
      expect((run([], twice) as DomainError).code).toBe('SCHEDULE_CLASH');
      const released = events(
        run(teamA, { type: 'ReleaseSlots', now: NOW, appointmentIds: ['A/S1/x', 'A/S2/x', 'A/S2/x', 'nope'], reason: 'team changed' }),
      );
      expect(released.map((e) => e.type === 'SlotReleased' && e.data.appointmentId)).toEqual(['A/S1/x', 'A/S2/x']);
    });
  });
});
