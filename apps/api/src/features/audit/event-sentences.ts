import type { ClinicianEvent, CourseEndReason, CourseEvent, PatientCourseOpened, TeamEvent, RoomEvent } from '#app/domain';
import type { ScheduleEvent } from '#app/domain';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';

/**
 * Every stored event as a sentence a person can read ("Secretary S12 offered a seat on the Forstå smerte
 * team starting 2026-03-09 to this course on behalf of doc-7; reason: cancellation by patient.").
 *
 * One renderer per event type, in maps typed by the event unions: adding an event type to a union
 * without a renderer is a compile error, and audit-sentences.spec.ts fails as well (it reads the
 * unions' source). A type no renderer knows (a future or foreign event) gets a generic sentence;
 * rendering never throws.
 */

/** What a renderer may ask about the world around the event (all optional: unknown → the raw id). */
export interface SentenceContext {
  /** the course whose history is shown: events about it say "this course" */
  readonly courseId?: string;
  /** "the Forstå smerte team starting 2026-03-09" */
  teamLabel?(teamId: string): string | undefined;
  /** "Short first talk (KORT_PRIMAERSAMTALE)" */
  stepLabel?(stepCode: string): string | undefined;
  /** IANA zone for times in sentences; default Europe/Copenhagen */
  readonly timeZone?: string;
}

export interface RenderableEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: Record<string, unknown>;
}

type Phrase<E> = (data: E extends { data: infer D } ? D : never, w: Words) => string;
type Renderers<U extends { type: string }> = { readonly [K in U['type']]: Phrase<Extract<U, { type: K }>> };

/** Helpers a phrase uses to name things. */
export interface Words {
  team(teamId: string): string;
  step(stepCode: string): string;
  course(courseId: string): string;
  time(instant: string | null | undefined): string;
  date(instant: string | null | undefined): string;
  list(items: readonly string[]): string;
}

