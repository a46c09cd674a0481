import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProjectionRunner } from '#app/projections';
import {
  clinicianDecider,
  courseDecider,
  courseStreamId,
  defaultCatalogue,
  localToInstant,
  teamDecider,
  type ClinicianState,
  type CourseCommand,
  type PlannedTeam,
  type TeamCommand,
  scheduleDecider,
  scheduleStreamId,
  type ScheduleCommand,
} from '#app/domain';
import { comparePositions, formatPosition, START, type Position } from '#app/event-store';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EnrolmentProcessManager } from '../../apps/api/src/features/enrolment/process-managers/enrolment.process-manager.js';
import { DeciderStore } from '../../apps/api/src/platform/write-path/decider-store.js';
import type { EventMetadata } from '../../apps/api/src/platform/write-path/event-metadata.js';
import { ALL_CRITERIA_MET, FULL_REFERRAL_CONTENT } from '../../libs/domain/src/course/testing/course.fixtures.js';
import { qualified } from '../../libs/domain/src/team/testing/team.fixtures.js';
import type { TestApp } from '../support/test-app.js';

/** how long the world waits for the process manager and the read models (a loaded 2-core machine) */
const WAIT_MS = 60_000;

/** the newest committed event's position, read from the events table without the store's visibility horizon */
async function committedHead(t: TestApp): Promise<Position> {
  const rows = await t.app
    .get(DataSource)
    .query<Array<{ commit_text: string; prepare_text: string }>>(
      `SELECT transaction_id::text AS commit_text, global_position::text AS prepare_text FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
  return rows.length === 0 ? START : { commit: BigInt(rows[0].commit_text), prepare: BigInt(rows[0].prepare_text) };
}

export const CLINIC = defaultCatalogue.clinicId;
export const TZ = defaultCatalogue.settings.timeZone;
const pathway = defaultCatalogue.pathway;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type CourseInput = DistributiveOmit<CourseCommand, 'pathway'>;
export type TeamInput = DistributiveOmit<TeamCommand, 'teamId'>;

/** a UUID the course decider's CPR guard cannot mistake for a number */
export function safeId(): string {
  for (;;) {
    const id = randomUUID();
    if (!/(^|\D)\d{6}-?\d{4}(?!\d)/.test(id)) return id;
  }
}

/** local wall-clock time `day` days after `base` (a local date), as an instant with the Copenhagen offset */
export const localTime = (base: string, day: number, time: string): string => {
  const [y, m, d] = base.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + day)).toISOString().slice(0, 10);
  return localToInstant(date, time, TZ);
};

/** a therapist who meets every default staff role before `since` (retreat taken `since` too) */
export const staff = (id: string, since = '2029-06-01'): ClinicianState => qualified(id, since);

/**
 * Writes domain commands straight through the app's DeciderStore (no HTTP routes of other slices), with
 * the metadata the API would add, and remembers the furthest position written so reads can send it as
 * X-Min-Position.
 */
export class World {
  readonly store: DeciderStore;
  position: Position = START;

  constructor(readonly t: TestApp) {
    this.store = t.app.get(DeciderStore);
  }
  close(): Promise<void> {
    return this.t.close();
  }

  metadata(staffId = 'S1', roles: Role[] = ['secretary'], clinicId = CLINIC): EventMetadata {
    return { schemaVersion: 1, actor: { staffId, roles }, correlationId: randomUUID(), occurredAt: new Date().toISOString(), clinicId };
  }

  private seen(position: Position | undefined): void {
    if (position && comparePositions(position, this.position) > 0) this.position = position;
  }

  async course(courseId: string, input: CourseInput, clinicId = CLINIC): Promise<void> {
    const result = await this.store.execute(
      courseDecider,
      courseStreamId(courseId),
      { ...input, pathway },
      { metadata: this.metadata('S1', ['secretary'], clinicId) },
    );
    this.seen(result.position);
  }

  async team(teamId: string, command: TeamInput): Promise<PlannedTeam> {
    const result = await this.store.execute(teamDecider, `team-${teamId}`, { ...command, teamId }, { metadata: this.metadata() });
    this.seen(result.position);
    return result.state as PlannedTeam;
  }

  async schedule(patientId: string, command: ScheduleCommand): Promise<void> {
    const result = await this.store.execute(scheduleDecider, scheduleStreamId({ kind: 'patient', id: patientId }), command, {
      metadata: this.metadata(),
    });
    this.seen(result.position);
  }

  async registerClinician(clinicianId: string, now: string, clinicId = CLINIC): Promise<void> {
    const result = await this.store.execute(
      clinicianDecider,
      `clinician-${clinicianId}`,
      { type: 'RegisterClinician', clinicianId, professions: ['DOCTOR'], employmentStart: '2020-01-01', now },
      { metadata: this.metadata('S1', ['admin'], clinicId) },
    );
    this.seen(result.position);
  }

  /** a referral received and accepted at paper visitation */
  async referral(courseId: string, patientId: string, receivedAt: string, acceptedAt: string): Promise<void> {
    await this.course(courseId, {
      type: 'ReceiveReferral',
      courseId,
      patientId,
      receivedAt,
      referrer: { kind: 'GP', id: 'GP-0421' },
      content: FULL_REFERRAL_CONTENT,
      now: receivedAt,
    });
    await this.course(courseId, { type: 'DecideVisitation', decision: 'accept', assessment: ALL_CRITERIA_MET, now: acceptedAt });
  }

  /**
   * Waits until the enrolment process manager has written its follow-ups (course records of team seats) of
   * everything this world wrote. The target is the position of our own writes, not `headPosition()`: that is
   * the store's visibility horizon, which a long transaction elsewhere on a shared PostgreSQL server holds
   * back, so it can name a position older than writes already committed here (settle then returned before the
   * process manager had seen the last seat, whose late follow-up was refused by the course that had moved on,
   * and the team gave the seat up again: whole teams went missing from the course calendar).
   */
  async settle(): Promise<void> {
    const pm = this.t.app.get(EnrolmentProcessManager);
    await pm.settled(comparePositions(this.position, START) > 0 ? this.position : undefined, WAIT_MS);
    // the follow-ups the process manager wrote: the newest committed event, read without the horizon
    this.seen(await committedHead(this.t));
  }

  /** GET as the given staff member, waiting for the read models to reach everything written so far */
  async get(path: string, roles: Role[], sub = 'S1', clinicId = CLINIC): Promise<request.Response> {
    // wait here (generously, for a loaded machine) rather than let the API's own 5 s wait answer 503
    if (comparePositions(this.position, START) > 0) await this.t.app.get(ProjectionRunner).waitFor(this.position, WAIT_MS);
    const token = await this.t.token(roles, sub, clinicId);
    return request(this.t.server).get(path).set('Authorization', `Bearer ${token}`).set('X-Min-Position', formatPosition(this.position));
  }
}
