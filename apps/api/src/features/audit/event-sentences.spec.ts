import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { present } from '../../../../../test/support/present.js';
import {
  defaultCatalogue,
  type ClinicianEvent,
  type CourseEvent,
  type PatientCourseOpened,
  type TeamEvent,
  type TeamPlanned,
  type RoomEvent,
} from '#app/domain';
import type { ScheduleEvent } from '#app/domain';
import { EVENT_RENDERERS, RENDERER_GROUPS, renderEvent, type SentenceContext } from './event-sentences.js';

/** Every `DomainEvent<'Type', …>` declared in the domain and the app: what a stream can hold. */
function declaredEventTypes(): Map<string, string> {
  const found = new Map<string, string>();
  const root = process.cwd();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'testing') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/DomainEvent<\s*'([A-Za-z][A-Za-z0-9]*)'/g))
          found.set(m[1], relative(root, path));
      }
    }
  };
  walk(join(root, 'libs'));
  walk(join(root, 'apps'));
  return found;
}

type Data<U extends { type: string; data: unknown }> = { [K in U['type']]: Extract<U, { type: K }>['data'] };

const AT = '2026-03-09T10:00:00+01:00';
const COURSE = '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55';
const TEAM = '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11';
const programme = present(defaultCatalogue.programmes.find((p) => p.code === 'FORSTAA_SMERTE'));
const room = { roomId: 'room-1', seats: 25, maxPeople: null };
const window = { relativeTo: 'Referral', anchorAt: AT, unit: 'day' as const, from: '2026-03-10', to: '2026-03-20' };

/** one realistic event of every type, typed by the unions (a missing type is a compile error) */
const COURSE_SAMPLES: Data<CourseEvent> = {
  ReferralReceived: {
    courseId: COURSE,
    patientId: 'p-1',
    receivedAt: AT,
    referrer: { kind: 'GP', id: 'GP-042113', name: 'Lægehuset' },
    content: { CURRENT_MEDICATION: 'none' },
    pathway: { code: 'SMERTECENTER_STANDARD', version: 1 },
    initialCoordinator: 'SECRETARY',
    visitationDueBy: AT,
  },
  ReferralPutOnHold: { missing: [{ code: 'PREVIOUS_MEDICATION', label: 'previously tried medication' }], heldAt: AT },
  ReferralSupplemented: { added: { PREVIOUS_MEDICATION: 'gabapentin' }, stillMissing: [], supplementedAt: AT },
  ReferralHoldReleased: { releasedAt: AT, visitationDueBy: AT, visitationOverdue: false },
  VisitationDecided: {
    decision: 'accepted',
    decidedAt: AT,
    criteriaSet: { code: 'SST', version: '2023-01-18' },
    assessment: [{ code: 'MOTIVATED', met: true }],
    visitationDueBy: AT,
    withinDeadline: true,
  },
  PatientFactRecorded: {
    fact: 'motivatedFor',
    key: 'LIVET_MED_SMERTER',
    value: true,
    basis: { source: 'CONSULTATION', stepCode: 'KORT_PRIMAERSAMTALE' },
    recordedAt: AT,
  },
  AddOnAdded: { stepCode: 'SOCIAL_VISITATION', reason: 'sick-listed', addedAt: AT },
  StepScheduled: {
    stepCode: 'FORSTAA_SMERTE',
    programme: 'FORSTAA_SMERTE',
    teamId: TEAM,
    at: AT,
    window,
    outsideWindow: true,
    deviationReason: 'no earlier team',
    previousAt: AT,
    bookedAt: AT,
  },
  StepUnscheduled: { stepCode: 'KORT_PRIMAERSAMTALE', previousAt: AT, reason: 'patient ill', unscheduledAt: AT },
  StepCompleted: { stepCode: 'KORT_PRIMAERSAMTALE', completedAt: AT, outsideWindow: false, recordedAt: AT },
  StepSkipped: { stepCode: 'FORSTAA_SMERTE', reason: 'attended elsewhere', skippedAt: AT },
  OptionChosen: { stepCode: 'STRESS_REDUCTION', option: 'MBSR', chosenAt: AT, previous: 'AFSPAENDING' },
  MicroteamMemberAssigned: { clinicianId: 'doc-7', role: 'PAL', assignedAt: AT, replaces: 'doc-1' },
  MicroteamMemberRemoved: { clinicianId: 'doc-1', role: 'PAL', removedAt: AT, reason: 'left the clinic' },
  CoordinationHandedOver: {
    fromRole: 'SECRETARY',
    toRole: 'CONTACT_NURSE',
    toClinicianId: 'nurse-4',
    atStep: 'LANG_PRIMAERSAMTALE',
    handedOverAt: AT,
  },
  CourseSeatBooked: { teamId: TEAM, programme: 'FORSTAA_SMERTE', stepCode: 'FORSTAA_SMERTE', bookedAt: AT },
  CourseSeatReleased: { teamId: TEAM, programme: 'FORSTAA_SMERTE', releasedAt: AT, reason: 'cancellation by patient' },
  CourseWaitlistJoined: { teamId: TEAM, programme: 'FORSTAA_SMERTE', stepCode: 'FORSTAA_SMERTE', waitlistedAt: AT },
  CourseWaitlistLeft: { teamId: TEAM, programme: 'FORSTAA_SMERTE', leftAt: AT },
  CourseEnded: {
    reason: 'dropped_out',
    note: 'The patient withdrew.',
    endedAt: AT,
    reReferralAllowed: false,
    atStep: 'FORSTAA_SMERTE',
    seatsToRelease: [{ teamId: TEAM, programme: 'FORSTAA_SMERTE' }],
    waitlistsToLeave: [],
  },
};

