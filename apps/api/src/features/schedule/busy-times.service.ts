import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock/clock.js';
import { addDaysToLocalDate, formatInZone, isLocalDate, localToInstant, toMillis } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import type { BusyQuery } from './busy.request.js';
import type { BusyInterval, BusyResponse } from './busy.response.js';

const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 400;

export interface BusyRow {
  resource_kind: 'room' | 'clinician';
  resource_id: string;
  clinic_id: string | null;
  kind: string;
  starts_at: Date | string;
  ends_at: Date | string;
  team_id: string | null;
  session_key: string | null;
}

/** Busy times of rooms and clinicians from the `busy_times` read model (busy-times.projection.ts). */
@Injectable()
export class BusyTimesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async timeZone(clinicId: string): Promise<string> {
    return this.catalogues.current(clinicId).then(
      (c) => c.settings.timeZone,
      () => 'Europe/Copenhagen',
    );
  }

  async busy(actor: Actor, kind: 'room' | 'clinician', id: string, query: BusyQuery): Promise<BusyResponse> {
    const timeZone = await this.timeZone(actor.clinicId);
    const from = query.from === undefined ? this.clock.now().getTime() : boundary(query.from, timeZone, 'start');
    const to = query.to === undefined ? from + 28 * DAY_MS : boundary(query.to, timeZone, 'end');
    if (to <= from || to - from > MAX_WINDOW_DAYS * DAY_MS) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or wrong: to.', {
        fields: [{ field: 'to', problems: [`to must be after from, and at most ${MAX_WINDOW_DAYS} days after it`] }],
      });
    }
    const rows = await this.rows([{ kind, id }], from, to);
    return {
      resource: kind,
      resourceId: id,
      from: formatInZone(from, timeZone),
      to: formatInZone(to, timeZone),
      busy: rows.map((r) => interval(r, actor.clinicId, timeZone)),
    };
  }

  /** every active hold of these resources overlapping [from, to), in one query */
  async rows(resources: readonly { kind: 'room' | 'clinician'; id: string }[], from: number, to: number): Promise<BusyRow[]> {
    if (resources.length === 0) return [];
    return this.dataSource.query(
      `SELECT b.resource_kind, b.resource_id, b.clinic_id, b.kind, b.starts_at, b.ends_at, b.team_id, b.session_key
         FROM busy_times b JOIN unnest($1::text[], $2::text[]) AS r(kind, id) ON b.resource_kind = r.kind AND b.resource_id = r.id
        WHERE b.starts_at < $4 AND b.ends_at > $3
        ORDER BY b.starts_at, b.ends_at, b.hold_id`,
      [resources.map((r) => r.kind), resources.map((r) => r.id), new Date(from).toISOString(), new Date(to).toISOString()],
    );
  }
}

function interval(r: BusyRow, clinicId: string, timeZone: string): BusyInterval {
  return {
    start: formatInZone(new Date(r.starts_at).getTime(), timeZone),
    end: formatInZone(new Date(r.ends_at).getTime(), timeZone),
    busyWith: r.kind,
    ...(r.kind === 'team-session' && r.team_id && r.clinic_id === clinicId
      ? { teamId: r.team_id, ...(r.session_key ? { sessionKey: r.session_key } : {}) }
      : {}),
  };
}

/** a window's edge: a local date is the start (or the end) of that day in the clinic's zone */
export function boundary(value: string, timeZone: string, edge: 'start' | 'end'): number {
  if (!isLocalDate(value)) return toMillis(value);
  if (edge === 'start') return toMillis(localToInstant(value, '00:00', timeZone));
  return toMillis(localToInstant(addDaysToLocalDate(value, 1), '00:00', timeZone));
}
