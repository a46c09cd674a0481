import type { DomainEvent } from '../shared/index.js';

/**
 * Events of stream `clinician-<clinicianId>`. Who granted a competence and why travels in the
 * event metadata the application adds (actor, reason), not here.
 */
export type ClinicianRegistered = DomainEvent<
  'ClinicianRegistered',
  {
    readonly clinicianId: string;
    readonly professions: readonly string[];
    readonly employmentStart: string;
    readonly displayName?: string;
    readonly registeredAt: string;
  }
>;

/**
 * Set on events brought in by the go-live import (POST /imports/clinician-history) instead of recorded as
 * they happened: which import, from what source and document, by whom. The same facts stand in the metadata.
 */
export interface ImportedFrom {
  readonly importId: string;
  /** the import as a whole (e.g. "Teamoversigt 2019–2026, HR competence register") */
  readonly source: string;
  /** the document this row was read from */
  readonly sourceDocument: string;
  /** staff id of the administrator who ran the import */
  readonly importedBy: string;
  readonly importedAt: string;
  /** team service: the team's first and last session dates in the source, and its name there */
  readonly from?: string;
  readonly to?: string;
  readonly teamRef?: string;
}

export type CompetenceGranted = DomainEvent<
  'CompetenceGranted',
  {
    readonly clinicianId: string;
    readonly competence: string;
    /** when the competence was obtained (a retreat's date), not when it was typed in */
    readonly grantedAt: string;
    /** a fixed end the certificate itself states; catalogue validity (MBSR retreat: 12 months) applies on top */
    readonly expiresAt: string | null;
    readonly recordedAt: string;
    /** only on imported history */
    readonly imported?: ImportedFrom;
  }
>;

export type CompetenceRevoked = DomainEvent<
  'CompetenceRevoked',
  { readonly clinicianId: string; readonly competence: string; readonly revokedAt: string }
>;

/**
 * One team a clinician took part in, in one role (including `apprentice`). Produced by the
 * application, not typed in: when attendance is first recorded for a team session, a process manager
 * appends `RecordTeamService` for every therapist assigned to the team at that moment, with
 * `servedAt` = that session's start. It is idempotent per team (`TEAM_SERVICE_ALREADY_RECORDED` means
 * done), so it can also run at every later session to cover therapists assigned after the first.
 */
export type TeamServiceRecorded = DomainEvent<
  'TeamServiceRecorded',
  {
    readonly clinicianId: string;
    readonly teamId: string;
    readonly programme: string;
    readonly role: string;
    readonly servedAt: string;
    /** only on imported history (the team then predates the system; `teamId` is derived from the source) */
    readonly imported?: ImportedFrom;
  }
>;

export type ClinicianEvent = ClinicianRegistered | CompetenceGranted | CompetenceRevoked | TeamServiceRecorded;

export const clinicianStreamId = (clinicianId: string): string => `clinician-${clinicianId}`;
