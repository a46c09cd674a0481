import { qualifiedClinician } from '../support/qualified-clinician.js';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  addDaysToLocalDate,
  courseDecider,
  defaultCatalogue,
  formatInZone,
  teamDecider,
  type ClinicianState,
  type CourseCommand,
  type CourseState,
  type FactValue,
  type PlannedTeam,
  type TeamCommand,
} from '#app/domain';
import type { EventStore, RecordedEvent } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { OfferExpirySweeper } from '../../apps/api/src/features/enrolment/seat-offers/offer-expiry.sweeper.js';
import { EnrolmentProcessManager } from '../../apps/api/src/features/enrolment/process-managers/enrolment.process-manager.js';
import { DeciderStore } from '../../apps/api/src/platform/write-path/decider-store.js';
import type { EventMetadata } from '../../apps/api/src/platform/write-path/event-metadata.js';
import type { TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';

export const CLINIC = defaultCatalogue.clinicId;
const pathway = defaultCatalogue.pathway;
const TZ = defaultCatalogue.settings.timeZone;
const DAY = 86_400_000;

export const iso = (ms: number = Date.now()): string => formatInZone(ms, TZ);

/** a seat reservation for `courseId` on `teamId` as another writer would make it, from the course's state now */
export const reserveSeatFor = (teamId: string, courseId: string, course: CourseState): TeamCommand => ({
  type: 'ReserveSeat',
  teamId,
  courseId,
  referralDate: present(course.referral).receivedAt,
  facts: course.facts,
  now: iso(),
});
const daysAgo = (days: number) => iso(Date.now() - days * DAY);

/** the course decider refuses command fields that look like a CPR number (`\d{6}-?\d{4}`), ids included */
export function safeUuid(): string {
  for (;;) {
    const id = randomUUID();
    if (!/(^|\D)\d{6}-?\d{4}(?!\d)/.test(id)) return id;
  }
}

/**
 * Builds teams and courses through the domain (DeciderStore), not through other slices' HTTP routes:
 * planned Forstå smerte teams staffed by qualified therapists, and accepted courses with their facts.
 */
export class EnrolmentFixtures {
  readonly store: DeciderStore;
  readonly events: EventStore;
  private readonly therapists: { primary: ClinicianState; secondary: ClinicianState };

  constructor(readonly t: TestApp) {
    this.store = t.app.get(DeciderStore);
    this.events = t.app.get(EVENT_STORE);
    this.therapists = {
      primary: qualifiedClinician('fx-primary', iso()).state,
      secondary: qualifiedClinician('fx-secondary', iso()).state,
    };
  }

  get sweeper(): OfferExpirySweeper {
    return this.t.app.get(OfferExpirySweeper);
  }

  get processManager(): EnrolmentProcessManager {
    return this.t.app.get(EnrolmentProcessManager);
  }

  metadata(reason = 'test fixture'): EventMetadata {
    return {
      schemaVersion: 1,
      actor: { staffId: 'fx-secretary', roles: ['secretary'] },
      clinicId: CLINIC,
      correlationId: randomUUID(),
      occurredAt: iso(),
      reason,
    };
  }

  /** A Forstå smerte team starting in `startsInDays`, with `seats` seats (the room caps the programme's 25). */
  async planTeam(options: { startsInDays: number; seats?: number; startTime?: string }): Promise<string> {
    const teamId = safeUuid();
    const startsOn = addDaysToLocalDate(iso().slice(0, 10), options.startsInDays);
    await this.team(teamId, {
      type: 'PlanTeam',
      teamId,
      now: iso(),
      catalogue: defaultCatalogue,
      programmeCode: 'FORSTAA_SMERTE',
      room: { roomId: 'room-1', seats: options.seats ?? 30 },
      startsOn,
      startTime: options.startTime ?? '13:00',
    });
    await this.team(teamId, {
      type: 'AssignTherapist',
      teamId,
      now: iso(),
      clinicianId: 'fx-primary',
      role: 'primary',
      clinician: this.therapists.primary,
    });
    await this.team(teamId, {
      type: 'AssignTherapist',
      teamId,
      now: iso(),
      clinicianId: 'fx-secondary',
      role: 'secondary',
      clinician: this.therapists.secondary,
    });
    return teamId;
  }

  team(teamId: string, command: TeamCommand) {
    return this.store.execute(teamDecider, `team-${teamId}`, command, { metadata: this.metadata() });
  }

  /** An accepted course, referred `referredDaysAgo` days ago, with "needs interpreter: no" recorded. */
  async course(referredDaysAgo = 10): Promise<string> {
    const courseId = safeUuid();
    await this.courseCommand(courseId, {
      type: 'ReceiveReferral',
      courseId,
      patientId: safeUuid(),
      receivedAt: daysAgo(referredDaysAgo),
      referrer: { kind: 'GP', id: 'GP-0421' },
      content: Object.fromEntries(pathway.referral.requiredContent.map((i) => [i.code, 'noted'])),
      now: iso(),
      pathway,
    });
    await this.courseCommand(courseId, {
      type: 'DecideVisitation',
      decision: 'accept',
      assessment: Object.fromEntries(pathway.referral.criteriaSet.criteria.map((c) => [c.code, true])),
      now: iso(),
      pathway,
    });
    await this.recordFact(courseId, 'needsInterpreter', false);
    return courseId;
  }

  async courses(n: number, referredDaysAgo = 10): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await this.course(referredDaysAgo));
    return ids;
  }

  recordFact(courseId: string, fact: string, value: FactValue) {
    return this.courseCommand(courseId, { type: 'RecordPatientFact', fact, value, basis: { source: 'CONSULTATION' }, now: iso(), pathway });
  }

  endCourse(courseId: string) {
    return this.courseCommand(courseId, { type: 'EndCourse', reason: 'dropped_out', note: 'The patient withdrew.', now: iso(), pathway });
  }

  courseCommand(courseId: string, command: CourseCommand) {
    return this.store.execute(courseDecider, `course-${courseId}`, command, { metadata: this.metadata() });
  }

  async courseState(courseId: string): Promise<{ state: CourseState; events: RecordedEvent[] }> {
    const loaded = await this.store.load(courseDecider, `course-${courseId}`);
    return { state: loaded.state, events: loaded.events };
  }

  async teamState(teamId: string): Promise<{ state: PlannedTeam; events: RecordedEvent[]; revision: number }> {
    const loaded = await this.store.load(teamDecider, `team-${teamId}`);
    if (loaded.state.status !== 'planned') throw new Error(`team ${teamId} is not planned`);
    return { state: loaded.state, events: loaded.events, revision: loaded.revision };
  }

  // ---------------------------------------------------------------- HTTP helpers

  enrol(token: string, courseId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    let req = request(this.t.server).post(`/courses/${courseId}/enrolments`).set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(body);
  }

  cancel(token: string, courseId: string, teamId: string, reason = 'The patient cancelled by phone') {
    return request(this.t.server)
      .delete(`/courses/${courseId}/enrolments/${teamId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ reason });
  }
}
