import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock/clock.js';
import {
  addDaysToLocalDate,
  formatInZone,
  localToInstant,
  suggestTeamStarts,
  toMillis,
  type ClinicianState,
  type Interval,
} from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import { BusyTimesService } from './busy-times.service.js';
import type { TeamSuggestionsQuery } from './suggestions.request.js';
import type { TeamSuggestionsResponse } from './suggestions.response.js';

const HORIZON_DAYS = 180;

/**
 * GET /teams/suggestions: the clinic's rooms (`rooms`), clinicians with their competences
 * (`clinician_directory`) and busy times (`busy_times`) — three read-model queries — handed to the pure
 * suggestTeamStarts. Advisory: POST /teams and the assignments decide again from the schedule streams.
 */
@Injectable()
export class TeamSuggestionsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(BusyTimesService) private readonly busy: BusyTimesService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async suggest(actor: Actor, query: TeamSuggestionsQuery): Promise<TeamSuggestionsResponse> {
    const catalogue = await this.catalogues.current(actor.clinicId);
    const programme = catalogue.programmes.find((p) => p.code === query.programme);
    if (!programme) {
      throw new ApiError(422, 'PROGRAMME_NOT_FOUND', `The catalogue offers no programme ${query.programme}.`, {
        allowed: catalogue.programmes.map((p) => p.code),
      });
    }
    const timeZone = catalogue.settings.timeZone;
    const now = this.clock.now().toISOString();
    const from = query.from ?? formatInZone(Date.parse(now), timeZone).slice(0, 10);
    const lastOffset = Math.max(...programme.sessionPlan.sessions.map((s) => s.dayOffset));
    const windowStart = toMillis(localToInstant(from, '00:00', timeZone));
    const windowEnd = toMillis(localToInstant(addDaysToLocalDate(from, HORIZON_DAYS + lastOffset + 2), '00:00', timeZone));

    const rooms: Array<{ room_id: string; seats: number }> = await this.dataSource.query(
      `SELECT room_id, seats FROM rooms WHERE clinic_id = $1`,
      [actor.clinicId],
    );
    const staff: Array<{ clinician_id: string; state: ClinicianState | string }> = await this.dataSource.query(
      `SELECT clinician_id, state FROM clinician_directory WHERE clinic_id = $1`,
      [actor.clinicId],
    );
    const clinicians = staff.map((r) => ({
      ...(typeof r.state === 'string' ? (JSON.parse(r.state) as ClinicianState) : r.state),
      clinicianId: r.clinician_id,
    }));
    const rows = await this.busy.rows(
      [
        ...rooms.map((r) => ({ kind: 'room' as const, id: r.room_id })),
        ...clinicians.map((c) => ({ kind: 'clinician' as const, id: c.clinicianId })),
      ],
      windowStart,
      windowEnd,
    );
    const busy = new Map<string, Interval[]>();
    for (const r of rows) {
      const key = `${r.resource_kind}:${r.resource_id}`;
      let intervals = busy.get(key);
      if (!intervals) {
        intervals = [];
        busy.set(key, intervals);
      }
      intervals.push({ start: new Date(r.starts_at).toISOString(), end: new Date(r.ends_at).toISOString() });
    }
    const suggestions = suggestTeamStarts({
      programme,
      timeZone,
      validityMonths: catalogue.settings.competenceValidityMonths,
      from,
      count: query.count ?? 5,
      startTimes: query.startTime ? [query.startTime] : ['09:00', '13:00'],
      horizonDays: HORIZON_DAYS,
      now,
      rooms: rooms.map((r) => ({ roomId: r.room_id, seats: r.seats })),
      clinicians,
      busy,
    });
    return {
      programme: programme.code,
      suggestions: suggestions.map((s) => ({
        startsOn: s.startsOn,
        startTime: s.startTime,
        roomId: s.roomId,
        seats: s.seats,
        staff: s.staff.map((x) => ({ role: x.role, clinicianIds: [...x.clinicianIds] })),
        sessions: s.sessions.map((x) => ({ key: x.key, kind: x.kind, startsAt: x.startsAt, endsAt: x.endsAt })),
      })),
    };
  }
}
