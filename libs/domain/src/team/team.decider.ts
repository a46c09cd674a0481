import { isDomainError, refuse, type Decider, type DomainError, type FailedCriterion } from '../shared/index.js';
import { APPRENTICE_ROLE, type Catalogue, type ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import { addDaysToLocalDate, addHours, addMinutes, formatInZone, isInstant, isLocalDate, isLocalTime, localToInstant, toMillis } from '../catalogue/calendar.js';
import { validateCatalogue } from '../catalogue/catalogue.validation.js';
import { competentUntil, evaluateCompetence } from '../competence/competence.evaluator.js';
import { evaluateEligibility } from '../eligibility/eligibility.evaluator.js';
import type { PatientFacts } from '../eligibility/patient-facts.js';
import type * as C from './team.commands.js';
import type { PlannedSession, Room, TeamEvent, TeamRules } from './team.events.js';
import { findSession, freeSeats, isClosedForLateJoiners, isHeld, isOnTeam, isWaitlisted, lateJoinCutoff, staffRuleFailures, waitingWithoutOffer } from './team.queries.js';
import { evolveTeam, initialTeamState, type PlannedTeam, type TeamState } from './team.state.js';

type Result = TeamEvent[] | DomainError;

/** catalogues (immutable, readonly data) already found valid: the handler passes the same object for every team */
const validCatalogues = new WeakSet<Catalogue>();

export function decideTeam(command: C.TeamCommand, state: TeamState): Result {
  if (!isInstant(command.now)) return refuse('INVALID_TIME', 'The time of the request is not a valid date and time with offset.');
  if (command.type === 'PlanTeam') return plan(command, state);
  if (state.status !== 'planned') return refuse('TEAM_NOT_PLANNED', 'This team has not been planned yet.');
  if (command.teamId !== state.teamId) return refuse('TEAM_MISMATCH', 'The request is for another team.');
  // holds that ran out lapse first, on any write to the team: the command is decided without them
  const lapsed = lapsedHolds(state, command.now);
  if (lapsed.length === 0 || command.type === 'ExpireSeatOffers') return decidePlanned(command, state);
  const decided = decidePlanned(command, lapsed.reduce(evolveTeam, state as TeamState) as PlannedTeam);
  return isDomainError(decided) ? decided : [...lapsed, ...decided];
}

function lapsedHolds(state: PlannedTeam, now: string): TeamEvent[] {
  return (state.holds ?? [])
    .filter((h) => toMillis(h.heldUntil) <= toMillis(now))
    .map((h) => ({ type: 'SeatHoldLapsed', data: { teamId: state.teamId, courseId: h.courseId, heldUntil: h.heldUntil, lapsedAt: now } }));
}

function decidePlanned(command: Exclude<C.TeamCommand, C.PlanTeam>, state: PlannedTeam): Result {
  switch (command.type) {
    case 'AssignTherapist':
      return assign(command, state);
    case 'RemoveTherapist':
      return removeTherapist(command, state);
    case 'ReserveSeat':
      return reserve(command, state);
    case 'ReleaseSeat':
      return release(command, state);
    case 'JoinWaitlist':
      return joinWaitlist(command, state);
    case 'LeaveWaitlist':
      return leaveWaitlist(command, state);
    case 'OfferSeat':
      return offerSeat(command, state);
    case 'AcceptSeatOffer':
      return acceptOffer(command, state);
    case 'DeclineSeatOffer':
      return declineOffer(command, state);
    case 'ExpireSeatOffers':
      return expireOffers(command, state);
    case 'HoldSeat':
      return holdSeat(command, state);
    case 'CloseForLateJoiners':
      return close(command, state);
    case 'CancelSession':
      return cancelSession(command, state);
    case 'MoveSession':
      return moveSession(command, state);
    case 'RecordAttendance':
      return recordAttendance(command, state);
  }
}

// ---------------------------------------------------------------- planning

function plan(command: C.PlanTeam, state: TeamState): Result {
  if (state.status === 'planned') return refuse('TEAM_ALREADY_PLANNED', 'This team is already planned.');
  const catalogueProblems = validCatalogues.has(command.catalogue) ? [] : validateCatalogue(command.catalogue);
  if (catalogueProblems.length > 0) {
    return refuse('INVALID_CATALOGUE', 'The catalogue has problems, so no team can be planned from it.', catalogueProblems);
  }
  validCatalogues.add(command.catalogue);
  const programme = command.catalogue.programmes.find((p) => p.code === command.programmeCode);
  if (!programme) return refuse('PROGRAMME_NOT_FOUND', `The catalogue offers no programme ${command.programmeCode}.`);
  const room = roomOf(command.room, command.catalogue.settings.roomPeopleCap);
  if (isDomainError(room)) return room;
  if (!isLocalDate(command.startsOn) || !isLocalTime(command.startTime)) {
    return refuse('INVALID_TIME', 'The first session needs a valid date (YYYY-MM-DD) and time (HH:mm).');
  }
  const sessions = sessionsOf(programme, command.startsOn, command.startTime, room, command.catalogue.settings.timeZone);
  if (toMillis(sessions[0]!.startsAt) <= toMillis(command.now)) return refuse('TEAM_START_IN_PAST', 'A team cannot be planned to start in the past.');
  return [
    {
      type: 'TeamPlanned',
      data: {
        teamId: command.teamId,
        clinicId: command.catalogue.clinicId,
        catalogueVersion: command.catalogue.version,
        programmeCode: programme.code,
        programme,
        rules: rulesOf(command.catalogue),
        room,
        capacity: Math.min(programme.seats, room.seats),
        sessions,
        plannedAt: command.now,
      },
    },
  ];
}

function roomOf(input: C.RoomInput, defaultCap: number | null): Room | DomainError {
  const maxPeople = input.maxPeople === undefined ? defaultCap : input.maxPeople;
  if (!input.roomId || !Number.isInteger(input.seats) || input.seats < 1 || (maxPeople !== null && !(Number.isInteger(maxPeople) && maxPeople >= input.seats))) {
    return refuse('INVALID_ROOM', 'A room needs an id, at least one seat, and a people cap (if any) no smaller than its seats.');
  }
  return { roomId: input.roomId, seats: input.seats, maxPeople };
}

function rulesOf(catalogue: Catalogue): TeamRules {
  const s = catalogue.settings;
  return {
    timeZone: s.timeZone,
    offerHoldHours: s.offerHoldHours,
    waitlistTieBreak: s.waitlist.tieBreak,
    autoOfferFreedSeats: s.waitlist.autoOfferFreedSeats,
    competenceValidityMonths: s.competenceValidityMonths,
    unknownFact: s.unknownFact,
    factDefinitions: catalogue.facts,
  };
}

/**
 * Session times from the programme's plan: each session falls `dayOffset` local calendar days after the
 * first, at the same local wall-clock time (or its own `localStartTime`), so a weekly 13:00 session stays
 * at 13:00 across a DST change.
 */
export function sessionsOf(programme: ProgrammeDefinition, startsOn: string, startTime: string, room: Room, timeZone: string): PlannedSession[] {
  return programme.sessionPlan.sessions.map((template) => {
    const startsAt = localToInstant(addDaysToLocalDate(startsOn, template.dayOffset), template.localStartTime ?? startTime, timeZone);
    return {
      key: template.key,
      kind: template.kind,
      startsAt,
      endsAt: addMinutes(startsAt, template.durationMinutes, timeZone),
      durationMinutes: template.durationMinutes,
      room,
    };
  });
}

// ---------------------------------------------------------------- therapists

function assign(command: C.AssignTherapist, state: PlannedTeam): Result {
  const { clinician, clinicianId, role } = command;
  if (!clinician.registered || clinician.clinicianId !== clinicianId) {
    return refuse('CLINICIAN_NOT_REGISTERED', 'This clinician is not registered, so they cannot be assigned.');
  }
  if (state.therapists.some((t) => t.clinicianId === clinicianId)) return refuse('ALREADY_ASSIGNED', 'This clinician is already on the team.');
  const staff = state.programme.staff;
  if (role === APPRENTICE_ROLE) {
    const apprentices = state.therapists.filter((t) => t.role === APPRENTICE_ROLE).length;
    if (!staff.apprentices.allowed) return refuse('APPRENTICES_NOT_ALLOWED', `${state.programme.name.en} takes no apprentices.`);
    if (staff.apprentices.max !== null && apprentices >= staff.apprentices.max) {
      return refuse('APPRENTICES_FULL', `${state.programme.name.en} takes at most ${staff.apprentices.max} apprentices.`);
    }
    return [assigned(state, command, null)];
  }
  const rule = staff.roles.find((r) => r.role === role);
  if (!rule) {
    return refuse('UNKNOWN_ROLE', `${state.programme.name.en} has no role "${role}"; its roles are ${[...staff.roles.map((r) => r.role), APPRENTICE_ROLE].join(', ')}.`);
  }
  if (state.therapists.filter((t) => t.role === role).length >= rule.count) {
    return refuse('ROLE_FULL', `The team already has ${rule.count} ${rule.name.en.toLowerCase()}${rule.count > 1 ? 's' : ''}; add more as apprentices.`);
  }
  // competent at every session still to come: employment and team history only grow, dated competences lapse
  const times = remainingSessionStarts(state, command.now);
  const options = { validityMonths: state.rules.competenceValidityMonths };
  const failures = dedupe(times.flatMap((t) => evaluateCompetence(rule.competence, clinician, t, options)));
  if (failures.length > 0) {
    return refuse('COMPETENCE_MISSING', `This clinician does not meet the rule for ${rule.name.en.toLowerCase()} on ${state.programme.name.en}.`, failures, {
      role,
      checkedAt: times,
    });
  }
  return [assigned(state, command, competentUntil(rule.competence, clinician, times[0]!, options))];
}

function assigned(state: PlannedTeam, command: C.AssignTherapist, until: string | null): TeamEvent {
  return {
    type: 'TherapistAssigned',
    data: {
      teamId: state.teamId,
      clinicianId: command.clinicianId,
      role: command.role,
      competentUntil: until === null ? null : formatInZone(toMillis(until), state.rules.timeZone),
      assignedAt: command.now,
    },
  };
}

function remainingSessionStarts(state: PlannedTeam, now: string): string[] {
  const starts = state.sessions.filter((s) => s.cancelled === null && !isHeld(s) && toMillis(s.startsAt) >= toMillis(now)).map((s) => s.startsAt);
  return starts.length > 0 ? starts : [now];
}

function dedupe(failures: readonly FailedCriterion[]): FailedCriterion[] {
  const seen = new Set<string>();
  return failures.filter((f) => !seen.has(f.code) && (seen.add(f.code), true));
}

function removeTherapist(command: C.RemoveTherapist, state: PlannedTeam): Result {
  const assignment = state.therapists.find((t) => t.clinicianId === command.clinicianId);
  if (!assignment) return refuse('THERAPIST_NOT_ASSIGNED', 'This clinician is not on the team.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for removing the therapist.');
  return [
    {
      type: 'TherapistRemoved',
      data: { teamId: state.teamId, clinicianId: command.clinicianId, role: assignment.role, reason: command.reason, removedAt: command.now },
    },
  ];
}

// ---------------------------------------------------------------- seats, waitlist, offers

function notEligible(state: PlannedTeam, facts: PatientFacts): DomainError | null {
  const failures = evaluateEligibility(state.programme, facts, { factDefinitions: state.rules.factDefinitions, unknownFact: state.rules.unknownFact });
  if (failures.length === 0) return null;
  return refuse('NOT_ELIGIBLE', `The patient does not meet the criteria for ${state.programme.name.en}.`, failures);
}

function relativesRefusal(state: PlannedTeam, relatives: readonly C.RelativeInput[]): DomainError | null {
  if (relatives.length === 0) return null;
  const policy = state.programme.relatives;
  const failures: FailedCriterion[] = [];
  if (policy === null) {
    failures.push({ code: 'RELATIVES_NOT_ALLOWED', reason: `Relatives do not take part in ${state.programme.name.en}.` });
  } else {
    if (relatives.length > policy.perPatient) {
      failures.push({ code: 'TOO_MANY_RELATIVES', reason: `Each patient may bring ${policy.perPatient} relative${policy.perPatient > 1 ? 's' : ''}.` });
    }
    if (relatives.some((r) => !(r.age >= policy.minAge))) {
      failures.push({ code: 'RELATIVE_UNDER_AGE', reason: `A relative must be at least ${policy.minAge} years old.` });
    }
  }
  return failures.length > 0 ? refuse('RELATIVE_NOT_ALLOWED', 'The relatives cannot come along as asked.', failures) : null;
}

function roomFull(state: PlannedTeam, extraPeople: number): DomainError | null {
  const cap = state.room.maxPeople;
  if (cap === null) return null;
  const people = state.seats.reduce((n, s) => n + 1 + s.relatives, 0) + state.offers.length;
  return people + extraPeople > cap ? refuse('ROOM_FULL', `The room holds ${cap} people including relatives, and that is reached.`) : null;
}

function closedRefusal(state: PlannedTeam, now: string): DomainError | null {
  if (!isClosedForLateJoiners(state, now)) return null;
  const why = state.closedForLateJoiners ? `It was closed by hand ("${state.closedForLateJoiners.reason}").` : `No new patients are taken from ${lateJoinCutoff(state)}.`;
  return refuse('TEAM_CLOSED_FOR_LATE_JOINERS', `This team takes no new patients. ${why}`);
}

function alreadyThere(state: PlannedTeam, courseId: string): DomainError | null {
  if (isOnTeam(state, courseId)) return refuse('ALREADY_ON_TEAM', 'This course already has a seat on the team.');
  if (isWaitlisted(state, courseId)) return refuse('ALREADY_WAITLISTED', 'This course is already on the waitlist for the team.');
  return null;
}

function reserve(command: C.ReserveSeat, held: PlannedTeam): Result {
  // the course's own hold is the seat it takes: the checks below run without it
  const state: PlannedTeam = held.holds?.some((h) => h.courseId === command.courseId) ? { ...held, holds: held.holds.filter((h) => h.courseId !== command.courseId) } : held;
  const relatives = command.relatives ?? [];
  const refusal =
    alreadyThere(state, command.courseId) ??
    invalidReferralDate(command.referralDate) ??
    closedRefusal(state, command.now) ??
    notEligible(state, command.facts) ??
    relativesRefusal(state, relatives) ??
    (waitingWithoutOffer(state).length > 0 && freeSeats(state) > 0
      ? refuse('WAITLIST_HAS_PRIORITY', 'Courses are waiting for this team; the free seat goes to the first in line.')
      : null) ??
    (freeSeats(state) === 0 ? refuse('TEAM_FULL', `All ${state.capacity} seats on the team are taken; the course can join the waitlist.`) : null) ??
    roomFull(state, 1 + relatives.length);
  if (refusal) return refusal;
  return [
    {
      type: 'SeatReserved',
      data: {
        teamId: state.teamId,
        courseId: command.courseId,
        referralDate: command.referralDate,
        relatives: relatives.length,
        via: 'direct',
        reservedAt: command.now,
      },
    },
  ];
}

/** the same checks as a reservation; the seat is then held until now + holdMinutes instead of taken */
function holdSeat(command: C.HoldSeat, state: PlannedTeam): Result {
  if (!Number.isInteger(command.holdMinutes) || command.holdMinutes < 1 || command.holdMinutes > 1440) {
    return refuse('INVALID_HOLD', 'A hold lasts a whole number of minutes from 1 to 1440.');
  }
  const own = state.holds?.find((h) => h.courseId === command.courseId);
  if (own) return []; // held already (a retry): the first hold's expiry stands
  const decided = reserve({ ...command, type: 'ReserveSeat' }, state);
  if (isDomainError(decided)) return decided;
  return [
    {
      type: 'SeatHeld',
      data: { teamId: state.teamId, courseId: command.courseId, heldAt: command.now, heldUntil: addMinutes(command.now, command.holdMinutes, state.rules.timeZone) },
    },
  ];
}

function invalidReferralDate(date: string): DomainError | null {
  return isLocalDate(date) || isInstant(date) ? null : refuse('INVALID_DATE', 'The referral date is not a valid date.');
}

function release(command: C.ReleaseSeat, state: PlannedTeam): Result {
  if (!isOnTeam(state, command.courseId)) return refuse('SEAT_NOT_FOUND', 'This course has no seat on the team.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for releasing the seat.');
  return withAutoOffers(state, command.now, [
    { type: 'SeatReleased', data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason, releasedAt: command.now } },
  ]);
}

