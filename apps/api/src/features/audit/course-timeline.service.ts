import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  courseStreamId,
  scheduleStreamId,
  type PathwayDefinition,
  type ReferralReceived,
  type SlotReserved,
  type TeamPlanned,
  teamStreamId,
} from '#app/domain';
import { comparePositions, formatPosition, type EventStore, type RecordedEvent } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import type { Actor } from '../../platform/auth/actor.js';
import { CourseAsOf, CourseReader, parseTime, type CourseAsOfView } from '../courses/index.js';
import { ApiError } from '../../platform/http/api-error.js';
import { EVENT_STORE } from '../../platform/persistence/tokens.js';
import type { EventMetadata } from '../../platform/write-path/event-metadata.js';
import { isUuid } from '../../platform/write-path/new-stream-id.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { AUDIT_INDEX_PROJECTION } from './audit-index.projection.js';
import { actingRole, renderEvent, type SentenceContext } from './event-sentences.js';
import { diffJson, type Change } from './json-diff.js';

/** One event of a timeline, in words and with everything an auditor asks about it. */
export interface HistoryEntry {
  /** global position `<commit>-<prepare>`: the order of the whole log */
  readonly position: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly eventId: string;
  readonly eventType: string;
  /** when the event store recorded it (what "as of" counts by) */
  readonly recordedAt: string;
  /** when the application decided it (metadata) */
  readonly occurredAt?: string;
  readonly actor: { readonly staffId: string; readonly roles: readonly string[] } | null;
  /** the role the actor most likely acted in */
  readonly role?: string;
  readonly onBehalfOf?: string;
  readonly reason?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly sentence: string;
  readonly data: unknown;
}

export interface HistoryFilter {
  /** inclusive, epoch ms of recordedAt */
  readonly from?: number;
  /** inclusive */
  readonly to?: number;
  /** exclusive lower bound (the diff's events after `from`) */
  readonly after?: number;
  readonly types?: readonly string[];
}

const INDEX_WAIT_MS = 5_000;

/**
 * Audit replay over the event streams:
 * - history: every event of a course (its own stream, the team-stream events naming it — found through
 *   the audit index — and its appointments on the patient's schedule stream) in global order, in words;
 * - as of: the course (and the teams it was on) replayed from the events recorded up to a time, built
 *   by the same view builder GET /courses/{id} uses, judged at that time;
 * - diff: the as-of views at two times compared, with the events in between.
 * "Recorded up to a time" = the longest prefix of each stream whose events' `createdAt` ≤ that time:
 * what the system knew then. (`createdAt` is the appending transaction's start, a few milliseconds
 * before its commit; a read racing an append at that very moment may have missed what as-of shows.)
 */
