import type { PlannedTeam, TeamCommand, TeamEvent, TeamState } from '#app/domain';
import type { ExecuteResult } from '../../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { TeamScheduler } from '../../schedule/index.js';

/** What a team command answers: the write, the team as it left it, and the instant it was decided at. */
export interface TeamWritten {
  readonly result: ExecuteResult<TeamState, TeamEvent>;
  readonly state: PlannedTeam;
  readonly now: string;
}

/** A team write: the team's room and staff are reserved on their schedule streams as part of it (TeamScheduler). */
export async function writeTeam(
  scheduler: TeamScheduler,
  ctx: WriteContext,
  teamId: string,
  command: (now: string) => TeamCommand,
  reason?: string,
): Promise<TeamWritten> {
  const { now, ...result } = await scheduler.execute(ctx, teamId, (at) => command(at), reason);
  if (result.state.status !== 'planned') throw new Error('a team write left the team unplanned');
  return { result, state: result.state, now };
}
