import { refuse, type FailedCriterion } from '../shared/index.js';
import { APPRENTICE_ROLE } from '../catalogue/catalogue.types.js';
import { formatInZone, toMillis } from '../catalogue/calendar.js';
import { competentUntil, evaluateCompetence } from '../competence/competence.evaluator.js';
import type { AssignTherapist, RemoveTherapist } from './team.commands.js';
import type { Result } from './team.decide-support.js';
import type { TeamEvent } from './team.events.js';
import { isHeld } from './team.queries.js';
import type { PlannedTeam } from './team.state.js';

/** Therapists and apprentices on the team, against the programme's staff rule. */

export function assign(command: AssignTherapist, state: PlannedTeam): Result {
  const { clinician, clinicianId, role } = command;
  if (!clinician.registered || clinician.clinicianId !== clinicianId) {
    return refuse('CLINICIAN_NOT_REGISTERED', 'This clinician is not registered, so they cannot be assigned.');
  }
  if (state.therapists.some((t) => t.clinicianId === clinicianId))
    return refuse('ALREADY_ASSIGNED', 'This clinician is already on the team.');
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
    return refuse(
      'UNKNOWN_ROLE',
      `${state.programme.name.en} has no role "${role}"; its roles are ${[...staff.roles.map((r) => r.role), APPRENTICE_ROLE].join(', ')}.`,
    );
  }
  if (state.therapists.filter((t) => t.role === role).length >= rule.count) {
    return refuse(
      'ROLE_FULL',
      `The team already has ${rule.count} ${rule.name.en.toLowerCase()}${rule.count > 1 ? 's' : ''}; add more as apprentices.`,
    );
  }
  // competent at every session still to come: employment and team history only grow, dated competences lapse
  const times = remainingSessionStarts(state, command.now);
  const options = { validityMonths: state.rules.competenceValidityMonths };
  const failures = dedupe(times.flatMap((t) => evaluateCompetence(rule.competence, clinician, t, options)));
  if (failures.length > 0) {
    return refuse(
      'COMPETENCE_MISSING',
      `This clinician does not meet the rule for ${rule.name.en.toLowerCase()} on ${state.programme.name.en}.`,
      failures,
      {
        role,
        checkedAt: times,
      },
    );
  }
  return [assigned(state, command, competentUntil(rule.competence, clinician, times[0], options))];
}

function assigned(state: PlannedTeam, command: AssignTherapist, until: string | null): TeamEvent {
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

/** the starts of the sessions still to be held, or now when none is left */
function remainingSessionStarts(state: PlannedTeam, now: string): [string, ...string[]] {
  const starts = state.sessions
    .filter((s) => s.cancelled === null && !isHeld(s) && toMillis(s.startsAt) >= toMillis(now))
    .map((s) => s.startsAt);
  const first = starts.at(0);
  return first === undefined ? [now] : [first, ...starts.slice(1)];
}

function dedupe(failures: readonly FailedCriterion[]): FailedCriterion[] {
  const seen = new Set<string>();
  return failures.filter((f) => !seen.has(f.code) && (seen.add(f.code), true));
}

export function removeTherapist(command: RemoveTherapist, state: PlannedTeam): Result {
  const assignment = state.therapists.find((t) => t.clinicianId === command.clinicianId);
  if (!assignment) return refuse('THERAPIST_NOT_ASSIGNED', 'This clinician is not on the team.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for removing the therapist.');
  return [
    {
      type: 'TherapistRemoved',
      data: {
        teamId: state.teamId,
        clinicianId: command.clinicianId,
        role: assignment.role,
        reason: command.reason,
        removedAt: command.now,
      },
    },
  ];
}
