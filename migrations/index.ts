import type { MigrationInterface } from 'typeorm';
import { EventStore1763800000000 } from './1763800000000-event-store.js';
import { SubscriptionCheckpoints1763800000001 } from './1763800000001-subscription-checkpoints.js';
import { IdempotentResponses1763800001000 } from './1763800001000-idempotent-responses.js';
import { Patients1763800004000 } from './1763800004000-patients.js';
import { RoomsAndTeamSummaries1763800003000 } from './1763800003000-rooms-and-team-summaries.js';
import { EnrolmentProcessManager1763800005000 } from './1763800005000-enrolment-process-manager.js';
import { ReadSide1763800006000 } from './1763800006000-read-side.js';
import { AuditAndAccessLog1763800007000 } from './1763800007000-audit-and-access-log.js';
import { Integrations1763800008000 } from './1763800008000-integrations.js';
import { WebhookRotationAndFeedVersions1763800008100 } from './1763800008100-webhook-rotation-and-feed-versions.js';
import { BusyTimes1763800020000 } from './1763800020000-busy-times.js';
import { PatientsPerClinic1763800030000 } from './1763800030000-patients-per-clinic.js';
import { ClinicianDirectory1763800030001 } from './1763800030001-clinician-directory.js';
import { AppendToStreamFunction1763800060000 } from './1763800060000-append-to-stream-function.js';
import { AppendToStreamIdProbes1763800070000 } from './1763800070000-append-to-stream-id-probes.js';
import { TeamStatePlan1763800080000 } from './1763800080000-team-state-plan.js';
import { CourseStatesAsJson1763800090000 } from './1763800090000-course-states-as-json.js';
import { CourseGuardInStateRows1763800100000 } from './1763800100000-course-guard-in-state-rows.js';
import { AppendToStreamsFunction1763800110000 } from './1763800110000-append-to-streams-function.js';
import { TeamBoardGuardInStateRows1763800120000 } from './1763800120000-team-board-guard-in-state-rows.js';
import { TeamStatesAsJson1763800130000 } from './1763800130000-team-states-as-json.js';

/** Every migration. Listed explicitly (ESM: no globs); TypeORM runs them by the timestamp in their names. */
export const migrations: Array<new () => MigrationInterface> = [
  EventStore1763800000000,
  SubscriptionCheckpoints1763800000001,
  IdempotentResponses1763800001000,
  Patients1763800004000,
  RoomsAndTeamSummaries1763800003000,
  EnrolmentProcessManager1763800005000,
  ReadSide1763800006000,
  AuditAndAccessLog1763800007000,
  Integrations1763800008000,
  WebhookRotationAndFeedVersions1763800008100,
  BusyTimes1763800020000,
  PatientsPerClinic1763800030000,
  ClinicianDirectory1763800030001,
  AppendToStreamFunction1763800060000,
  AppendToStreamIdProbes1763800070000,
  TeamStatePlan1763800080000,
  CourseStatesAsJson1763800090000,
  CourseGuardInStateRows1763800100000,
  AppendToStreamsFunction1763800110000,
  TeamBoardGuardInStateRows1763800120000,
  TeamStatesAsJson1763800130000,
];
