import { isDomainError, refuse, type DomainError } from '../shared/index.js';
import type { Catalogue, ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import { addDaysToLocalDate, addMinutes, isLocalDate, isLocalTime, localToInstant, toMillis } from '../catalogue/calendar.js';
import { validateCatalogue } from '../catalogue/catalogue.validation.js';
import type { PlanTeam, RoomInput } from './team.commands.js';
import type { Result } from './team.decide-support.js';
import type { PlannedSession, Room, TeamRules } from './team.events.js';
import type { TeamState } from './team.state.js';

/** Planning a team from a programme of the catalogue: its room, rules and session dates. */

export function plan(command: PlanTeam, state: TeamState): Result {
  if (state.status === 'planned') return refuse('TEAM_ALREADY_PLANNED', 'This team is already planned.');
  const catalogueProblems = validateCatalogue(command.catalogue);
  if (catalogueProblems.length > 0) {
    return refuse('INVALID_CATALOGUE', 'The catalogue has problems, so no team can be planned from it.', catalogueProblems);
  }
  const programme = command.catalogue.programmes.find((p) => p.code === command.programmeCode);
  if (!programme) return refuse('PROGRAMME_NOT_FOUND', `The catalogue offers no programme ${command.programmeCode}.`);
  const room = roomOf(command.room, command.catalogue.settings.roomPeopleCap);
  if (isDomainError(room)) return room;
  if (!isLocalDate(command.startsOn) || !isLocalTime(command.startTime)) {
    return refuse('INVALID_TIME', 'The first session needs a valid date (YYYY-MM-DD) and time (HH:mm).');
  }
  const sessions = sessionsOf(programme, command.startsOn, command.startTime, room, command.catalogue.settings.timeZone);
  if (toMillis(sessions[0].startsAt) <= toMillis(command.now))
    return refuse('TEAM_START_IN_PAST', 'A team cannot be planned to start in the past.');
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

export function roomOf(input: RoomInput, defaultCap: number | null): Room | DomainError {
  const maxPeople = input.maxPeople === undefined ? defaultCap : input.maxPeople;
  if (
    !input.roomId ||
    !Number.isInteger(input.seats) ||
    input.seats < 1 ||
    (maxPeople !== null && !(Number.isInteger(maxPeople) && maxPeople >= input.seats))
  ) {
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
export function sessionsOf(
  programme: ProgrammeDefinition,
  startsOn: string,
  startTime: string,
  room: Room,
  timeZone: string,
): PlannedSession[] {
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
