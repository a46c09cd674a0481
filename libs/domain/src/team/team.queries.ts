import type { FailedCriterion } from '../shared/index.js';
import { APPRENTICE_ROLE } from '../catalogue/catalogue.types.js';
import { formatInZone, toMillis } from '../catalogue/calendar.js';
import type { PlannedTeam, SessionState, TeamState, WaitlistEntry } from './team.state.js';

/** Patient seats held: reserved seats plus seats held by open offers and by holds ($hold) not yet lapsed or cleared. */
export function seatsTaken(state: PlannedTeam): number {
  return state.seats.length + state.offers.length + (state.holds?.length ?? 0);
}

export function freeSeats(state: PlannedTeam): number {
  return Math.max(0, state.capacity - seatsTaken(state));
}

/** Waiting courses that do not hold an offer, in fair order. */
export function waitingWithoutOffer(state: PlannedTeam): WaitlistEntry[] {
  return state.waitlist.filter((w) => !state.offers.some((o) => o.courseId === w.courseId));
}

export function isOnTeam(state: PlannedTeam, courseId: string): boolean {
  return state.seats.some((s) => s.courseId === courseId);
}

export function isWaitlisted(state: PlannedTeam, courseId: string): boolean {
  return state.waitlist.some((w) => w.courseId === courseId);
}

export function findSession(state: PlannedTeam, key: string): SessionState | undefined {
  return state.sessions.find((s) => s.key === key);
}

export function isHeld(session: SessionState): boolean {
  return Object.keys(session.attendance).length > 0;
}

/**
 * The moment the team stops taking new patients: the (current) start of session number
 * `programme.lateJoin.sessionNumber`, minus `hoursBefore`.
 */
export function lateJoinCutoff(state: PlannedTeam): string {
  const rule = state.programme.lateJoin;
  const session = state.sessions[rule.sessionNumber - 1] ?? state.sessions[0];
  return formatInZone(toMillis(session.startsAt) - rule.hoursBefore * 3_600_000, state.rules.timeZone);
}

export function isClosedForLateJoiners(state: PlannedTeam, now: string): boolean {
  return state.closedForLateJoiners !== null || toMillis(now) >= toMillis(lateJoinCutoff(state));
}

/**
 * Every staff role the team is short of at `atTime`: fewer non-apprentice therapists in the role
 * than the programme's staff rule asks, counting only those whose dated competences still hold then.
 */
export function staffRuleFailures(state: TeamState, atTime: string): FailedCriterion[] {
  if (state.status !== 'planned') return [{ code: 'TEAM_NOT_PLANNED', reason: 'The team is not planned.' }];
  const t = toMillis(atTime);
  const failures: FailedCriterion[] = [];
  for (const rule of state.programme.staff.roles) {
    const counted = state.therapists.filter(
      (a) => a.role === rule.role && a.role !== APPRENTICE_ROLE && (a.competentUntil === null || t < toMillis(a.competentUntil)),
    ).length;
    if (counted < rule.count) {
      failures.push({
        code: `STAFF_${rule.role.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_MISSING`,
        reason: `${state.programme.name.en} needs ${rule.count} ${rule.name.en.toLowerCase()}${rule.count > 1 ? 's' : ''}; ${counted} ${counted === 1 ? 'is' : 'are'} assigned and competent at that time.`,
      });
    }
  }
  return failures;
}

/** Whether the programme's staff rule is met at `atTime` (a session may only be held when it is). */
export function staffRuleHolds(state: TeamState, atTime: string): boolean {
  return staffRuleFailures(state, atTime).length === 0;
}

/** Patients and relatives present at a session (relatives take no seat but are on the list). */
export function attendanceCount(session: SessionState): { readonly patients: number; readonly relatives: number } {
  const entries = Object.values(session.attendance).filter((e) => e.status === 'attended');
  return { patients: entries.length, relatives: entries.reduce((n, e) => n + e.relativesPresent, 0) };
}