function joinWaitlist(command: C.JoinWaitlist, state: PlannedTeam): Result {
  const refusal =
    alreadyThere(state, command.courseId) ??
    invalidReferralDate(command.referralDate) ??
    closedRefusal(state, command.now) ??
    notEligible(state, command.facts) ??
    (freeSeats(state) > 0 && waitingWithoutOffer(state).length === 0
      ? refuse('SEAT_AVAILABLE', 'There is a free seat on the team; reserve it instead of waiting.')
      : null);
  if (refusal) return refusal;
  return [
    { type: 'CourseWaitlisted', data: { teamId: state.teamId, courseId: command.courseId, referralDate: command.referralDate, joinedAt: command.now } },
  ];
}

function leaveWaitlist(command: C.LeaveWaitlist, state: PlannedTeam): Result {
  if (!isWaitlisted(state, command.courseId)) return refuse('NOT_ON_WAITLIST', 'This course is not on the waitlist for the team.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for leaving the waitlist.');
  return withAutoOffers(state, command.now, [
    { type: 'CourseLeftWaitlist', data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason, leftAt: command.now } },
  ]);
}

function offerSeat(command: C.OfferSeat, state: PlannedTeam): Result {
  const closed = closedRefusal(state, command.now);
  if (closed) return closed;
  if (freeSeats(state) === 0) return refuse('TEAM_FULL', 'There is no free seat to offer.');
  const next = waitingWithoutOffer(state)[0];
  if (!next) return refuse('WAITLIST_EMPTY', 'No course is waiting for a seat on this team.');
  return [offered(state, next.courseId, command.now)];
}

