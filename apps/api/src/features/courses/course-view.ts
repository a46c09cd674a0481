import {
  bookableSteps,
  currentStep,
  nextStep,
  openItems,
  visitationOverdue,
  waitingTimes,
  type CourseEnded,
  type PathwayDefinition,
  type PatientFactRecorded,
  type VisitationDecided,
} from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import type { AppointmentRecord } from '#app/domain';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import type { ReferredCourseState } from './referred-course.js';

/** GET /courses/{id}: the course as a secretary, clinician or auditor reads it (documented by CourseResponse). */

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

function by(event: RecordedEvent): { staffId?: string; reason?: string } {
  const m = event.metadata as Partial<EventMetadata>;
  return compact({ staffId: m.actor?.staffId, reason: typeof m.reason === 'string' ? m.reason : undefined });
}

export interface CourseViewInput {
  readonly courseId: string;
  readonly revision: number;
  readonly state: ReferredCourseState;
  readonly events: readonly RecordedEvent[];
  readonly pathway: PathwayDefinition;
  readonly appointments: readonly AppointmentRecord[];
  readonly now: string;
}

export function courseView(input: CourseViewInput) {
  const { state, pathway, events, now } = input;
  const referral = state.referral;
  const bookable = new Map(bookableSteps(state, pathway).map((b) => [b.stepCode, b]));
  const labelOf = (code: string) => pathway.referral.requiredContent.find((i) => i.code === code)?.label ?? code;

  const visitationEvent = [...events].reverse().find((e) => e.type === 'VisitationDecided');
  const endedEvent = [...events].reverse().find((e) => e.type === 'CourseEnded');
  const visitation = visitationEvent ? (visitationEvent.data as VisitationDecided['data']) : undefined;
  const ended = endedEvent ? (endedEvent.data as CourseEnded['data']) : undefined;
  const current = currentStep(state, pathway);
  const next = nextStep(state, pathway);

  return compact({
    courseId: input.courseId,
    patientId: state.patientId,
    revision: input.revision,
    status: state.status,
    pathway: { code: pathway.code, version: pathway.version, name: pathway.name.en },
    referral: {
      receivedAt: referral.receivedAt,
      referrer: referral.referrer,
      content: referral.content,
      missing: referral.missing.map((code) => ({ code, label: labelOf(code) })),
      holds: referral.holds,
      visitationDueBy: referral.visitationDueBy,
      visitationOverdue: visitationOverdue(state, now),
    },
    visitation:
      visitation && visitationEvent
        ? compact({
            decision: visitation.decision,
            decidedAt: visitation.decidedAt,
            decidedBy: by(visitationEvent).staffId,
            criteriaSet: visitation.criteriaSet,
            assessment: visitation.assessment,
            reason: visitation.reason,
            planForGp: visitation.planForGp,
            withinDeadline: visitation.withinDeadline,
          })
        : undefined,
    currentStep: current,
    nextStep: next
      ? compact({
          stepCode: next.stepCode,
          name: next.step.name.en,
          needsChoice: next.needsChoice,
          programme: next.programme,
          window: next.window,
        })
      : undefined,
    steps: pathway.steps.map((s) => {
      const p = has(state.steps, s.code) ? state.steps[s.code] : undefined;
      const b = bookable.get(s.code);
      return compact({
        code: s.code,
        name: s.name.en,
        kind: s.kind,
        programme:
          s.kind === 'programme' ? s.programme : s.kind === 'choice' && has(state.choices, s.code) ? state.choices[s.code] : undefined,
        options: s.kind === 'choice' ? s.options : undefined,
        intervention: s.kind === 'intervention' ? s.intervention : undefined,
        optional: s.optional === true,
        inCourse: !s.optional || has(state.addOns, s.code),
        status: p?.status ?? 'pending',
        bookable: b !== undefined,
        at: p?.at,
        endsAt: p?.endsAt,
        completedAt: p?.completedAt,
        teamId: p?.teamId,
        window: p?.window ?? b?.window,
        outsideWindow: p?.outsideWindow,
        skipReason: p?.skipReason,
      });
    }),
    choices: state.choices,
    addOns: Object.entries(state.addOns).map(([stepCode, a]) => ({ stepCode, reason: a.reason, addedAt: a.addedAt })),
    facts: {
      current: state.facts,
      history: events
        .filter((e) => e.type === 'PatientFactRecorded')
        .map((e) => {
          const d = e.data as PatientFactRecorded['data'];
          const who = by(e);
          return compact({
            fact: d.fact,
            key: d.key,
            value: d.value,
            basis: d.basis,
            recordedAt: d.recordedAt,
            recordedBy: who.staffId,
            reason: who.reason,
          });
        }),
    },
    microteam: { members: state.microteam, coordinator: state.coordinator },
    seats: state.seats,
    waitlists: state.waitlists,
    appointments: input.appointments,
    openItems: openItems(state, now, pathway),
    waitingTimes: waitingTimes(state),
    ended:
      state.ended && ended && endedEvent
        ? compact({
            reason: ended.reason,
            note: ended.note,
            endedAt: ended.endedAt,
            endedBy: by(endedEvent).staffId,
            reReferralAllowed: ended.reReferralAllowed,
            exclusion: ended.exclusion,
            planForGp: ended.planForGp,
            atStep: ended.atStep,
          })
        : undefined,
  });
}

export type CourseView = ReturnType<typeof courseView>;
