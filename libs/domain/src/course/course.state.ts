import { BOOLEAN_FACTS, CODE_FACTS, KEYED_FACTS, type PatientFacts } from '../eligibility/patient-facts.js';
import type {
  CourseEndReason,
  CourseEvent,
  FactBasis,
  FactValue,
  PathwayRef,
  ReferralContent,
  ReferralReceived,
  Referrer,
} from './course.events.js';
import type { ConcreteWindow } from './course.time.js';

export type CourseStatus = 'none' | 'on_hold' | 'awaiting_visitation' | 'active' | 'ended';

export interface StepProgress {
  readonly status: 'scheduled' | 'completed' | 'skipped';
  /** booked start; kept after completion for waiting times */
  readonly at?: string;
  readonly endsAt?: string;
  readonly bookedAt?: string;
  readonly teamId?: string;
  readonly programme?: string;
  readonly completedAt?: string;
  readonly window?: ConcreteWindow;
  readonly outsideWindow?: boolean;
  readonly skipReason?: string;
}

export interface MicroteamMember {
  readonly clinicianId: string;
  readonly role: string;
  readonly since: string;
}

export interface SeatHolding {
  readonly teamId: string;
  readonly programme: string;
  readonly stepCode: string;
  readonly since: string;
}

export interface FactEntry {
  readonly fact: string;
  readonly key?: string;
  readonly value: FactValue;
  readonly basis: FactBasis;
  readonly recordedAt: string;
}

/** what every course state carries, referred or not */
interface CourseRecord {
  readonly steps: Readonly<Record<string, StepProgress>>;
  /** completed step codes in the order they were completed */
  readonly completed: readonly string[];
  readonly addOns: Readonly<Record<string, { readonly reason: string; readonly addedAt: string }>>;
  readonly choices: Readonly<Record<string, string>>;
  readonly microteam: readonly MicroteamMember[];
  /** who coordinates the course now: the secretary until Lang primærsamtale, then the contact nurse (§4) */
  readonly coordinator: { readonly role: string; readonly clinicianId?: string };
  readonly seats: readonly SeatHolding[];
  readonly waitlists: readonly SeatHolding[];
  /** the current view of the patient facts the eligibility rules read */
  readonly facts: PatientFacts;
  readonly factHistory: readonly FactEntry[];
}

export interface Referral {
  readonly receivedAt: string;
  readonly referrer: Referrer;
  readonly content: ReferralContent;
  /** item codes still missing; non-empty while on hold */
  readonly missing: readonly string[];
  readonly visitationDueBy: string;
  readonly holds: readonly { readonly from: string; readonly to?: string; readonly missing: readonly string[] }[];
}

export interface Visitation {
  readonly decision: 'accepted' | 'rejected';
  readonly decidedAt: string;
  readonly criteriaSet: { readonly code: string; readonly version: string };
  readonly withinDeadline: boolean;
}

export interface CourseEnd {
  readonly reason: CourseEndReason;
  readonly note: string;
  readonly endedAt: string;
  readonly reReferralAllowed: boolean;
  readonly exclusionCode?: string;
}

/** no referral received yet: the referred fields are absent (declared so a reader of any state may ask for them) */
export interface NoCourse extends CourseRecord {
  readonly status: 'none';
  readonly courseId?: undefined;
  readonly patientId?: undefined;
  readonly pathway?: undefined;
  readonly referral?: undefined;
  readonly visitation?: undefined;
  readonly ended?: undefined;
}

interface ReferredCourse extends CourseRecord {
  readonly courseId: string;
  readonly patientId: string;
  readonly pathway: PathwayRef;
  readonly referral: Referral;
  readonly visitation?: Visitation;
}

/** referred and not ended: on hold, awaiting paper visitation, or active */
export interface OpenCourse extends ReferredCourse {
  readonly status: 'on_hold' | 'awaiting_visitation' | 'active';
  readonly ended?: undefined;
}

export interface EndedCourse extends ReferredCourse {
  readonly status: 'ended';
  readonly ended: CourseEnd;
}