const COURSE: Renderers<CourseEvent> = {
  ReferralReceived: (d, w) =>
    `registered a referral from ${d.referrer.kind === 'GP' ? 'GP' : d.referrer.kind === 'HOSPITAL' ? 'hospital department' : 'referrer'} ` +
    `${d.referrer.name ? `${d.referrer.name} (${d.referrer.id})` : d.referrer.id}, received ${w.time(d.receivedAt)}, ` +
    `on pathway ${d.pathway.code} version ${d.pathway.version}; paper visitation is due by ${w.time(d.visitationDueBy)}`,
  ReferralPutOnHold: (d, w) => `put the referral on hold and asked the referrer for: ${w.list(d.missing.map((m) => m.label))}`,
  ReferralSupplemented: (d, w) =>
    `added ${w.list(Object.keys(d.added))} to the referral` +
    (d.stillMissing.length > 0 ? `; still missing: ${w.list(d.stillMissing)}` : ''),
  ReferralHoldReleased: (d, w) =>
    `released the referral from hold (visitation due by ${w.time(d.visitationDueBy)}${d.visitationOverdue ? ', already overdue' : ''})`,
  VisitationDecided: (d, w) => {
    const unmet = d.assessment.filter((a) => !a.met).map((a) => a.code);
    return (
      `${d.decision} the referral at paper visitation ${d.withinDeadline ? 'within' : 'after'} the deadline of ${w.time(d.visitationDueBy)}` +
      (unmet.length > 0 ? `; criteria not met: ${w.list(unmet)}` : '; all criteria met') +
      (d.reason ? `; the decision's reason: ${d.reason}` : '') +
      (d.planForGp ? `; plan for the GP: ${d.planForGp}` : '')
    );
  },
  PatientFactRecorded: (d, w) =>
    `recorded the patient fact ${d.fact}${d.key ? ` for ${d.key}` : ''} = ${String(d.value)} (basis: ${d.basis.source.toLowerCase().replace(/_/g, ' ')}` +
    `${d.basis.stepCode ? ` at ${w.step(d.basis.stepCode)}` : ''}${d.basis.note ? `, "${d.basis.note}"` : ''})`,
  AddOnAdded: (d, w) => `added the optional step ${w.step(d.stepCode)} to the course (${d.reason})`,
  StepScheduled: (d, w) =>
    `${d.previousAt ? 'moved the booking of' : 'booked'} ${w.step(d.stepCode)} ${d.previousAt ? `from ${w.time(d.previousAt)} ` : ''}to ${w.time(d.at)}` +
    (d.endsAt ? ` until ${w.time(d.endsAt)}` : '') +
    (d.teamId ? ` on ${w.team(d.teamId)}` : '') +
    (d.outsideWindow
      ? `, outside its window${d.window ? ` (${d.window.from} to ${d.window.to})` : ''}${d.deviationReason ? ` because ${d.deviationReason}` : ''}`
      : ''),
  StepUnscheduled: (d, w) => `cancelled the booking of ${w.step(d.stepCode)} at ${w.time(d.previousAt)} (${d.reason})`,
  StepCompleted: (d, w) =>
    `recorded that ${w.step(d.stepCode)} took place on ${w.time(d.completedAt)}${d.teamId ? ` on ${w.team(d.teamId)}` : ''}` +
    (d.outsideWindow ? `, outside its window${d.deviationReason ? ` because ${d.deviationReason}` : ''}` : ''),
  StepSkipped: (d, w) => `skipped ${w.step(d.stepCode)} (${d.reason})`,
  OptionChosen: (d, w) =>
    `recorded the patient's choice of ${d.option} at ${w.step(d.stepCode)}${d.previous ? ` instead of ${d.previous}` : ''}`,
  MicroteamMemberAssigned: (d) => `assigned ${d.clinicianId} to the microteam as ${d.role}${d.replaces ? `, replacing ${d.replaces}` : ''}`,
  MicroteamMemberRemoved: (d) => `removed ${d.clinicianId} (${d.role}) from the microteam${d.reason ? ` (${d.reason})` : ''}`,
  CoordinationHandedOver: (d, w) =>
    `handed coordination of the course from ${d.fromRole}${d.fromClinicianId ? ` ${d.fromClinicianId}` : ''} to ${d.toRole} ${d.toClinicianId}` +
    (d.atStep ? ` on completion of ${w.step(d.atStep)}` : ''),
  CourseSeatBooked: (d, w) => `recorded on the course its seat on ${w.team(d.teamId)} for ${w.step(d.stepCode)}`,
  CourseSeatReleased: (d, w) =>
    `recorded on the course that its seat on ${w.team(d.teamId)} was given up${d.reason ? ` (${d.reason})` : ''}`,
  CourseWaitlistJoined: (d, w) => `recorded on the course its place on the waitlist of ${w.team(d.teamId)} for ${w.step(d.stepCode)}`,
  CourseWaitlistLeft: (d, w) => `recorded on the course that it left the waitlist of ${w.team(d.teamId)}`,
  CourseEnded: (d, w) =>
    `ended the course as ${END_WORDS[d.reason] ?? d.reason}: ${d.note}` +
    (d.exclusion ? ` (exclusion: ${d.exclusion.label})` : '') +
    (d.atStep ? `, at ${w.step(d.atStep)}` : '') +
    (d.planForGp ? `; plan for the GP: ${d.planForGp}` : '') +
    (d.reReferralAllowed ? '; the patient may be referred again' : '') +
    (d.seatsToRelease.length + d.waitlistsToLeave.length > 0
      ? `; to be freed: ${w.list([...d.seatsToRelease.map((s) => `seat on ${w.team(s.teamId)}`), ...d.waitlistsToLeave.map((s) => `waitlist place on ${w.team(s.teamId)}`)])}`
      : ''),
};

/** a stored event may carry a reason this build does not know: looked up as possibly missing */
const END_WORDS: Partial<Record<string, string>> = {
  rejected: 'rejected',
  excluded: 'excluded',
  dropped_out: 'dropped out',
  completed: 'completed',
  stalled: 'stalled',
} satisfies Record<CourseEndReason, string>;

