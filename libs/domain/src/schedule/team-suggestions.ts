import { addDaysToLocalDate, toMillis } from '../catalogue/calendar.js';
import type { ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import { evaluateCompetence, type ClinicianProfile } from '../competence/competence.evaluator.js';
import { sessionsOf } from '../team/team.decide-planning.js';
import type { PlannedSession } from '../team/team.events.js';

export interface Interval {
  readonly start: string;
  readonly end: string;
}

export interface SuggestionInput {
  readonly programme: ProgrammeDefinition;
  readonly timeZone: string;
  readonly validityMonths: Readonly<Record<string, number>>;
  /** first local date to try */
  readonly from: string;
  readonly count: number;
  /** local start times to try each day, in order */
  readonly startTimes: readonly string[];
  /** how many days after `from` to look */
  readonly horizonDays: number;
  /** no suggestion starts at or before this instant */
  readonly now: string;
  readonly rooms: readonly { readonly roomId: string; readonly seats: number }[];
  readonly clinicians: readonly (ClinicianProfile & { readonly clinicianId: string })[];
  /** busy times per resource, key `room:<id>` / `clinician:<id>` */
  readonly busy: ReadonlyMap<string, readonly Interval[]>;
}

export interface TeamSuggestion {
  readonly startsOn: string;
  readonly startTime: string;
  readonly roomId: string;
  readonly seats: number;
  readonly staff: readonly { readonly role: string; readonly clinicianIds: readonly string[] }[];
  readonly sessions: readonly PlannedSession[];
}

const overlaps = (a: Interval, b: Interval): boolean => toMillis(a.start) < toMillis(b.end) && toMillis(b.start) < toMillis(a.end);

/**
 * The next start dates at which a team of the programme could be planned: a room with at least the
 * programme's seats and, for every staff role, enough clinicians who meet the role's competence rule at each
 * session (the same evaluator AssignTherapist uses) are free for every session of the plan, the retreat day
 * included. Day by day from `from`, each start time in order; the smallest fitting room and the staff in id
 * order are proposed. Advisory: planning and assigning decide again from the schedule streams.
 */
export function suggestTeamStarts(input: SuggestionInput): TeamSuggestion[] {
  const suggestions: TeamSuggestion[] = [];
  const rooms = [...input.rooms]
    .filter((r) => r.seats >= input.programme.seats)
    .sort((a, b) => a.seats - b.seats || (a.roomId < b.roomId ? -1 : 1));
  const clinicians = [...input.clinicians].sort((a, b) => (a.clinicianId < b.clinicianId ? -1 : a.clinicianId > b.clinicianId ? 1 : 0));
  const free = (key: string, sessions: readonly PlannedSession[]) => {
    const taken = input.busy.get(key) ?? [];
    return sessions.every((s) => !taken.some((t) => overlaps(t, { start: s.startsAt, end: s.endsAt })));
  };
  for (let day = 0; day <= input.horizonDays && suggestions.length < input.count; day++) {
    const startsOn = addDaysToLocalDate(input.from, day);
    for (const startTime of input.startTimes) {
      if (suggestions.length >= input.count) break;
      const probe = sessionsOf(input.programme, startsOn, startTime, { roomId: '', seats: 1, maxPeople: null }, input.timeZone);
      if (toMillis(probe[0].startsAt) <= toMillis(input.now)) continue;
      const room = rooms.find((r) => free(`room:${r.roomId}`, probe));
      if (!room) continue;
      const chosen = new Set<string>();
      const staff: { role: string; clinicianIds: string[] }[] = [];
      for (const rule of input.programme.staff.roles) {
        const ids: string[] = [];
        for (const c of clinicians) {
          if (ids.length >= rule.count) break;
          if (chosen.has(c.clinicianId) || !free(`clinician:${c.clinicianId}`, probe)) continue;
          const competent = probe.every(
            (s) => evaluateCompetence(rule.competence, c, s.startsAt, { validityMonths: input.validityMonths }).length === 0,
          );
          if (!competent) continue;
          ids.push(c.clinicianId);
          chosen.add(c.clinicianId);
        }
        staff.push({ role: rule.role, clinicianIds: ids });
      }
      if (staff.some((s, i) => s.clinicianIds.length < input.programme.staff.roles[i].count)) continue;
      const sessions = probe.map((s) => ({ ...s, room: { roomId: room.roomId, seats: room.seats, maxPeople: null } }));
      suggestions.push({ startsOn, startTime, roomId: room.roomId, seats: room.seats, staff, sessions });
    }
  }
  return suggestions;
}