export type CourseState = NoCourse | OpenCourse | EndedCourse;

export function initialCourseState(): CourseState {
  return {
    status: 'none',
    steps: {},
    completed: [],
    addOns: {},
    choices: {},
    microteam: [],
    coordinator: { role: 'SECRETARY' },
    seats: [],
    waitlists: [],
    facts: {},
    factHistory: [],
  };
}

function withFact(facts: PatientFacts, fact: string, key: string | undefined, value: FactValue, known: boolean): PatientFacts {
  if (!known) return { ...facts, custom: { ...facts.custom, [fact]: value } };
  if (key !== undefined) {
    const current = (facts as Record<string, unknown>)[fact] as Record<string, FactValue> | undefined;
    return { ...facts, [fact]: { ...current, [key]: value } };
  }
  return { ...facts, [fact]: value };
}

const KNOWN_FACT_FIELDS: ReadonlySet<string> = new Set<string>([...BOOLEAN_FACTS, ...KEYED_FACTS, ...CODE_FACTS, 'programmesCompleted']);

export const isKnownFactField = (fact: string): boolean => KNOWN_FACT_FIELDS.has(fact);

// The decider refuses every command before the referral and after the end, so a stream never has
// events there; a state without a referral takes only the referral, an ended one nothing.
export function evolveCourse(state: CourseState, event: CourseEvent): CourseState {
  if (state.status === 'none') return event.type === 'ReferralReceived' ? referred(state, event.data) : state;
  if (state.status === 'ended') return state;
  return evolveOpen(state, event);
}

function referred(state: NoCourse, d: ReferralReceived['data']): OpenCourse {
  return {
    ...state,
    status: 'awaiting_visitation',
    courseId: d.courseId,
    patientId: d.patientId,
    pathway: d.pathway,
    coordinator: { role: d.initialCoordinator },
    referral: {
      receivedAt: d.receivedAt,
      referrer: d.referrer,
      content: d.content,
      missing: [],
      visitationDueBy: d.visitationDueBy,
      holds: [],
    },
    facts: { ...state.facts, programmesCompleted: [] },
  };
}