const TEAM: Renderers<TeamEvent> = {
  TeamPlanned: (d, w) =>
    `planned a ${d.programme.name.da} team (${d.programmeCode}, catalogue version ${d.catalogueVersion}) in room ${d.room.roomId} with ${d.capacity} seats and ` +
    `${d.sessions.length} session${d.sessions.length === 1 ? '' : 's'}${d.sessions[0] ? ` from ${w.time(d.sessions[0].startsAt)}` : ''}`,
  TherapistAssigned: (d, w) =>
    `assigned ${d.clinicianId} to ${w.team(d.teamId)} as ${d.role}${d.competentUntil ? ` (competent until ${w.date(d.competentUntil)})` : ''}`,
  TherapistRemoved: (d, w) => `removed ${d.clinicianId} (${d.role}) from ${w.team(d.teamId)} (${d.reason})`,
  SeatReserved: (d, w) =>
    `reserved a seat on ${w.team(d.teamId)} for ${w.course(d.courseId)}${d.via === 'offer' ? ' (an offered seat)' : ''}` +
    (d.relatives > 0 ? ` with ${d.relatives} relative${d.relatives === 1 ? '' : 's'}` : ''),
  SeatReleased: (d, w) => `released the seat of ${w.course(d.courseId)} on ${w.team(d.teamId)} (${d.reason})`,
  CourseWaitlisted: (d, w) => `put ${w.course(d.courseId)} on the waitlist of ${w.team(d.teamId)}`,
  CourseLeftWaitlist: (d, w) => `took ${w.course(d.courseId)} off the waitlist of ${w.team(d.teamId)} (${d.reason})`,
  SeatOffered: (d, w) => `offered a seat on ${w.team(d.teamId)} to ${w.course(d.courseId)}, held until ${w.time(d.expiresAt)}`,
  SeatOfferAccepted: (d, w) => `confirmed that ${w.course(d.courseId)} accepted the seat offered on ${w.team(d.teamId)}`,
  SeatOfferDeclined: (d, w) => `recorded that ${w.course(d.courseId)} declined the seat offered on ${w.team(d.teamId)} (${d.reason})`,
  SeatOfferExpired: (d, w) =>
    `recorded that the seat offered on ${w.team(d.teamId)} to ${w.course(d.courseId)} expired at ${w.time(d.expiresAt)}`,
  SeatHeld: (d, w) => `held a seat on ${w.team(d.teamId)} for ${w.course(d.courseId)} until ${w.time(d.heldUntil)}`,
  SeatHoldLapsed: (d, w) =>
    `recorded that the seat held on ${w.team(d.teamId)} for ${w.course(d.courseId)} lapsed at ${w.time(d.heldUntil)} without a booking`,
  TeamClosedForLateJoiners: (d, w) => `closed ${w.team(d.teamId)} to late joiners (${d.reason})`,
  SessionCancelled: (d, w) => `cancelled session ${d.sessionKey} of ${w.team(d.teamId)} (${d.reason})`,
  SessionMoved: (d, w) =>
    `moved session ${d.sessionKey} of ${w.team(d.teamId)} from ${w.time(d.from.startsAt)} to ${w.time(d.startsAt)}` +
    (d.room.roomId !== d.from.roomId ? ` in room ${d.room.roomId}` : '') +
    ` (${d.reason})`,
  AttendanceRecorded: (d, w) => {
    const words = d.entries.map(
      (e) =>
        `${w.course(e.courseId)} ${e.status === 'attended' ? 'attended' : 'did not show up'}${e.relativesPresent > 0 ? ` with ${e.relativesPresent} relative(s)` : ''}`,
    );
    return `recorded attendance at session ${d.sessionKey} of ${w.team(d.teamId)}: ${w.list(words)}`;
  },
};