function offered(state: PlannedTeam, courseId: string, now: string): TeamEvent {
  return {
    type: 'SeatOffered',
    data: { teamId: state.teamId, courseId, offeredAt: now, expiresAt: addHours(now, state.rules.offerHoldHours, state.rules.timeZone) },
  };
}

/**
 * A seat freed by a release, a decline, an expiry or a course leaving goes to the next waiting course at
 * once when the catalogue says so (`settings.waitlist.autoOfferFreedSeats`) and the team still takes new patients.
 */
function withAutoOffers(state: PlannedTeam, now: string, events: TeamEvent[]): TeamEvent[] {
  if (!state.rules.autoOfferFreedSeats) return events;
  let next = events.reduce(evolveTeam, state as TeamState) as PlannedTeam;
  const result = [...events];
  while (!isClosedForLateJoiners(next, now) && freeSeats(next) > 0) {
    const head = waitingWithoutOffer(next)[0];
    if (!head) break;
    const offer = offered(next, head.courseId, now);
    result.push(offer);
    next = evolveTeam(next, offer) as PlannedTeam;
  }
  return result;
}

function acceptOffer(command: C.AcceptSeatOffer, state: PlannedTeam): Result {
  const offer = state.offers.find((o) => o.courseId === command.courseId);
  if (!offer) return refuse('NO_OFFER', 'This course holds no seat offer on the team.');
  if (toMillis(command.now) >= toMillis(offer.expiresAt)) return refuse('OFFER_EXPIRED', `The seat offer expired at ${offer.expiresAt}.`);
  const relatives = command.relatives ?? [];
  // the offer already holds the patient's seat, so only the relatives are extra people in the room
  const refusal = closedRefusal(state, command.now) ?? notEligible(state, command.facts) ?? relativesRefusal(state, relatives) ?? roomFull(state, relatives.length);
  if (refusal) return refusal;
  const entry = state.waitlist.find((w) => w.courseId === command.courseId)!;
  return [
    { type: 'SeatOfferAccepted', data: { teamId: state.teamId, courseId: command.courseId, acceptedAt: command.now } },
    {
      type: 'SeatReserved',
      data: { teamId: state.teamId, courseId: command.courseId, referralDate: entry.referralDate, relatives: relatives.length, via: 'offer', reservedAt: command.now },
    },
  ];
}

