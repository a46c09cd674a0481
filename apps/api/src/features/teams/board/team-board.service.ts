import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../platform/clock/clock.js';
import {
  APPRENTICE_ROLE,
  formatInZone,
  freeSeats,
  isClosedForLateJoiners,
  isHeld,
  lateJoinCutoff,
  seatsTaken,
  staffRuleFailures,
  toMillis,
  type PlannedTeam,
} from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { TEAM_STATE_SQL } from '../stored-team-state.js';
import { fromJson } from '../../../platform/projections/course-stream.js';
import { CourseReadPolicy } from '../../../platform/privacy/course-read-policy.js';
import type { BoardFailureResponse, TeamBoardResponse } from './team-board.response.js';

const DAY_MS = 86_400_000;

/** GET /teams/{id}/board from the team-board.v1 read model; the clock-dependent parts are judged now. */
@Injectable()
export class TeamBoardService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CourseReadPolicy) private readonly policy: CourseReadPolicy,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async board(actor: Actor, teamId: string): Promise<TeamBoardResponse> {
    const rows = await this.dataSource.query<Array<{ state: unknown; status: string; revision: number }>>(
      `SELECT ${TEAM_STATE_SQL} AS state, status, stream_revision::int AS revision FROM team_boards WHERE team_id = $1 AND clinic_id = $2`,
      [teamId, actor.clinicId],
    );
    if (!rows[0]) throw ApiError.notFound('team', teamId);
    const state = fromJson<PlannedTeam>(rows[0].state);
    const nowMs = this.clock.now().getTime();
    const zone = state.rules.timeZone;
    const now = formatInZone(nowMs, zone);
    const local = (iso: string) => formatInZone(toMillis(iso), zone);
    const visible = await this.policy.participantFilter(
      actor,
      state.therapists.map((t) => t.clinicianId),
    );
    const shown = (courseId: string) => (visible(courseId) ? courseId : null);
    const offerOf = new Map(state.offers.map((o) => [o.courseId, o]));
    const numbered = state.sessions.map((s, i) => ({ session: s, number: i + 1 }));

    const open = numbered.filter(({ session }) => session.cancelled === null);
    const upcoming = open.filter(({ session }) => !isHeld(session) && toMillis(session.startsAt) > nowMs);
    const judged = upcoming.length > 0 ? upcoming : open;
    const failures = new Map<string, BoardFailureResponse>();
    for (const { session, number } of judged) {
      for (const f of staffRuleFailures(state, session.startsAt)) {
        const entry = failures.get(f.code) ?? { code: f.code, reason: f.reason, sessions: [] };
        entry.sessions.push(number);
        failures.set(f.code, entry);
      }
    }
    const lastJudged = judged.length > 0 ? toMillis(judged[judged.length - 1].session.startsAt) : nowMs;

    const attendanceOf = (courseId: string) => {
      let attended = 0;
      let noShows = 0;
      for (const s of state.sessions) {
        const entry = s.attendance[courseId] as (typeof s.attendance)[string] | undefined;
        if (entry?.status === 'attended') attended++;
        else if (entry?.status === 'noShow') noShows++;
      }
      return { attended, noShows };
    };

    return {
      teamId: state.teamId,
      programme: state.programme.code,
      programmeName: state.programme.name.en,
      status: rows[0].status,
      seats: {
        capacity: state.capacity,
        taken: seatsTaken(state),
        free: freeSeats(state),
        reserved: state.seats.map((s) => ({
          courseId: shown(s.courseId),
          relatives: s.relatives,
          reservedAt: local(s.reservedAt),
          ...attendanceOf(s.courseId),
        })),
      },
      waitlist: state.waitlist.map((w, i) => {
        const offer = offerOf.get(w.courseId);
        return {
          position: i + 1,
          courseId: shown(w.courseId),
          referralDate: w.referralDate,
          joinedAt: local(w.joinedAt),
          waitingDays: Math.round(((nowMs - toMillis(w.joinedAt)) / DAY_MS) * 10) / 10,
          offer: offer
            ? { offeredAt: local(offer.offeredAt), expiresAt: local(offer.expiresAt), lapsed: toMillis(offer.expiresAt) <= nowMs }
            : null,
        };
      }),
      offersOutstanding: state.offers.length,
      staff: state.therapists.map((t) => ({
        clinicianId: t.clinicianId,
        role: t.role,
        countsAsStaff: t.role !== APPRENTICE_ROLE,
        competentUntil: t.competentUntil,
        competentThroughLastSession: t.competentUntil === null || toMillis(t.competentUntil) > lastJudged,
      })),
      staffRule: {
        holds: failures.size === 0,
        judgedAtSessions: judged.map(({ number }) => number),
        roles: state.programme.staff.roles.map((r) => ({
          role: r.role,
          required: r.count,
          assigned: state.therapists.filter((t) => t.role === r.role).length,
        })),
        failures: [...failures.values()],
      },
      sessions: numbered.map(({ session, number }) => {
        const entries = Object.values(session.attendance);
        return {
          number,
          key: session.key,
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          roomId: session.room.roomId,
          status: session.cancelled ? 'cancelled' : isHeld(session) ? 'held' : 'planned',
          staffRuleHolds: staffRuleFailures(state, session.startsAt).length === 0,
          attended: entries.filter((e) => e.status === 'attended').length,
          noShows: entries.filter((e) => e.status === 'noShow').length,
        };
      }),
      lateJoin: { cutoff: lateJoinCutoff(state), closed: isClosedForLateJoiners(state, now) },
      revision: rows[0].revision,
      evaluatedAt: now,
    };
  }
}
