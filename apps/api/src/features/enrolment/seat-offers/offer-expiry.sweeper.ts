import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Leadership } from '#app/event-store';
import { Clock } from '../../../platform/clock/clock.js';
import { AppConfig } from '../../../platform/config/app-config.js';
import { EnrolmentStreams } from '../streams.js';
import { TeamWriter } from '../team-writer.js';
import type { PassedOver } from '../waitlist-review.policy.js';
import { CourseSeatSync } from '../process-managers/course-seat-sync.js';
import { EnrolmentProcessManager } from '../process-managers/enrolment.process-manager.js';
import { LEADERSHIP } from '../../../platform/persistence/tokens.js';
import type { EventMetadata } from '../../../platform/write-path/event-metadata.js';

export interface SweptTeam {
  readonly teamId: string;
  readonly expired: readonly string[];
  readonly offeredTo: readonly string[];
  readonly passedOver: readonly PassedOver[];
}

/**
 * Expires seat offers whose hold (catalogue settings.offerHoldHours, copied to the team at planning) has
 * run out, so the seat goes to the next course in line: a background loop, plus `sweep(now)` for tests
 * and operators. Finds the teams in `enrolment_open_offers` (kept by the process manager) and sends
 * each ExpireSeatOffers; the team decides what is due, so a second sweeper (another instance) or a
 * repeat finds nothing to do. With several API processes the loop sweeps only in the elected one
 * (Persistence: advisory-lock election); the others' timers skip.
 */
@Injectable()
export class OfferExpirySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OfferExpirySweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  readonly intervalMs: number;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EnrolmentStreams) private readonly streams: EnrolmentStreams,
    @Inject(TeamWriter) private readonly teams: TeamWriter,
    @Inject(CourseSeatSync) private readonly sync: CourseSeatSync,
    @Inject(EnrolmentProcessManager) private readonly processManager: EnrolmentProcessManager,
    @Inject(AppConfig) config: AppConfig,
    @Inject(LEADERSHIP) private readonly leadership: Leadership,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.intervalMs = config.OFFER_SWEEP_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    if (this.intervalMs > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      if (!this.leadership.isLeader) {
        if (!this.stopped) this.schedule();
        return;
      }
      this.running = this.sweep()
        .catch((error: unknown) =>
          this.logger.error(`Sweeping expired seat offers failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Expires every offer held past `now` (ISO instant; default the clock) and offers the seats on. */
  async sweep(now: string = this.clock.now().toISOString()): Promise<SweptTeam[]> {
    // the offer table is kept by the process manager: let it catch up with what was written so far
    await this.processManager.caughtUp(undefined, 10_000).catch(() => undefined);
    const rows = await this.dataSource.query<
      Array<{
        team_id: string;
      }>
    >(`SELECT DISTINCT team_id FROM enrolment_open_offers WHERE expires_at <= $1 ORDER BY team_id`, [now]);
    const swept: SweptTeam[] = [];
    for (const { team_id: teamId } of rows) {
      const team = await this.streams.team(teamId);
      if (!team) continue;
      const metadata: EventMetadata = {
        schemaVersion: 1,
        actor: { staffId: 'system:offer-expiry', roles: [] },
        clinicId: team.clinicId,
        correlationId: `offer-expiry:${teamId}:${now}`,
        occurredAt: this.clock.now().toISOString(),
        reason: 'The seat offer was not confirmed within its hold.',
      };
      const write = await this.teams.execute(teamId, [{ type: 'ExpireSeatOffers', teamId, now }], { metadata, now });
      await this.sync
        .afterTeamEvents(write.recorded, 'inline')
        .catch((error: unknown) =>
          this.logger.warn(`Follow-ups after expiry on ${teamId} are left to the process manager: ${String(error)}`),
        );
      const events = write.result.newEvents;
      // nothing was due after all: the offer table still listed an offer this or another sweeper has already
      // expired (the process manager had not seen that write yet: on PostgreSQL it sees committed events only
      // once every older transaction on the server has ended). A team where nothing happened is not reported.
      if (events.length === 0) continue;
      swept.push({
        teamId,
        expired: events.flatMap((e) => (e.type === 'SeatOfferExpired' ? [e.data.courseId] : [])),
        offeredTo: events.flatMap((e) => (e.type === 'SeatOffered' ? [e.data.courseId] : [])),
        passedOver: write.passedOver,
      });
    }
    return swept;
  }
}
