import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnrolmentProcessManager } from '../process-managers/enrolment.process-manager.js';

export interface TeamCandidate {
  readonly teamId: string;
  readonly firstSessionAt: string;
}

/**
 * Teams of a programme that start after a time, earliest first: from `team_summaries` (the teams
 * slice's read model) when that table exists, together with the enrolment process manager's own small
 * index (so a team the summaries have not caught up with is not missed). Only a shortlist: seats,
 * cut-off and eligibility are then verified on each team's stream.
 */
type CandidateRow = { team_id: string; first_session_at: Date | string };

@Injectable()
export class TeamCandidates {
  private readonly logger = new Logger('TeamCandidates');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EnrolmentProcessManager) private readonly processManager: EnrolmentProcessManager,
  ) {}

  async find(clinicId: string, programme: string, after: string, limit = 50): Promise<TeamCandidate[]> {
    // read-your-writes for the index: a team planned just before is in it
    await this.processManager.caughtUp(undefined, 10_000).catch(() => undefined);
    const rows = await this.dataSource.query<CandidateRow[]>(
      `SELECT team_id, first_session_at FROM enrolment_team_index
       WHERE clinic_id = $1 AND programme_code = $2 AND first_session_at > $3 ORDER BY first_session_at LIMIT $4`,
      [clinicId, programme, after, limit],
    );
    if (await this.hasTeamSummaries()) {
      try {
        rows.push(
          ...(await this.dataSource.query<CandidateRow[]>(
            `SELECT team_id, first_session_at FROM team_summaries
             WHERE clinic_id = $1 AND programme_code = $2 AND first_session_at > $3 AND status = 'planned' ORDER BY first_session_at LIMIT $4`,
            [clinicId, programme, after, limit],
          )),
        );
      } catch (error) {
        this.logger.warn(
          `team_summaries could not be read; using the enrolment index only: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const byTeam = new Map<string, TeamCandidate>();
    for (const row of rows) {
      const at = new Date(row.first_session_at).toISOString();
      if (!byTeam.has(row.team_id)) byTeam.set(row.team_id, { teamId: row.team_id, firstSessionAt: at });
    }
    return [...byTeam.values()].sort(
      (a, b) => Date.parse(a.firstSessionAt) - Date.parse(b.firstSessionAt) || (a.teamId < b.teamId ? -1 : 1),
    );
  }

  private async hasTeamSummaries(): Promise<boolean> {
    const rows: Array<{ found: string | null }> = await this.dataSource.query(`SELECT to_regclass('team_summaries')::text AS found`);
    return rows[0]?.found != null;
  }
}