const CLINICIAN: Renderers<ClinicianEvent> = {
  ClinicianRegistered: (d, w) =>
    `registered clinician ${d.clinicianId} (${w.list(d.professions)}), employed from ${w.date(d.employmentStart)}`,
  CompetenceGranted: (d, w) =>
    `recorded the competence ${d.competence} of ${d.clinicianId}, obtained ${w.date(d.grantedAt)}${d.expiresAt ? `, expiring ${w.date(d.expiresAt)}` : ''}`,
  CompetenceRevoked: (d, w) => `revoked the competence ${d.competence} of ${d.clinicianId} as of ${w.date(d.revokedAt)}`,
  TeamServiceRecorded: (d, w) =>
    `recorded that ${d.clinicianId} served on ${w.team(d.teamId)} (${d.programme}) as ${d.role} from ${w.time(d.servedAt)}`,
};

const SCHEDULE: Renderers<ScheduleEvent> = {
  SlotReserved: (d, w) =>
    d.kind === 'team-session'
      ? `reserved ${d.resource.kind} ${d.resource.id} for a session of ${d.teamId ? w.team(d.teamId) : 'a team'} from ${w.time(d.start)} to ${w.time(d.end)}`
      : `booked the appointment ${d.appointmentId}${d.intervention ? ` (${d.intervention})` : ''}${d.courseId ? ` for ${w.course(d.courseId)}` : ''} ` +
        `from ${w.time(d.start)} to ${w.time(d.end)}` +
        (d.clinicianIds && d.clinicianIds.length > 0 ? ` with ${w.list(d.clinicianIds)}` : '') +
        (d.roomId ? ` in room ${d.roomId}` : '') +
        (d.resource.kind === 'patient' ? '' : ` (held on ${d.resource.kind} ${d.resource.id})`),
  SlotReleased: (d) =>
    d.compensation
      ? `undid the unfinished booking ${d.appointmentId} (${d.reason})`
      : `cancelled the appointment ${d.appointmentId} (${d.reason})`,
  SlotVoided: (d) => `voided the abandoned booking ${d.appointmentId} (${d.reason})`,
};

const ROOM: Renderers<RoomEvent> = {
  RoomRegistered: (d) =>
    `registered room ${d.name} (${d.roomId}) with ${d.seats} seats${d.maxPeople !== null ? ` for at most ${d.maxPeople} people` : ''}`,
};

/** `patientcourses-<patientId>`: the patient's course index a referral writes */
const PATIENT_COURSES: Renderers<PatientCourseOpened> = {
  PatientCourseOpened: (d) => `opened course ${d.courseId} on pathway ${d.pathway} in the patient's course index`,
};

/** `catalogue-<clinicId>` (not a domain union: see catalogue.service.ts) */
const CATALOGUE: Readonly<Record<string, Phrase<{ type: string; data: { catalogue?: { version?: number; clinicId?: string } } }>>> = {
  CataloguePublished: (d) => `published version ${d.catalogue?.version ?? '?'} of the catalogue of clinic ${d.catalogue?.clinicId ?? '?'}`,
};

/** Every renderer by event type (the unions do not share type names; the spec checks that too). */
export const EVENT_RENDERERS: Readonly<Record<string, (data: never, w: Words) => string>> = {
  ...COURSE,
  ...TEAM,
  ...CLINICIAN,
  ...SCHEDULE,
  ...ROOM,
  ...PATIENT_COURSES,
  ...CATALOGUE,
};

/** the renderer groups, for the spec that checks that no union shares a type name with another */
export const RENDERER_GROUPS: Readonly<Record<string, readonly string[]>> = {
  course: Object.keys(COURSE),
  team: Object.keys(TEAM),
  clinician: Object.keys(CLINICIAN),
  schedule: Object.keys(SCHEDULE),
  room: Object.keys(ROOM),
  patientCourses: Object.keys(PATIENT_COURSES),
  catalogue: Object.keys(CATALOGUE),
};