function evolveOpen(state: OpenCourse, event: CourseEvent): CourseState {
  switch (event.type) {
    case 'ReferralReceived':
      return state;
    case 'ReferralPutOnHold': {
      const r = state.referral;
      const missing = event.data.missing.map((m) => m.code);
      return { ...state, status: 'on_hold', referral: { ...r, missing, holds: [...r.holds, { from: event.data.heldAt, missing }] } };
    }
    case 'ReferralSupplemented': {
      const r = state.referral;
      return { ...state, referral: { ...r, content: { ...r.content, ...event.data.added }, missing: event.data.stillMissing } };
    }
    case 'ReferralHoldReleased': {
      const r = state.referral;
      const holds = r.holds.map((h, i) => (i === r.holds.length - 1 ? { ...h, to: event.data.releasedAt } : h));
      return { ...state, status: 'awaiting_visitation', referral: { ...r, missing: [], holds } };
    }
    case 'VisitationDecided': {
      const d = event.data;
      return {
        ...state,
        status: d.decision === 'accepted' ? 'active' : state.status,
        visitation: { decision: d.decision, decidedAt: d.decidedAt, criteriaSet: d.criteriaSet, withinDeadline: d.withinDeadline },
      };
    }
    case 'PatientFactRecorded': {
      const d = event.data;
      const entry: FactEntry = {
        fact: d.fact,
        ...(d.key !== undefined ? { key: d.key } : {}),
        value: d.value,
        basis: d.basis,
        recordedAt: d.recordedAt,
      };
      return {
        ...state,
        facts: withFact(state.facts, d.fact, d.key, d.value, isKnownFactField(d.fact)),
        factHistory: [...state.factHistory, entry],
      };
    }
    case 'AddOnAdded':
      return { ...state, addOns: { ...state.addOns, [event.data.stepCode]: { reason: event.data.reason, addedAt: event.data.addedAt } } };
    case 'StepScheduled': {
      const d = event.data;
      const progress: StepProgress = {
        status: 'scheduled',
        at: d.at,
        bookedAt: d.bookedAt,
        outsideWindow: d.outsideWindow,
        ...(d.endsAt !== undefined ? { endsAt: d.endsAt } : {}),
        ...(d.teamId !== undefined ? { teamId: d.teamId } : {}),
        ...(d.programme !== undefined ? { programme: d.programme } : {}),
        ...(d.window !== undefined ? { window: d.window } : {}),
      };
      return { ...state, steps: { ...state.steps, [d.stepCode]: progress } };
    }
    case 'StepUnscheduled': {
      const { [event.data.stepCode]: _dropped, ...steps } = state.steps;
      return { ...state, steps };
    }
    case 'StepCompleted': {
      const d = event.data;
      const before = state.steps[d.stepCode];
      const progress: StepProgress = {
        ...before,
        status: 'completed',
        completedAt: d.completedAt,
        outsideWindow: d.outsideWindow,
        ...(d.teamId !== undefined ? { teamId: d.teamId } : {}),
        ...(d.programme !== undefined ? { programme: d.programme } : {}),
        ...(d.window !== undefined ? { window: d.window } : {}),
      };
      const programmesCompleted = state.facts.programmesCompleted ?? [];
      return {
        ...state,
        steps: { ...state.steps, [d.stepCode]: progress },
        completed: [...state.completed, d.stepCode],
        // the seat is used up once the programme is done
        seats: d.programme !== undefined ? state.seats.filter((s) => s.programme !== d.programme) : state.seats,
        facts:
          d.programme !== undefined && !programmesCompleted.includes(d.programme)
            ? { ...state.facts, programmesCompleted: [...programmesCompleted, d.programme] }
            : state.facts,
      };
    }
    case 'StepSkipped':
      return { ...state, steps: { ...state.steps, [event.data.stepCode]: { status: 'skipped', skipReason: event.data.reason } } };
    case 'OptionChosen':
      return { ...state, choices: { ...state.choices, [event.data.stepCode]: event.data.option } };
    case 'MicroteamMemberAssigned': {
      const d = event.data;
      const others = state.microteam.filter((m) => !(m.role === d.role && m.clinicianId === (d.replaces ?? d.clinicianId)));
      return { ...state, microteam: [...others, { clinicianId: d.clinicianId, role: d.role, since: d.assignedAt }] };
    }
    case 'MicroteamMemberRemoved': {
      const d = event.data;
      return { ...state, microteam: state.microteam.filter((m) => !(m.role === d.role && m.clinicianId === d.clinicianId)) };
    }
    case 'CoordinationHandedOver':
      return { ...state, coordinator: { role: event.data.toRole, clinicianId: event.data.toClinicianId } };
    case 'CourseSeatBooked': {
      const d = event.data;
      return {
        ...state,
        seats: [...state.seats, { teamId: d.teamId, programme: d.programme, stepCode: d.stepCode, since: d.bookedAt }],
        waitlists: state.waitlists.filter((w) => w.teamId !== d.teamId),
      };
    }
    case 'CourseSeatReleased':
      return { ...state, seats: state.seats.filter((s) => s.teamId !== event.data.teamId) };
    case 'CourseWaitlistJoined': {
      const d = event.data;
      return {
        ...state,
        waitlists: [...state.waitlists, { teamId: d.teamId, programme: d.programme, stepCode: d.stepCode, since: d.waitlistedAt }],
      };
    }
    case 'CourseWaitlistLeft':
      return { ...state, waitlists: state.waitlists.filter((w) => w.teamId !== event.data.teamId) };
    case 'CourseEnded': {
      const d = event.data;
      return {
        ...state,
        status: 'ended',
        seats: [],
        waitlists: [],
        ended: {
          reason: d.reason,
          note: d.note,
          endedAt: d.endedAt,
          reReferralAllowed: d.reReferralAllowed,
          ...(d.exclusion ? { exclusionCode: d.exclusion.code } : {}),
        },
      };
    }
  }
}
