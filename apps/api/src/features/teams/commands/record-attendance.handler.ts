import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TeamScheduler } from '../../schedule/index.js';
import { TeamServiceRecorder } from '../team-service.recorder.js';
import { resolveSession, TeamStreams } from '../team-streams.js';
import { RecordAttendance, type AttendanceRecorded } from './record-attendance.command.js';
import { writeTeam } from './team-written.js';

@CommandHandler(RecordAttendance)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendance> {
  constructor(
    @Inject(TeamStreams) private readonly teams: TeamStreams,
    @Inject(TeamScheduler) private readonly scheduler: TeamScheduler,
    @Inject(TeamServiceRecorder) private readonly teamService: TeamServiceRecorder,
  ) {}

  async execute({ teamId, n, input, ctx }: RecordAttendance): Promise<AttendanceRecorded> {
    const { state } = await this.teams.loadOwn(ctx.actor, teamId);
    const key = resolveSession(state, n).key;
    const written = await writeTeam(this.scheduler, ctx, teamId, (now) => ({
      type: 'RecordAttendance',
      teamId,
      sessionKey: key,
      entries: input.entries.map((e) => ({
        courseId: e.courseId,
        status: e.status === 'no_show' ? 'noShow' : 'attended',
        relativesPresent: e.relativesPresent ?? 0,
      })),
      now,
    }));
    const session = written.state.sessions.find((s) => s.key === key);
    if (!session) throw new Error(`session ${key} of team ${teamId} is gone after its attendance was recorded`);
    // team service on each assigned therapist's clinician stream (a process manager step: idempotent per team)
    const teamService = await this.teamService.record(ctx.actor, written.state, session, ctx.metadata(), written.now);
    return { ...written, session, teamService };
  }
}