@Injectable()
export class CourseTimeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CourseReader) private readonly courses: CourseReader,
    @Inject(CourseAsOf) private readonly asOf: CourseAsOf,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
  ) {}

  // ---------------------------------------------------------------------------------------- history

  async courseHistory(actor: Actor, courseId: string, filter: HistoryFilter = {}): Promise<{ patientId: string; entries: HistoryEntry[] }> {
    const courseEvents = await this.ownCourse(actor, courseId);
    const referral = courseEvents[0].data as ReferralReceived['data'];
    const [teamStreams, schedule, pathway] = await Promise.all([
      this.teamEventsOf(actor, courseId),
      this.appointmentEventsOf(referral.patientId, courseId),
      this.pathwayOf(actor, referral),
    ]);
    const teams = new Map(teamStreams.map((t) => [t.teamId, t.planned]));
    await this.addMissingTeamLabels(teams, courseEvents);
    const all = [...courseEvents, ...teamStreams.flatMap((t) => t.events), ...schedule].sort((a, b) =>
      comparePositions(a.position, b.position),
    );
    const context = sentenceContext(courseId, teams, pathway);
    return { patientId: referral.patientId, entries: all.filter(matches(filter)).map((e) => toEntry(e, context)) };
  }

  async teamHistory(actor: Actor, teamId: string, filter: HistoryFilter = {}): Promise<HistoryEntry[]> {
    if (!isUuid(teamId)) throw ApiError.notFound('team', teamId);
    const events = await this.store.readStream(teamStreamId(teamId));
    requireOwnStream(events, actor, 'team', teamId);
    const planned = events[0]?.type === 'TeamPlanned' ? (events[0].data as TeamPlanned['data']) : undefined;
    const context = sentenceContext(undefined, new Map(planned ? [[teamId, planned]] : []), undefined);
    return events.filter(matches(filter)).map((e) => toEntry(e, context));
  }

  // ------------------------------------------------------------------------------------------- diff

  /** What changed between two times: the as-of views compared leaf by leaf, and the events recorded in between. */
  async courseDiff(actor: Actor, courseId: string, from: string, to: string) {
    const fromMs = parseTime(from, 'from');
    const toMs = parseTime(to, 'to');
    if (fromMs > toMs) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or wrong: to.', {
        fields: [{ field: 'to', problems: ['to must not be before from'] }],
      });
    }
    const before = await this.asOf.courseAsOf(actor, courseId, from, 'from').catch((error: unknown) => {
      if (error instanceof ApiError && error.statusCode === 404 && error.details.from !== undefined) return null;
      throw error;
    });
    const after = await this.asOf.courseAsOf(actor, courseId, to, 'to');
    const strip = (v: CourseAsOfView | null) => {
      if (!v) return undefined;
      const { asOf: _asOf, ...view } = v;
      return view;
    };
    const changes: Change[] = diffJson(strip(before), strip(after));
    const { entries } = await this.courseHistory(actor, courseId, { after: fromMs, to: toMs });
    return {
      courseId,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      fromRevision: before ? before.asOf.revision : null,
      toRevision: after.asOf.revision,
      changes,
      events: entries,
    };
  }

  // ---------------------------------------------------------------------------------------- streams

  private async ownCourse(actor: Actor, courseId: string): Promise<RecordedEvent[]> {
    if (!isUuid(courseId)) throw ApiError.notFound('course', courseId);
    const events = await this.store.readStream(courseStreamId(courseId));
    requireOwnStream(events, actor, 'course', courseId);
    return events;
  }

  /**
   * The team-stream events naming the course, from the audit index (after it has caught up with the log
   * as it stands now, so the history is complete up to this request), and each team's TeamPlanned.
   */
  private async teamEventsOf(
    actor: Actor,
    courseId: string,
  ): Promise<Array<{ teamId: string; planned?: TeamPlanned['data']; events: RecordedEvent[] }>> {
    const head = await this.store.headPosition();
    await this.projections.waitFor(head, INDEX_WAIT_MS, [AUDIT_INDEX_PROJECTION]).catch(() => {
      throw new ApiError(
        503,
        'READ_MODEL_BEHIND',
        'The audit index is still catching up with the latest changes; please try again in a moment.',
        {},
      );
    });
    const rows = await this.dataSource.query<Array<{ stream_id: string; revision: string }>>(
      `SELECT stream_id, revision::text AS revision FROM audit_course_team_events WHERE course_id = $1 ORDER BY stream_id, revision`,
      [courseId],
    );
    const byStream = new Map<string, Set<number>>();
    for (const r of rows) {
      const set = byStream.get(r.stream_id) ?? new Set<number>();
      set.add(Number(r.revision));
      byStream.set(r.stream_id, set);
    }
    const out: Array<{ teamId: string; planned?: TeamPlanned['data']; events: RecordedEvent[] }> = [];
    for (const [streamId, revisions] of byStream) {
      const last = Math.max(...revisions);
      const events = await this.store.readStream(streamId, { maxCount: last + 1 });
      if ((events[0]?.metadata as { clinicId?: string } | undefined)?.clinicId !== actor.clinicId) continue;
      const planned = events[0]?.type === 'TeamPlanned' ? (events[0].data as TeamPlanned['data']) : undefined;
      out.push({ teamId: streamId.slice('team-'.length), planned, events: events.filter((e) => revisions.has(e.revision)) });
    }
    return out;
  }

  /** The course's appointments on the patient's schedule stream: their reservations and what became of them. */
  private async appointmentEventsOf(patientId: string, courseId: string): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(scheduleStreamId({ kind: 'patient', id: patientId }));
    const ours = new Set(
      events
        .filter((e) => e.type === 'SlotReserved' && (e.data as SlotReserved['data']).courseId === courseId)
        .map((e) => (e.data as SlotReserved['data']).appointmentId),
    );
    return events.filter((e) => ours.has((e.data as { appointmentId?: string }).appointmentId ?? ''));
  }

  private async pathwayOf(actor: Actor, referral: ReferralReceived['data']): Promise<PathwayDefinition | undefined> {
    return this.courses.pathwayOf(actor.clinicId, referral.pathway).then(
      (p) => p.pathway,
      () => undefined,
    );
  }

  /** teams a course event names that the index did not bring (a team planned in another way): their name */
  private async addMissingTeamLabels(
    teams: Map<string, TeamPlanned['data'] | undefined>,
    courseEvents: readonly RecordedEvent[],
  ): Promise<void> {
    const named = new Set(
      courseEvents.map((e) => (e.data as { teamId?: unknown }).teamId).filter((t): t is string => typeof t === 'string' && isUuid(t)),
    );
    for (const teamId of named) {
      if (teams.has(teamId)) continue;
      const first = (await this.store.readStream(teamStreamId(teamId), { maxCount: 1 })).at(0);
      teams.set(teamId, first?.type === 'TeamPlanned' ? (first.data as TeamPlanned['data']) : undefined);
    }
  }
}