function declineOffer(command: C.DeclineSeatOffer, state: PlannedTeam): Result {
  if (!state.offers.some((o) => o.courseId === command.courseId)) return refuse('NO_OFFER', 'This course holds no seat offer on the team.');
  return withAutoOffers(state, command.now, [
    { type: 'SeatOfferDeclined', data: { teamId: state.teamId, courseId: command.courseId, reason: command.reason ?? '', declinedAt: command.now } },
  ]);
}

function expireOffers(command: C.ExpireSeatOffers, state: PlannedTeam): Result {
  const due = state.offers.filter((o) => toMillis(o.expiresAt) <= toMillis(command.now));
  const lapsed = lapsedHolds(state, command.now);
  if (due.length === 0 && lapsed.length === 0) return [];
  return withAutoOffers(state, command.now, [
    ...lapsed,
    ...due.map((o): TeamEvent => ({ type: 'SeatOfferExpired', data: { teamId: state.teamId, courseId: o.courseId, expiresAt: o.expiresAt, expiredAt: command.now } })),
  ]);
}

/** Open offers stay until they expire, but can no longer be accepted once the team is closed. */
function close(command: C.CloseForLateJoiners, state: PlannedTeam): Result {
  if (state.closedForLateJoiners) return refuse('ALREADY_CLOSED', 'The team is already closed for late joiners.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for closing the team.');
  return [{ type: 'TeamClosedForLateJoiners', data: { teamId: state.teamId, reason: command.reason, closedAt: command.now } }];
}