const ROLE_WORDS: Record<string, string> = {
  secretary: 'Secretary',
  clinician: 'Clinician',
  admin: 'Administrator',
  auditor: 'Auditor',
  integration: 'Integration',
};
/** the role a person most likely acted in (a secretary-and-clinician books as secretary) */
const ROLE_ORDER = ['secretary', 'clinician', 'admin', 'integration', 'auditor'];

export function actingRole(metadata: Partial<EventMetadata> | undefined): string | undefined {
  const roles = metadata?.actor?.roles ?? [];
  return ROLE_ORDER.find((r) => roles.includes(r as never)) ?? roles[0];
}

/** "Secretary S12", "Clinician doc-7", "The system (enrolment)" */
export function actorLabel(metadata: Partial<EventMetadata> | undefined): string {
  const staffId = metadata?.actor?.staffId;
  if (!staffId) return 'Someone (not recorded)';
  if (staffId.startsWith('system:')) return `The system (${staffId.slice('system:'.length)})`;
  const role = actingRole(metadata);
  return `${role ? (ROLE_WORDS[role] ?? role) : 'User'} ${staffId}`;
}

function words(context: SentenceContext): Words {
  const timeZone = context.timeZone ?? 'Europe/Copenhagen';
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const parse = (instant: string): Date | undefined => {
    const ms = Date.parse(instant);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  };
  return {
    team: (teamId) => context.teamLabel?.(teamId) ?? `team ${teamId}`,
    step: (stepCode) => context.stepLabel?.(stepCode) ?? stepCode,
    course: (courseId) => (courseId === context.courseId ? 'this course' : `course ${courseId}`),
    time: (instant) => {
      if (!instant) return 'an unknown time';
      if (/^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
      const at = parse(instant);
      return at ? format.format(at) : instant;
    },
    date: (instant) => {
      if (!instant) return 'an unknown date';
      if (/^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
      const at = parse(instant);
      return at ? day.format(at) : instant;
    },
    list: (items) =>
      items.length === 0 ? 'nothing' : items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`,
  };
}

/**
 * `<actor> <what happened>[ on behalf of <clinician>][; reason: <reason>].` The reason from the
 * metadata is added unless the phrase already quotes it (many events carry their reason as data).
 */
export function renderEvent(event: RenderableEvent, context: SentenceContext = {}): string {
  const metadata = (event.metadata ?? {}) as Partial<EventMetadata>;
  const w = words(context);
  let phrase: string;
  const renderer = Object.hasOwn(EVENT_RENDERERS, event.type) ? EVENT_RENDERERS[event.type] : undefined;
  try {
    phrase = renderer ? renderer(event.data as never, w) : genericPhrase(event, w);
  } catch {
    // data of an older or malformed shape: say what we can rather than fail the whole history
    phrase = genericPhrase(event, w);
  }
  const onBehalf = typeof metadata.onBehalfOf === 'string' && metadata.onBehalfOf ? ` on behalf of ${metadata.onBehalfOf}` : '';
  const reason =
    typeof metadata.reason === 'string' && metadata.reason.trim() && !phrase.includes(metadata.reason.trim())
      ? `; reason: ${metadata.reason.trim()}`
      : '';
  const followUp = metadata.followUpOf && typeof metadata.followUpOf === 'object' ? ' (recorded automatically as a follow-up)' : '';
  return `${actorLabel(metadata)} ${phrase}${onBehalf}${followUp}${reason}.`;
}

/** for a type no renderer knows: its name in words and the ids it names */
function genericPhrase(event: RenderableEvent, w: Words): string {
  const name = event.type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase() || 'an unnamed event';
  const data = event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {};
  const about: string[] = [];
  if (typeof data.courseId === 'string') about.push(w.course(data.courseId));
  if (typeof data.teamId === 'string') about.push(w.team(data.teamId));
  if (typeof data.clinicianId === 'string') about.push(`clinician ${data.clinicianId}`);
  return `recorded "${name}"${about.length > 0 ? ` about ${w.list(about)}` : ''}`;
}
