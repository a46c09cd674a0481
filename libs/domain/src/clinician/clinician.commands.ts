import type { ImportedFrom } from './clinician.events.js';

export interface RegisterClinician {
  readonly type: 'RegisterClinician';
  readonly clinicianId: string;
  readonly professions: readonly string[];
  /** first day at the centre, `YYYY-MM-DD` */
  readonly employmentStart: string;
  /** how the clinic names them to others (calendar feeds): "Anne Holm, sygeplejerske"; optional */
  readonly displayName?: string;
  readonly now: string;
}

export interface GrantCompetence {
  readonly type: 'GrantCompetence';
  readonly clinicianId: string;
  readonly competence: string;
  readonly grantedAt: string;
  readonly expiresAt?: string | null;
  readonly now: string;
  readonly imported?: ImportedFrom;
}

export interface RevokeCompetence {
  readonly type: 'RevokeCompetence';
  readonly clinicianId: string;
  readonly competence: string;
  readonly now: string;
}

export interface RecordTeamService {
  readonly type: 'RecordTeamService';
  readonly clinicianId: string;
  readonly teamId: string;
  readonly programme: string;
  readonly role: string;
  readonly servedAt: string;
  readonly now: string;
  readonly imported?: ImportedFrom;
}

export type ClinicianCommand = RegisterClinician | GrantCompetence | RevokeCompetence | RecordTeamService;