// ---------------------------------------------------------------- sessions

function sessionRefusal(state: PlannedTeam, key: string): DomainError | null {
  const session = findSession(state, key);
  if (!session) return refuse('SESSION_NOT_FOUND', `The team has no session ${key}.`);
  if (session.cancelled) return refuse('SESSION_CANCELLED', `Session ${key} is cancelled.`);
  return null;
}

function cancelSession(command: C.CancelSession, state: PlannedTeam): Result {
  const refusal = sessionRefusal(state, command.sessionKey);
  if (refusal) return refusal;
  if (isHeld(findSession(state, command.sessionKey)!)) return refuse('SESSION_ALREADY_HELD', 'Attendance is recorded for this session, so it was held.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for cancelling the session.');
  return [{ type: 'SessionCancelled', data: { teamId: state.teamId, sessionKey: command.sessionKey, reason: command.reason, cancelledAt: command.now } }];
}

function moveSession(command: C.MoveSession, state: PlannedTeam): Result {
  const refusal = sessionRefusal(state, command.sessionKey);
  if (refusal) return refusal;
  const session = findSession(state, command.sessionKey)!;
  if (isHeld(session)) return refuse('SESSION_ALREADY_HELD', 'Attendance is recorded for this session, so it cannot be moved.');
  if (!isInstant(command.startsAt)) return refuse('INVALID_TIME', 'The new start is not a valid date and time with offset.');
  if (toMillis(command.startsAt) <= toMillis(command.now)) return refuse('SESSION_IN_PAST', 'A session cannot be moved into the past.');
  if (!command.reason?.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for moving the session.');
  const room = command.room ? roomOf(command.room, state.room.maxPeople) : session.room;
  if (isDomainError(room)) return room;
  if (room.seats < state.seats.length) {
    return refuse('ROOM_TOO_SMALL', `The room has ${room.seats} seats, but ${state.seats.length} patients have a seat on the team.`);
  }
  const startsAt = formatInZone(toMillis(command.startsAt), state.rules.timeZone);
  return [
    {
      type: 'SessionMoved',
      data: {
        teamId: state.teamId,
        sessionKey: command.sessionKey,
        from: { startsAt: session.startsAt, roomId: session.room.roomId },
        startsAt,
        endsAt: addMinutes(startsAt, session.durationMinutes, state.rules.timeZone),
        room,
        reason: command.reason,
        movedAt: command.now,
      },
    },
  ];
}

function recordAttendance(command: C.RecordAttendance, state: PlannedTeam): Result {
  const refusal = sessionRefusal(state, command.sessionKey);
  if (refusal) return refusal;
  const session = findSession(state, command.sessionKey)!;
  if (toMillis(command.now) < toMillis(session.startsAt)) return refuse('SESSION_NOT_STARTED', 'Attendance can be recorded once the session has started.');
  if (command.entries.length === 0) return refuse('ATTENDANCE_EMPTY', 'The attendance list is empty.');
  const ids = command.entries.map((e) => e.courseId);
  if (new Set(ids).size !== ids.length) return refuse('ATTENDANCE_DUPLICATE', 'A course appears twice on the attendance list.');
  const strangers = ids.filter((id) => !isOnTeam(state, id));
  if (strangers.length > 0) {
    return refuse(
      'COURSE_NOT_ON_TEAM',
      'Attendance can only be recorded for courses with a seat on the team.',
      strangers.map((id) => ({ code: 'COURSE_NOT_ON_TEAM', reason: `Course ${id} has no seat on the team.` })),
    );
  }
  const policy = state.programme.relatives;
  const relativeProblems: FailedCriterion[] = [];
  for (const e of command.entries) {
    const n = e.relativesPresent ?? 0;
    if (!Number.isInteger(n) || n < 0) relativeProblems.push({ code: 'RELATIVES_INVALID', reason: `Course ${e.courseId}: the number of relatives is not valid.` });
    else if (n > 0 && e.status !== 'attended') relativeProblems.push({ code: 'RELATIVE_WITHOUT_PATIENT', reason: `Course ${e.courseId}: relatives are only counted with the patient present.` });
    else if (n > (policy?.perPatient ?? 0)) {
      relativeProblems.push({
        code: policy ? 'TOO_MANY_RELATIVES' : 'RELATIVES_NOT_ALLOWED',
        reason: policy ? `Course ${e.courseId}: each patient may bring ${policy.perPatient} relative(s).` : `Relatives do not take part in ${state.programme.name.en}.`,
      });
    }
  }
  if (relativeProblems.length > 0) return refuse('RELATIVE_NOT_ALLOWED', 'The relatives on the list do not fit the programme.', relativeProblems);
  const staffing = staffRuleFailures(state, session.startsAt);
  if (staffing.length > 0) {
    return refuse('STAFF_RULE_NOT_MET', `Session ${session.key} cannot be held: the staff rule for ${state.programme.name.en} is not met.`, staffing);
  }
  return [
    {
      type: 'AttendanceRecorded',
      data: {
        teamId: state.teamId,
        sessionKey: session.key,
        entries: command.entries.map((e) => ({ courseId: e.courseId, status: e.status, relativesPresent: e.relativesPresent ?? 0 })),
        recordedAt: command.now,
      },
    },
  ];
}

export const teamDecider: Decider<C.TeamCommand, TeamEvent, TeamState> = {
  initialState: () => initialTeamState,
  evolve: evolveTeam,
  decide: decideTeam,
};
