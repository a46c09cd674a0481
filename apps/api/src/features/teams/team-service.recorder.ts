import { Inject, Injectable, Logger } from '@nestjs/common';
import { clinicianStreamId } from '#app/domain';
import type { PlannedTeam, SessionState } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { ClinicianStreams } from '../clinicians/index.js';
import { ApiError } from '../../platform/http/api-error.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import type { TeamServiceOutcomeResponse } from './team.response.js';

/**
 * Process manager: once attendance is recorded for a session, every therapist assigned to the team at
 * that moment (apprentices included) gets `RecordTeamService` on stream `clinician-<id>`, served at the
 * session's start. Idempotent per team (TEAM_SERVICE_ALREADY_RECORDED = done), so it runs at every
 * attendance record and also covers therapists assigned after the first session, or a run that failed.
 * Derived competences (e.g. 4 earlier Forstå smerte teams) are then counted from this history.
 */
@Injectable()
export class TeamServiceRecorder {
  private readonly logger = new Logger(TeamServiceRecorder.name);

  constructor(@Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams) {}

  async record(
    actor: Actor,
    team: PlannedTeam,
    session: SessionState,
    metadata: EventMetadata,
    now: string,
  ): Promise<TeamServiceOutcomeResponse[]> {
    const { decider } = await this.clinicians.decider(actor.clinicId);
    // no idempotency key: a retry is recognised by the decider itself (one record per team)
    const { idempotencyKey: _ignored, ...rest } = metadata;
    const meta = { ...rest, causationId: `team-${team.teamId}/${session.key}` } as EventMetadata;
    return Promise.all(
      team.therapists.map(async ({ clinicianId, role }): Promise<TeamServiceOutcomeResponse> => {
        try {
          const result = await this.clinicians.store.execute(
            decider,
            clinicianStreamId(clinicianId),
            {
              type: 'RecordTeamService',
              clinicianId,
              teamId: team.teamId,
              programme: team.programme.code,
              role,
              servedAt: session.startsAt,
              now,
            },
            { metadata: meta },
          );
          return { clinicianId, role, outcome: result.newEvents.length > 0 ? 'recorded' : 'alreadyRecorded' };
        } catch (error) {
          if (error instanceof ApiError && error.code === 'TEAM_SERVICE_ALREADY_RECORDED')
            return { clinicianId, role, outcome: 'alreadyRecorded' };
          this.logger.warn(
            `team service for clinician ${clinicianId} on team ${team.teamId} not recorded: ${error instanceof Error ? error.message : String(error)}`,
          );
          return { clinicianId, role, outcome: 'failed' };
        }
      }),
    );
  }
}
