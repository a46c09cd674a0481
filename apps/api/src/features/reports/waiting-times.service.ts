import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatInZone, localToInstant } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';
import { PathwayLookup } from '../roster/index.js';
import { monthsBetween, nextMonth, stats } from './report-math.js';
import type { WaitingTimesQuery } from './reports.request.js';
import type { WaitingTimesMonthResponse, WaitingTimesResponse } from './reports.response.js';
import { Clock } from '../../platform/clock/clock.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_MONTHS = 36;
/** the region's 48-hour rule; the stored decision carries withinDeadline, this only judges the undecided */
const VISITATION_DEADLINE_MS = 48 * HOUR_MS;

interface CourseRow {
  course_id: string;
  received_at: Date;
  visitation_decided_at: Date | null;
  visitation_decision: string | null;
  visitation_within_deadline: boolean | null;
  ended_at: Date | null;
}

interface StepRow {
  course_id: string;
  step_code: string;
  at: Date | null;
  completed_at: Date | null;
}

/**
 * Waiting times per referral month (cohorts by the local month the referral was received) from the
 * waiting-times.v1 read model: referral → visitation, → first consultation (the first step booked or held,
 * as the domain's waitingTimes measures it), → each step; and who is still waiting now.
 */
@Injectable()
export class WaitingTimesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PathwayLookup) private readonly pathways: PathwayLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async report(actor: Actor, query: WaitingTimesQuery): Promise<WaitingTimesResponse> {
    const zone = await this.pathways.timeZone(actor.clinicId);
    const nowMs = this.clock.now().getTime();
    const to = query.to ?? formatInZone(nowMs, zone).slice(0, 7);
    let from = query.from;
    if (!from) {
      from = to;
      for (let i = 0; i < 11; i++) from = previousMonth(from);
    }
    const months = monthsBetween(from, to);
    if (from > to || months.length > MAX_MONTHS) {
      throw new ApiError(400, 'VALIDATION_FAILED', `The report runs from "from" to a later "to", at most ${MAX_MONTHS} months.`, {
        fields: [{ field: 'to', problems: [`to must be on or after from and at most ${MAX_MONTHS} months later`] }],
      });
    }
    const start = localToInstant(`${from}-01`, '00:00', zone);
    const end = localToInstant(`${nextMonth(to)}-01`, '00:00', zone);
    const courses = await this.dataSource.query<CourseRow[]>(
      `SELECT course_id, received_at, visitation_decided_at, visitation_decision, visitation_within_deadline, ended_at
       FROM waiting_time_courses WHERE clinic_id = $1 AND received_at >= $2 AND received_at < $3`,
      [actor.clinicId, start, end],
    );
    const steps = await this.dataSource.query<StepRow[]>(
      `SELECT s.course_id, s.step_code, s.at, s.completed_at FROM waiting_time_steps s JOIN waiting_time_courses c ON c.course_id = s.course_id
       WHERE c.clinic_id = $1 AND c.received_at >= $2 AND c.received_at < $3`,
      [actor.clinicId, start, end],
    );
    const stepsOf = new Map<string, StepRow[]>();
    for (const s of steps) stepsOf.set(s.course_id, [...(stepsOf.get(s.course_id) ?? []), s]);

    const byMonth = new Map<string, CourseRow[]>(months.map((m) => [m, []]));
    for (const c of courses) byMonth.get(formatInZone(c.received_at.getTime(), zone).slice(0, 7))?.push(c);
    return {
      from,
      to,
      timeZone: zone,
      evaluatedAt: formatInZone(nowMs, zone),
      months: months.map((month) => monthReport(month, byMonth.get(month) ?? [], stepsOf, nowMs)),
    };
  }
}

function monthReport(
  month: string,
  courses: readonly CourseRow[],
  stepsOf: ReadonlyMap<string, StepRow[]>,
  nowMs: number,
): WaitingTimesMonthResponse {
  const visitationHours: number[] = [];
  const firstDays: number[] = [];
  const waiting: number[] = [];
  const perStep = new Map<string, number[]>();
  let withinDeadline = 0;
  let overdueNow = 0;
  for (const c of courses) {
    const received = c.received_at.getTime();
    if (c.visitation_decided_at) {
      visitationHours.push((c.visitation_decided_at.getTime() - received) / HOUR_MS);
      if (c.visitation_within_deadline) withinDeadline++;
    } else if (!c.ended_at && nowMs > received + VISITATION_DEADLINE_MS) {
      overdueNow++;
    }
    const dated = (stepsOf.get(c.course_id) ?? [])
      .map((s) => ({ code: s.step_code, ms: (s.at ?? s.completed_at)?.getTime() }))
      .filter((s): s is { code: string; ms: number } => s.ms !== undefined);
    for (const s of dated) perStep.set(s.code, [...(perStep.get(s.code) ?? []), (s.ms - received) / DAY_MS]);
    if (dated.length > 0) firstDays.push((Math.min(...dated.map((s) => s.ms)) - received) / DAY_MS);
    else if (!c.ended_at && c.visitation_decision !== 'rejected') waiting.push((nowMs - received) / DAY_MS);
  }
  const longest = stats(waiting).max;
  return {
    month,
    referrals: courses.length,
    visitation: { decided: visitationHours.length, withinDeadline, overdueNow, hours: stats(visitationHours) },
    firstConsultation: stats(firstDays),
    stillWaiting: { patients: waiting.length, longestDays: longest },
    steps: [...perStep.entries()]
      .map(([stepCode, days]) => ({ stepCode, days: stats(days) }))
      .sort((a, b) => (a.days.median ?? 0) - (b.days.median ?? 0) || a.stepCode.localeCompare(b.stepCode)),
  };
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
