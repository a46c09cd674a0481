import { isDomainError, refuse, type DomainError, type FailedCriterion } from '../shared/index.js';
import { addMinutes, formatInZone, isInstant, toMillis } from '../catalogue/calendar.js';
import type { CancelSession, MoveSession, RecordAttendance } from './team.commands.js';
import { roomOf } from './team.decide-planning.js';
import type { Result } from './team.decide-support.js';
import { findSession, isHeld, isOnTeam, staffRuleFailures } from './team.queries.js';
import type { PlannedTeam, SessionState } from './team.state.js';

/** Cancelling and moving a session, and recording who attended it. */

/** the session, when the team has it and it is not cancelled */
function openSession(state: PlannedTeam, key: string): SessionState | DomainError {
  const session = findSession(state, key);
  if (!session) return refuse('SESSION_NOT_FOUND', `The team has no session ${key}.`);
  if (session.cancelled) return refuse('SESSION_CANCELLED', `Session ${key} is cancelled.`);
  return session;
}

export function cancelSession(command: CancelSession, state: PlannedTeam): Result {
  const session = openSession(state, command.sessionKey);
  if (isDomainError(session)) return session;
  if (isHeld(session)) return refuse('SESSION_ALREADY_HELD', 'Attendance is recorded for this session, so it was held.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for cancelling the session.');
  return [
    {
      type: 'SessionCancelled',
      data: { teamId: state.teamId, sessionKey: command.sessionKey, reason: command.reason, cancelledAt: command.now },
    },
  ];
}

export function moveSession(command: MoveSession, state: PlannedTeam): Result {
  const session = openSession(state, command.sessionKey);
  if (isDomainError(session)) return session;
  if (isHeld(session)) return refuse('SESSION_ALREADY_HELD', 'Attendance is recorded for this session, so it cannot be moved.');
  if (!isInstant(command.startsAt)) return refuse('INVALID_TIME', 'The new start is not a valid date and time with offset.');
  if (toMillis(command.startsAt) <= toMillis(command.now)) return refuse('SESSION_IN_PAST', 'A session cannot be moved into the past.');
  if (!command.reason.trim()) return refuse('REASON_REQUIRED', 'Please give a reason for moving the session.');
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

export function recordAttendance(command: RecordAttendance, state: PlannedTeam): Result {
  const session = openSession(state, command.sessionKey);
  if (isDomainError(session)) return session;
  if (toMillis(command.now) < toMillis(session.startsAt))
    return refuse('SESSION_NOT_STARTED', 'Attendance can be recorded once the session has started.');
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
  const relativeProblems = attendanceRelativeProblems(command, state);
  if (relativeProblems.length > 0)
    return refuse('RELATIVE_NOT_ALLOWED', 'The relatives on the list do not fit the programme.', relativeProblems);
  const staffing = staffRuleFailures(state, session.startsAt);
  if (staffing.length > 0) {
    return refuse(
      'STAFF_RULE_NOT_MET',
      `Session ${session.key} cannot be held: the staff rule for ${state.programme.name.en} is not met.`,
      staffing,
    );
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

function attendanceRelativeProblems(command: RecordAttendance, state: PlannedTeam): FailedCriterion[] {
  const policy = state.programme.relatives;
  const problems: FailedCriterion[] = [];
  for (const e of command.entries) {
    const n = e.relativesPresent ?? 0;
    if (!Number.isInteger(n) || n < 0)
      problems.push({ code: 'RELATIVES_INVALID', reason: `Course ${e.courseId}: the number of relatives is not valid.` });
    else if (n > 0 && e.status !== 'attended')
      problems.push({
        code: 'RELATIVE_WITHOUT_PATIENT',
        reason: `Course ${e.courseId}: relatives are only counted with the patient present.`,
      });
    else if (n > (policy?.perPatient ?? 0)) {
      problems.push({
        code: policy ? 'TOO_MANY_RELATIVES' : 'RELATIVES_NOT_ALLOWED',
        reason: policy
          ? `Course ${e.courseId}: each patient may bring ${policy.perPatient} relative(s).`
          : `Relatives do not take part in ${state.programme.name.en}.`,
      });
    }
  }
  return problems;
}
