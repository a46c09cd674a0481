import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDaysToLocalDate, formatInZone, isLocalDate, localToInstant, toMillis } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../platform/clock/clock.js';
import { ApiError } from '../../platform/http/api-error.js';
import type { TeamSummaryResponse } from './team.response.js';
import type { ListTeamsQuery } from './teams.request.js';

interface SummaryRow {
  team_id: string;
  programme_code: string;
  catalogue_version: number;
  room_id: string;
  first_session_at: Date | string;
  last_session_at: Date | string;
  late_join_cutoff: Date | string;
  capacity: number;
  seats_taken: number;
  waitlist_count: number;
  offers_outstanding: number;
  status: string;
  stream_revision: string | number;
  time_zone: string;
}

/** The clinic's teams, filtered, from the `team_summaries` read model ("has seats" judged now, by the Clock). */
@Injectable()
export class TeamsQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: ListTeamsQuery): Promise<TeamSummaryResponse[]> {
    const where = ['clinic_id = $1'];
    const params: unknown[] = [actor.clinicId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.programme) where.push(`programme_code = ${param(query.programme)}`);
    if (query.from !== undefined || query.to !== undefined) {
      // a clinic without a catalogue yet has no teams either; the contract's zone then reads the dates
      const timeZone = await this.catalogues.current(actor.clinicId).then(
        (c) => c.settings.timeZone,
        () => 'Europe/Copenhagen',
      );
      const from = query.from === undefined ? undefined : boundary(query.from, timeZone, 'start');
      const to = query.to === undefined ? undefined : boundary(query.to, timeZone, 'end');
      if (from !== undefined && to !== undefined && from > to) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or wrong: to.', {
          fields: [{ field: 'to', problems: ['to must not be before from'] }],
        });
      }
      if (from !== undefined) where.push(`first_session_at >= ${param(new Date(from).toISOString())}`);
      if (to !== undefined) where.push(`first_session_at <= ${param(new Date(to).toISOString())}`);
    }
    if (query.hasSeats !== undefined) {
      const bookable = `(status = 'planned' AND late_join_cutoff > ${param(this.clock.now().toISOString())} AND capacity - seats_taken > waitlist_count - offers_outstanding)`;
      where.push(query.hasSeats ? bookable : `NOT ${bookable}`);
    }
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT team_id, programme_code, catalogue_version, room_id, first_session_at, last_session_at, late_join_cutoff, capacity, seats_taken,
              waitlist_count, offers_outstanding, status, stream_revision, time_zone
         FROM team_summaries WHERE ${where.join(' AND ')} ORDER BY first_session_at, team_id LIMIT ${param(query.limit ?? 100)}`,
      params,
    );
    return rows.map((r) => {
      const at = (value: Date | string) => formatInZone(new Date(value).getTime(), r.time_zone);
      return {
        teamId: r.team_id,
        programmeCode: r.programme_code,
        catalogueVersion: r.catalogue_version,
        roomId: r.room_id,
        firstSessionAt: at(r.first_session_at),
        lastSessionAt: at(r.last_session_at),
        lateJoinCutoff: at(r.late_join_cutoff),
        capacity: r.capacity,
        seatsTaken: r.seats_taken,
        freeSeats: Math.max(0, r.capacity - r.seats_taken),
        waitlistCount: r.waitlist_count,
        offersOutstanding: r.offers_outstanding,
        status: r.status,
        revision: Number(r.stream_revision),
      };
    });
  }
}

/** a date filter's instant: a local date is the start (or the end) of that day in the clinic's zone */
function boundary(value: string, timeZone: string, edge: 'start' | 'end'): number {
  if (!isLocalDate(value)) return toMillis(value);
  if (edge === 'start') return toMillis(localToInstant(value, '00:00', timeZone));
  return toMillis(localToInstant(addDaysToLocalDate(value, 1), '00:00', timeZone)) - 1;
}
