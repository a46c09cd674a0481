import { isDomainError, replay, type DomainError } from '../shared/index.js';
import { scheduleDecider, type ReserveSlot, type ScheduleEvent } from './schedule.decider.js';

const NOW = '2026-03-01T09:00:00+01:00';
const doc = { kind: 'clinician', id: 'doc-1' } as const;

function reserve(appointmentId: string, start: string, end: string, extra: Partial<ReserveSlot> = {}): ReserveSlot {
  return { type: 'ReserveSlot', now: NOW, timeZone: 'Europe/Copenhagen', appointmentId, kind: 'appointment', resource: doc, start, end, courseId: 'c-1', ...extra };
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
    expect((run(booked, reserve('a1', '2026-03-09T12:00:00+01:00', '2026-03-09T13:00:00+01:00')) as DomainError).code).toBe('APPOINTMENT_ID_IN_USE');
  });

  it('a released slot is free again, and releasing twice changes nothing', () => {
    const released = [...booked, ...events(run(booked, { type: 'ReleaseSlot', now: NOW, appointmentId: 'a1', reason: 'patient ill' }))];
    expect(events(run(released, reserve('a2', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00')))).toHaveLength(1);
    expect(run(released, { type: 'ReleaseSlot', now: NOW, appointmentId: 'a1', reason: 'again' })).toEqual([]);
  });

  it('a voided appointment id can never be reserved; a committed one cannot be voided', () => {
    const voided = events(run([], { type: 'VoidSlot', now: NOW, appointmentId: 'a9', reason: 'abandoned' }));
    expect((run(voided, reserve('a9', '2026-03-09T10:00:00+01:00', '2026-03-09T11:00:00+01:00')) as DomainError).code).toBe('BOOKING_ABANDONED');
    expect((run(booked, { type: 'VoidSlot', now: NOW, appointmentId: 'a1', reason: 'abandoned' }) as DomainError).code).toBe('APPOINTMENT_COMMITTED');
  });

  it('says "a team session" when the slot is taken by one', () => {
    const session = events(run([], reserve('team-1/S1', '2026-03-09T13:00:00+01:00', '2026-03-09T15:00:00+01:00', { kind: 'team-session', teamId: 'team-1' })));
    const result = run(session, reserve('a2', '2026-03-09T14:00:00+01:00', '2026-03-09T14:30:00+01:00')) as DomainError;
    expect(result.message).toContain('a team session');
  });

  it('refuses an end before the start', () => {
    expect((run([], reserve('a1', '2026-03-09T10:00:00+01:00', '2026-03-09T10:00:00+01:00')) as DomainError).code).toBe('INVALID_TIME');
  });
});
