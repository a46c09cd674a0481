import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatInZone, programmesOf } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import { addDays, isoWeek, mondayOf } from './report-math.js';
import type { CapacityOutlookQuery } from './reports.request.js';
import type { CapacityOutlookResponse, OutlookProgrammeResponse, OutlookWeekResponse } from './reports.response.js';
import { Clock } from '../../platform/clock/clock.js';

const DEFAULT_WEEKS = 12;
const MAX_DAYS = 53 * 7;

/** one programme's week as it is summed up (a plain object, spread into the answer) */
type WeekCell = Pick<OutlookWeekResponse, keyof OutlookWeekResponse>;

interface SupplyRow {
  programme_code: string;
  first_session_at: Date;
  capacity: number;
  seats_taken: number;
  seats_free: number;
}

interface DemandRow {
  programme_code: string;
  need_from: string;
  undecided: boolean;
  waitlisted: boolean;
  n: number;
}

/**
 * Seats planned (team-board.v1: teams by the ISO week of their first session) against the courses that will
 * need each programme (capacity-outlook.v1: dated from where each pathway stands). A need dated in the past
 * and still open counts from the current week, so the outlook shows the backlog where it has to be met.
 */
@Injectable()
export class CapacityOutlookService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async outlook(actor: Actor, query: CapacityOutlookQuery): Promise<CapacityOutlookResponse> {
    const catalogue = await this.catalogues.current(actor.clinicId);
    const zone = catalogue.settings.timeZone;
    const nowMs = this.clock.now().getTime();
    const today = formatInZone(nowMs, zone).slice(0, 10);
    const from = query.from ?? today;
    const to = query.to ?? addDays(from, DEFAULT_WEEKS * 7 - 1);
    if (to < from || Date.parse(to) - Date.parse(from) > MAX_DAYS * 86_400_000) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'The outlook runs from "from" to a later "to", at most 53 weeks.', {
        fields: [{ field: 'to', problems: ['to must be on or after from and at most 53 weeks later'] }],
      });
    }
    const known = new Set(catalogue.pathway.steps.flatMap((s) => programmesOf(s)).concat(catalogue.programmes.map((p) => p.code)));
    if (query.programme && !known.has(query.programme)) {
      throw new ApiError(422, 'UNKNOWN_PROGRAMME', `The clinic's catalogue has no programme "${query.programme}".`, {
        allowed: [...known],
      });
    }
    const programmes = catalogue.programmes.filter((p) => !query.programme || p.code === query.programme);
    const weeks: Array<{ week: string; weekStart: string }> = [];
    for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) weeks.push({ week: isoWeek(monday), weekStart: monday });
    const firstWeek = weeks[0].week;
    const lastWeek = weeks[weeks.length - 1].week;

    const supply = await this.dataSource.query<SupplyRow[]>(
      `SELECT programme_code, first_session_at, capacity, seats_taken, seats_free FROM team_boards
       WHERE clinic_id = $1 AND status <> 'cancelled' AND first_session_at >= $2 AND first_session_at < $3 AND ($4::text IS NULL OR programme_code = $4)`,
      [
        actor.clinicId,
        new Date(Date.parse(weeks[0].weekStart) - 2 * 86_400_000),
        new Date(Date.parse(addDays(to, 9))),
        query.programme ?? null,
      ],
    );
    const demand = await this.dataSource.query<DemandRow[]>(
      `SELECT programme_code, need_from::text AS need_from, undecided, waitlisted, count(*)::int AS n FROM capacity_demand
       WHERE clinic_id = $1 AND ($2::text IS NULL OR programme_code = $2) GROUP BY 1, 2, 3, 4`,
      [actor.clinicId, query.programme ?? null],
    );

    const cells = new Map<string, WeekCell>();
    const cellOf = (programme: string, slot: (typeof weeks)[number]): WeekCell => {
      const key = `${programme}|${slot.week}`;
      let c = cells.get(key);
      if (!c) {
        c = {
          ...slot,
          teams: 0,
          seatsPlanned: 0,
          seatsTaken: 0,
          seatsFree: 0,
          patientsNeeding: 0,
          patientsChoosing: 0,
          waitlisted: 0,
          balance: 0,
        };
        cells.set(key, c);
      }
      return c;
    };
    const cell = (programme: string, week: string): WeekCell | undefined => {
      const slot = weeks.find((w) => w.week === week);
      return slot ? cellOf(programme, slot) : undefined;
    };
    for (const row of supply) {
      const c = cell(row.programme_code, isoWeek(formatInZone(row.first_session_at.getTime(), zone).slice(0, 10)));
      if (!c) continue;
      c.teams++;
      c.seatsPlanned += row.capacity;
      c.seatsTaken += row.seats_taken;
      c.seatsFree += row.seats_free;
    }
    const before = new Map<string, { patientsNeeding: number; patientsChoosing: number }>();
    for (const row of demand) {
      const week = isoWeek(row.need_from < today ? today : row.need_from);
      if (week > lastWeek) continue;
      if (week < firstWeek) {
        const b = before.get(row.programme_code) ?? { patientsNeeding: 0, patientsChoosing: 0 };
        if (row.undecided) b.patientsChoosing += row.n;
        else b.patientsNeeding += row.n;
        before.set(row.programme_code, b);
        continue;
      }
      const c = cell(row.programme_code, week);
      if (!c) continue;
      if (row.undecided) c.patientsChoosing += row.n;
      else {
        c.patientsNeeding += row.n;
        if (row.waitlisted) c.waitlisted += row.n;
      }
    }
    const result: OutlookProgrammeResponse[] = programmes.map((p) => ({
      programme: p.code,
      name: p.name.en,
      before: before.get(p.code) ?? { patientsNeeding: 0, patientsChoosing: 0 },
      weeks: weeks.map((w) => {
        const c = cellOf(p.code, w);
        return { ...c, balance: c.seatsFree - c.patientsNeeding };
      }),
    }));
    return { from, to, timeZone: zone, evaluatedAt: formatInZone(nowMs, zone), programmes: result };
  }
}
