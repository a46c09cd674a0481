import {
  isDomainError,
  refuse,
  teamDecider,
  type Decider,
  type DomainError,
  type PlannedTeam,
  type TeamCommand,
  type TeamEvent,
  type TeamState,
  batchDecider,
} from '#app/domain';

export const teamBatch = batchDecider(teamDecider);

/** what an enrolment-side team write sends: commands, or commands built from the team it is decided on */
export type TeamCommands = readonly TeamCommand[] | ((state: PlannedTeam) => readonly TeamCommand[] | DomainError);

/**
 * The team decider over a batch of commands, or over commands built from the state they are decided on (a
 * cancellation is ReleaseSeat or LeaveWaitlist depending on the team). A team that was never planned is 404.
 */
export function teamWrites(teamId: string): Decider<TeamCommands, TeamEvent, TeamState> {
  return {
    initialState: () => teamBatch.initialState(),
    evolve: (state, event) => teamBatch.evolve(state, event),
    decide(commands, state) {
      if (state.status !== 'planned') return refuse('NOT_FOUND', `No team with id ${teamId} was found.`, [], { what: 'team', id: teamId });
      const built = typeof commands === 'function' ? commands(state) : commands;
      return isDomainError(built) ? built : teamBatch.decide(built, state);
    },
  };
}