function matches(filter: HistoryFilter): (e: RecordedEvent) => boolean {
  const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : undefined;
  return (e) => {
    const t = e.createdAt.getTime();
    if (filter.from !== undefined && t < filter.from) return false;
    if (filter.after !== undefined && t <= filter.after) return false;
    if (filter.to !== undefined && t > filter.to) return false;
    return !types || types.has(e.type);
  };
}

function sentenceContext(
  courseId: string | undefined,
  teams: ReadonlyMap<string, TeamPlanned['data'] | undefined>,
  pathway: PathwayDefinition | undefined,
): SentenceContext {
  return {
    ...(courseId ? { courseId } : {}),
    timeZone: pathway?.timeZone ?? 'Europe/Copenhagen',
    teamLabel: (teamId) => {
      const planned = teams.get(teamId);
      if (!planned) return undefined;
      const first = planned.sessions[0]?.startsAt;
      return `the ${planned.programme.name.da} team${first ? ` starting ${first.slice(0, 10)}` : ''}`;
    },
    stepLabel: (code) => {
      const step = pathway?.steps.find((s) => s.code === code);
      return step ? `${step.name.en} (${code})` : undefined;
    },
  };
}

function toEntry(e: RecordedEvent, context: SentenceContext): HistoryEntry {
  const m = e.metadata as Partial<EventMetadata>;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const role = actingRole(m);
  const entry = {
    position: formatPosition(e.position),
    streamId: e.streamId,
    streamRevision: e.revision,
    eventId: e.id,
    eventType: e.type,
    recordedAt: e.createdAt.toISOString(),
    occurredAt: str(m.occurredAt),
    actor:
      m.actor && typeof m.actor.staffId === 'string'
        ? { staffId: m.actor.staffId, roles: [...((m.actor.roles as readonly string[] | undefined) ?? [])] }
        : null,
    role,
    onBehalfOf: str(m.onBehalfOf),
    reason: str(m.reason),
    correlationId: str(m.correlationId),
    causationId: str(m.causationId),
    sentence: renderEvent(e, context),
    data: e.data,
  };
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as HistoryEntry;
}