const TEAM_SAMPLES: Data<TeamEvent> = {
  TeamPlanned: {
    teamId: TEAM,
    clinicId: 'smertecenter-syd',
    catalogueVersion: 1,
    programmeCode: 'FORSTAA_SMERTE',
    programme,
    rules: {} as TeamPlanned['data']['rules'],
    room,
    capacity: 25,
    sessions: [{ key: 'S1', kind: 'group', startsAt: AT, endsAt: AT, durationMinutes: 90, room }],
    plannedAt: AT,
  },
  TherapistAssigned: { teamId: TEAM, clinicianId: 'nurse-4', role: 'primary', competentUntil: null, assignedAt: AT },
  TherapistRemoved: { teamId: TEAM, clinicianId: 'nurse-4', role: 'primary', reason: 'ill', removedAt: AT },
  SeatReserved: { teamId: TEAM, courseId: COURSE, referralDate: AT, relatives: 1, via: 'offer', reservedAt: AT },
  SeatReleased: { teamId: TEAM, courseId: COURSE, reason: 'cancellation by patient', releasedAt: AT },
  CourseWaitlisted: { teamId: TEAM, courseId: COURSE, referralDate: AT, joinedAt: AT },
  CourseLeftWaitlist: { teamId: TEAM, courseId: COURSE, reason: 'course ended', leftAt: AT },
  SeatOffered: { teamId: TEAM, courseId: COURSE, offeredAt: AT, expiresAt: AT },
  SeatOfferAccepted: { teamId: TEAM, courseId: COURSE, acceptedAt: AT },
  SeatOfferDeclined: { teamId: TEAM, courseId: COURSE, reason: 'not that date', declinedAt: AT },
  SeatOfferExpired: { teamId: TEAM, courseId: COURSE, expiresAt: AT, expiredAt: AT },
  SeatHeld: { teamId: TEAM, courseId: COURSE, heldAt: AT, heldUntil: AT },
  SeatHoldLapsed: { teamId: TEAM, courseId: COURSE, heldUntil: AT, lapsedAt: AT },
  TeamClosedForLateJoiners: { teamId: TEAM, reason: 'group formed', closedAt: AT },
  SessionCancelled: { teamId: TEAM, sessionKey: 'S1', reason: 'therapist ill', cancelledAt: AT },
  SessionMoved: {
    teamId: TEAM,
    sessionKey: 'S1',
    from: { startsAt: AT, roomId: 'room-1' },
    startsAt: AT,
    endsAt: AT,
    room: { ...room, roomId: 'room-2' },
    reason: 'room flooded',
    movedAt: AT,
  },
  AttendanceRecorded: {
    teamId: TEAM,
    sessionKey: 'S1',
    entries: [{ courseId: COURSE, status: 'noShow', relativesPresent: 0 }],
    recordedAt: AT,
  },
};

const CLINICIAN_SAMPLES: Data<ClinicianEvent> = {
  ClinicianRegistered: { clinicianId: 'nurse-4', professions: ['NURSE'], employmentStart: '2015-01-01', registeredAt: AT },
  CompetenceGranted: { clinicianId: 'nurse-4', competence: 'MBSR_RETREAT', grantedAt: '2025-06-01', expiresAt: null, recordedAt: AT },
  CompetenceRevoked: { clinicianId: 'nurse-4', competence: 'MBSR_RETREAT', revokedAt: AT },
  TeamServiceRecorded: { clinicianId: 'nurse-4', teamId: TEAM, programme: 'FORSTAA_SMERTE', role: 'secondary', servedAt: AT },
};

const SCHEDULE_SAMPLES: Data<ScheduleEvent> = {
  SlotReserved: {
    appointmentId: 'a-1',
    kind: 'appointment',
    resource: { kind: 'patient', id: 'p-1' },
    start: AT,
    end: AT,
    courseId: COURSE,
    intervention: 'KORT_PRIMAERSAMTALE',
    clinicianIds: ['doc-7'],
    roomId: 'room-2',
    reservedAt: AT,
  },
  SlotReleased: { appointmentId: 'a-1', reason: 'patient ill', compensation: false, releasedAt: AT },
  SlotVoided: { appointmentId: 'a-2', reason: 'abandoned booking', voidedAt: AT },
};

