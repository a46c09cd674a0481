import { Inject, Injectable } from '@nestjs/common';
import {
  courseDecider,
  courseStreamId,
  teamDecider,
  type Catalogue,
  type EndedCourse,
  type OpenCourse,
  type PathwayDefinition,
  type PlannedTeam,
  type TeamState,
  teamStreamId,
} from '#app/domain';
import type { RecordedEvent } from '#app/event-store';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import { DeciderStore, type LoadedStream } from '../../platform/write-path/decider-store.js';
import { StreamCopies } from '../../platform/write-path/stream-copies.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';

/** Ids in paths become stream names: letters, digits and dashes only (anything else is simply not found). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;

export function checkId(what: string, id: string): void {
  if (!ID_PATTERN.test(id)) throw ApiError.notFound(what, id);
}

export interface LoadedCourse {
  readonly courseId: string;
  readonly streamId: string;
  /** a course with its referral (a stream without one is no course) */
  readonly state: OpenCourse | EndedCourse;
  readonly revision: number;
  readonly events: RecordedEvent[];
  /** the pathway version the course is pinned to */
  readonly pathway: PathwayDefinition;
  readonly clinicId: string;
}

export interface LoadedTeam {
  readonly teamId: string;
  readonly streamId: string;
  readonly state: PlannedTeam;
  readonly revision: number;
  readonly events: RecordedEvent[];
  readonly clinicId: string;
}

/** Reads course and team streams (the sources of truth) for the enrolment slice. */
@Injectable()
export class EnrolmentStreams {
  private readonly teamCopies = new StreamCopies(teamDecider, (state) => state.status === 'planned');

  constructor(
    @Inject(DeciderStore) readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
  ) {}

  /** The course, or undefined when no referral was received for it. */
  async course(courseId: string, read?: RecordedEvent[]): Promise<LoadedCourse | undefined> {
    const loaded = read ? this.store.fold(courseDecider, read) : await this.store.load(courseDecider, courseStreamId(courseId));
    if (loaded.events.length === 0 || loaded.state.status === 'none') return undefined;
    const clinicId = (loaded.events[0].metadata as { clinicId?: string }).clinicId ?? '';
    const pinned = loaded.state.pathway;
    // a published version never changes: one already known needs no read of the catalogue stream
    const find = (versions: readonly Catalogue[]) =>
      versions.map((c) => c.pathway).find((p) => p.code === pinned.code && p.version === pinned.version);
    const pathway = find(this.catalogues.knownVersions(clinicId)) ?? find(await this.catalogues.versions(clinicId));
    // a configuration problem, not a missing course: never a reason to hand a seat back
    if (!pathway) {
      throw new ApiError(
        422,
        'PATHWAY_UNKNOWN',
        `The course follows version ${pinned.version} of pathway ${pinned.code}, which the clinic's catalogue no longer has.`,
        { pathway: pinned },
      );
    }
    return {
      courseId,
      streamId: courseStreamId(courseId),
      state: loaded.state,
      revision: loaded.revision,
      events: loaded.events,
      pathway,
      clinicId,
    };
  }

  /** The caller's course: 404 for a missing course or one of another clinic. */
  async ownCourse(actor: Actor, courseId: string, read?: RecordedEvent[]): Promise<LoadedCourse> {
    checkId('course', courseId);
    const course = await this.course(courseId, read);
    if (!course) throw ApiError.notFound('course', courseId);
    requireOwnStream(course.events, actor, 'course', courseId);
    return course;
  }

  /**
   * The caller's course and team, both streams in one read (one round trip); the course is answered for
   * first (a missing course is a 404 about the course even when the team is missing too).
   */
  async ownCourseAndTeam(actor: Actor, courseId: string, teamId: string): Promise<{ course: LoadedCourse; team: LoadedTeam }> {
    checkId('course', courseId);
    // a team id that is no stream name is not read (ownTeam answers it with a 404 once the course is found)
    const team = teamStreamId(teamId);
    const ids = ID_PATTERN.test(teamId) ? [courseStreamId(courseId), team] : [courseStreamId(courseId)];
    // the team past this process's copy of it (a team stream grows with every seat, offer and attendance)
    const from = this.teamCopies.fromRevision(team);
    const read = await this.store.readStreams(ids, { fromRevisions: new Map([[team, from]]) });
    const course = await this.ownCourse(actor, courseId, read.get(courseStreamId(courseId)) ?? []);
    const loaded =
      this.teamCopies.extend(team, from, read.get(team) ?? []) ??
      this.teamCopies.whole(team, (await this.store.readStreams([team])).get(team) ?? []);
    return { course, team: await this.ownTeam(actor, teamId, loaded) };
  }

  async team(teamId: string, read?: RecordedEvent[] | LoadedStream<TeamState>): Promise<LoadedTeam | undefined> {
    const loaded = !read
      ? await this.store.load(teamDecider, teamStreamId(teamId))
      : Array.isArray(read)
        ? this.store.fold(teamDecider, read)
        : read;
    if (loaded.state.status !== 'planned') return undefined;
    const clinicId = (loaded.events[0].metadata as { clinicId?: string }).clinicId ?? loaded.state.clinicId;
    return { teamId, streamId: teamStreamId(teamId), state: loaded.state, revision: loaded.revision, events: loaded.events, clinicId };
  }

  async ownTeam(actor: Actor, teamId: string, read?: RecordedEvent[] | LoadedStream<TeamState>): Promise<LoadedTeam> {
    checkId('team', teamId);
    const team = await this.team(teamId, read);
    if (!team) throw ApiError.notFound('team', teamId);
    requireOwnStream(team.events, actor, 'team', teamId);
    return team;
  }
}
