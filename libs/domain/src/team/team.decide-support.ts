import { refuse, type DomainError, type FailedCriterion } from '../shared/index.js';
import { isInstant, isLocalDate } from '../catalogue/calendar.js';
import { evaluateEligibility } from '../eligibility/eligibility.evaluator.js';
import type { PatientFacts } from '../eligibility/patient-facts.js';
import type { RelativeInput } from './team.commands.js';
import type { TeamEvent } from './team.events.js';
import { isClosedForLateJoiners, isOnTeam, isWaitlisted, lateJoinCutoff } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';

/** Helpers shared by the team command handlers: the checks a course passes to take, wait for or accept a seat. */

export type Result = TeamEvent[] | DomainError;

export function notEligible(state: PlannedTeam, facts: PatientFacts): DomainError | null {
  const failures = evaluateEligibility(state.programme, facts, {
    factDefinitions: state.rules.factDefinitions,
    unknownFact: state.rules.unknownFact,
  });
  if (failures.length === 0) return null;
  return refuse('NOT_ELIGIBLE', `The patient does not meet the criteria for ${state.programme.name.en}.`, failures);
}

export function relativesRefusal(state: PlannedTeam, relatives: readonly RelativeInput[]): DomainError | null {
  if (relatives.length === 0) return null;
  const policy = state.programme.relatives;
  const failures: FailedCriterion[] = [];
  if (policy === null) {
    failures.push({ code: 'RELATIVES_NOT_ALLOWED', reason: `Relatives do not take part in ${state.programme.name.en}.` });
  } else {
    if (relatives.length > policy.perPatient) {
      failures.push({
        code: 'TOO_MANY_RELATIVES',
        reason: `Each patient may bring ${policy.perPatient} relative${policy.perPatient > 1 ? 's' : ''}.`,
      });
    }
    if (relatives.some((r) => !(r.age >= policy.minAge))) {
      failures.push({ code: 'RELATIVE_UNDER_AGE', reason: `A relative must be at least ${policy.minAge} years old.` });
    }
  }
  return failures.length > 0 ? refuse('RELATIVE_NOT_ALLOWED', 'The relatives cannot come along as asked.', failures) : null;
}

export function roomFull(state: PlannedTeam, extraPeople: number): DomainError | null {
  const cap = state.room.maxPeople;
  if (cap === null) return null;
  const people = state.seats.reduce((n, s) => n + 1 + s.relatives, 0) + state.offers.length;
  return people + extraPeople > cap ? refuse('ROOM_FULL', `The room holds ${cap} people including relatives, and that is reached.`) : null;
}

export function closedRefusal(state: PlannedTeam, now: string): DomainError | null {
  if (!isClosedForLateJoiners(state, now)) return null;
  const why = state.closedForLateJoiners
    ? `It was closed by hand ("${state.closedForLateJoiners.reason}").`
    : `No new patients are taken from ${lateJoinCutoff(state)}.`;
  return refuse('TEAM_CLOSED_FOR_LATE_JOINERS', `This team takes no new patients. ${why}`);
}

export function alreadyThere(state: PlannedTeam, courseId: string): DomainError | null {
  if (isOnTeam(state, courseId)) return refuse('ALREADY_ON_TEAM', 'This course already has a seat on the team.');
  if (isWaitlisted(state, courseId)) return refuse('ALREADY_WAITLISTED', 'This course is already on the waitlist for the team.');
  return null;
}

export function invalidReferralDate(date: string): DomainError | null {
  return isLocalDate(date) || isInstant(date) ? null : refuse('INVALID_DATE', 'The referral date is not a valid date.');
}
