import { Inject, Injectable, Logger } from '@nestjs/common';
import { CourseSeatSync, type SyncHints, type SyncReport } from './process-managers/course-seat-sync.js';
import { httpError } from './seat-writes.js';
import type { TeamWrite } from './team-writer.js';

/**
 * The course-side records of a team write, written inline by the request (the process manager repairs them
 * if this fails or the process dies here). When the course refused the seat for `courseId`, the team has
 * handed it back: the request fails with the course's refusal.
 */
@Injectable()
export class InlineFollowUps {
  private readonly logger = new Logger('Enrolment');

  constructor(@Inject(CourseSeatSync) private readonly sync: CourseSeatSync) {}

  async after(write: TeamWrite, courseId: string | undefined, loaded?: SyncHints): Promise<SyncReport> {
    const report = await this.sync.afterTeamEvents(write.recorded, 'inline', 0, loaded).catch((error: unknown) => {
      this.logger.warn(`Course follow-ups left to the process manager: ${error instanceof Error ? error.message : String(error)}`);
      return { positions: [], outcomes: [], compensated: [], sourceReleased: false } satisfies SyncReport;
    });
    const refused = courseId ? report.compensated.find((c) => c.courseId === courseId) : undefined;
    if (refused) throw httpError(refused.error);
    return report;
  }
}