const ROOM_SAMPLES: Data<RoomEvent> = {
  RoomRegistered: { roomId: 'room-1', clinicId: 'smertecenter-syd', name: 'Store sal', seats: 25, maxPeople: 40, registeredAt: AT },
};

const PATIENT_COURSE_SAMPLES: Data<PatientCourseOpened> = {
  PatientCourseOpened: { courseId: COURSE, pathway: 'SMERTEFORLOEB', openedAt: AT },
};

const SAMPLES: Record<string, unknown> = {
  ...COURSE_SAMPLES,
  ...TEAM_SAMPLES,
  ...CLINICIAN_SAMPLES,
  ...SCHEDULE_SAMPLES,
  ...ROOM_SAMPLES,
  ...PATIENT_COURSE_SAMPLES,
};

const METADATA = {
  actor: { staffId: 'S12', roles: ['secretary'] },
  onBehalfOf: 'doc-17',
  reason: 'cancellation by patient',
  correlationId: 'c-1',
};
const CONTEXT: SentenceContext = {
  courseId: COURSE,
  teamLabel: (id) => (id === TEAM ? 'the Forstå smerte team starting 2026-03-09' : undefined),
  stepLabel: (code) => `step ${code}`,
};

describe('event sentences', () => {
  const declared = declaredEventTypes();

  it('finds the event unions in the source (the enumeration itself works)', () => {
    expect(declared.size).toBeGreaterThanOrEqual(40);
    for (const type of ['ReferralReceived', 'SeatOffered', 'CompetenceGranted', 'SlotReserved', 'RoomRegistered'])
      expect(declared.has(type)).toBe(true);
  });

  it('every event type declared anywhere has its own renderer', () => {
    const missing = [...declared].filter(([type]) => !Object.hasOwn(EVENT_RENDERERS, type)).map(([type, file]) => `${type} (${file})`);
    expect(missing).toEqual([]);
  });

  it('no two unions share a type name (a stream-independent renderer map stays unambiguous)', () => {
    const names = Object.values(RENDERER_GROUPS).flat();
    expect(names.length).toBe(new Set(names).size);
  });

  it.each([...declaredEventTypes().keys()])('%s renders a specific, complete sentence', (type) => {
    expect(Object.hasOwn(SAMPLES, type)).toBe(true);
    const sentence = renderEvent({ type, data: SAMPLES[type], metadata: METADATA }, CONTEXT);
    expect(sentence).toMatch(/^Secretary S12 \S/);
    expect(sentence).toMatch(/on behalf of doc-17/);
    expect(sentence).toMatch(/cancellation by patient/);
    expect(sentence.endsWith('.')).toBe(true);
    expect(sentence).not.toMatch(/undefined|\[object Object\]|NaN|recorded "/);
  });

  it('reads like the example: who, what, on which team, for whom, why', () => {
    expect(renderEvent({ type: 'SeatOffered', data: TEAM_SAMPLES.SeatOffered, metadata: METADATA }, CONTEXT)).toBe(
      'Secretary S12 offered a seat on the Forstå smerte team starting 2026-03-09 to this course, held until 2026-03-09 10:00 on behalf of doc-17; reason: cancellation by patient.',
    );
    // a reason the event already carries is not repeated
    const skipped = renderEvent(
      {
        type: 'StepSkipped',
        data: COURSE_SAMPLES.StepSkipped,
        metadata: { actor: { staffId: 'doc-7', roles: ['clinician'] }, reason: 'attended elsewhere' },
      },
      CONTEXT,
    );
    expect(skipped).toBe('Clinician doc-7 skipped step FORSTAA_SMERTE (attended elsewhere).');
    expect(
      renderEvent({
        type: 'SeatReleased',
        data: TEAM_SAMPLES.SeatReleased,
        metadata: { actor: { staffId: 'system:enrolment', roles: [] }, followUpOf: {} },
      }),
    ).toBe(
      `The system (enrolment) released the seat of course ${COURSE} on team ${TEAM} (cancellation by patient) (recorded automatically as a follow-up).`,
    );
  });

  it('unknown, future or malformed events get a generic sentence and never throw', () => {
    expect(renderEvent({ type: 'PatientTeleported', data: { courseId: COURSE, teamId: TEAM }, metadata: METADATA }, CONTEXT)).toBe(
      'Secretary S12 recorded "patient teleported" about this course and the Forstå smerte team starting 2026-03-09 on behalf of doc-17; reason: cancellation by patient.',
    );
    expect(renderEvent({ type: 'SeatOffered', data: null })).toBe('Someone (not recorded) recorded "seat offered".');
    expect(renderEvent({ type: '', data: 42, metadata: { actor: 'nonsense' } })).toMatch(
      /^Someone \(not recorded\) recorded "an unnamed event"\.$/,
    );
    expect(() => renderEvent({ type: 'toString', data: {} })).not.toThrow();
  });
});
