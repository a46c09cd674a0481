import { refuse, type Decider, type DomainError } from '../shared/index.js';
import { isInstant, isLocalDate, toMillis } from '../catalogue/calendar.js';
import type { ClinicianProfile, CompetenceGrant, TeamServiceRecord } from '../competence/competence.evaluator.js';
import type { ClinicianCommand } from './clinician.commands.js';
import type { ClinicianEvent } from './clinician.events.js';

/** A clinician as the competence rules see it; plain data, so a team command can carry it. */
export interface ClinicianState extends ClinicianProfile {
  readonly clinicianId: string | null;
  readonly registered: boolean;
  readonly professions: readonly string[];
  readonly employmentStart: string | null;
  /** from the registration, when it gave one */
  readonly displayName?: string;
  readonly competences: readonly CompetenceGrant[];
  readonly teamService: readonly TeamServiceRecord[];
}

/** the codes a clinic accepts (from its catalogue); without it any code is accepted */
export interface ClinicianVocabulary {
  readonly professions: readonly string[];
  readonly competences: readonly string[];
}

export const initialClinicianState: ClinicianState = {
  clinicianId: null,
  registered: false,
  professions: [],
  employmentStart: null,
  competences: [],
  teamService: [],
};

export function evolveClinician(state: ClinicianState, event: ClinicianEvent): ClinicianState {
  switch (event.type) {
    case 'ClinicianRegistered':
      return {
        ...state,
        clinicianId: event.data.clinicianId,
        registered: true,
        professions: [...event.data.professions],
        employmentStart: event.data.employmentStart,
        ...(event.data.displayName ? { displayName: event.data.displayName } : {}),
      };
    case 'CompetenceGranted':
      return {
        ...state,
        competences: [
          ...state.competences,
          {
            competence: event.data.competence,
            grantedAt: event.data.grantedAt,
            expiresAt: event.data.expiresAt,
            revokedAt: null,
            ...(event.data.imported ? { imported: sourceOf(event.data.imported) } : {}),
          },
        ],
      };
    case 'CompetenceRevoked':
      return {
        ...state,
        competences: state.competences.map((g) =>
          g.competence === event.data.competence && g.revokedAt === null ? { ...g, revokedAt: event.data.revokedAt } : g,
        ),
      };
    case 'TeamServiceRecorded':
      return {
        ...state,
        teamService: [
          ...state.teamService,
          {
            teamId: event.data.teamId,
            programme: event.data.programme,
            role: event.data.role,
            servedAt: event.data.servedAt,
            ...(event.data.imported ? { imported: sourceOf(event.data.imported) } : {}),
          },
        ],
      };
  }
}

export function decideClinician(
  command: ClinicianCommand,
  state: ClinicianState,
  vocabulary?: ClinicianVocabulary,
): ClinicianEvent[] | DomainError {
  if (!isInstant(command.now)) return refuse('INVALID_TIME', 'The time of the request is not a valid date and time.');
  if (command.type === 'RegisterClinician') {
    if (state.registered) return refuse('CLINICIAN_ALREADY_REGISTERED', 'This clinician is already registered.');
    if (command.professions.length === 0)
      return refuse('PROFESSION_REQUIRED', 'A clinician must be registered with at least one profession.');
    const unknown = vocabulary ? command.professions.filter((p) => !vocabulary.professions.includes(p)) : [];
    if (unknown.length > 0) {
      return refuse(
        'UNKNOWN_PROFESSION',
        `The clinic does not know the profession ${unknown.join(', ')}.`,
        unknown.map((p) => ({ code: 'UNKNOWN_PROFESSION', reason: `The clinic does not know the profession ${p}.` })),
      );
    }
    if (!isLocalDate(command.employmentStart)) return refuse('INVALID_DATE', 'The employment start is not a valid date.');
    return [
      {
        type: 'ClinicianRegistered',
        data: {
          clinicianId: command.clinicianId,
          professions: [...new Set(command.professions)],
          employmentStart: command.employmentStart,
          ...(command.displayName?.trim() ? { displayName: command.displayName.trim() } : {}),
          registeredAt: command.now,
        },
      },
    ];
  }
  if (!state.registered) return refuse('CLINICIAN_NOT_REGISTERED', 'This clinician is not registered.');
  switch (command.type) {
    case 'GrantCompetence': {
      if (vocabulary && !vocabulary.competences.includes(command.competence)) {
        return refuse('UNKNOWN_COMPETENCE', `The clinic does not know the competence ${command.competence}.`);
      }
      if (!isInstantOrDate(command.grantedAt)) return refuse('INVALID_DATE', 'The date the competence was obtained is not a valid date.');
      if (toMillis(command.grantedAt) > toMillis(command.now)) {
        return refuse('COMPETENCE_DATE_IN_FUTURE', 'A competence cannot be granted with a date in the future.');
      }
      const expiresAt = command.expiresAt ?? null;
      if (expiresAt !== null && (!isInstantOrDate(expiresAt) || toMillis(expiresAt) <= toMillis(command.grantedAt))) {
        return refuse('INVALID_EXPIRY', 'The expiry date must be a valid date after the date the competence was obtained.');
      }
      return [
        {
          type: 'CompetenceGranted',
          data: {
            clinicianId: command.clinicianId,
            competence: command.competence,
            grantedAt: command.grantedAt,
            expiresAt,
            recordedAt: command.now,
            ...(command.imported ? { imported: command.imported } : {}),
          },
        },
      ];
    }
    case 'RevokeCompetence':
      if (!state.competences.some((g) => g.competence === command.competence && g.revokedAt === null)) {
        return refuse('COMPETENCE_NOT_HELD', `This clinician holds no competence ${command.competence} that could be revoked.`);
      }
      return [
        { type: 'CompetenceRevoked', data: { clinicianId: command.clinicianId, competence: command.competence, revokedAt: command.now } },
      ];
    case 'RecordTeamService':
      if (state.teamService.some((s) => s.teamId === command.teamId)) {
        return refuse('TEAM_SERVICE_ALREADY_RECORDED', 'Service on this team is already recorded for this clinician.');
      }
      if (!isInstantOrDate(command.servedAt)) return refuse('INVALID_DATE', 'The service date is not a valid date.');
      if (toMillis(command.servedAt) > toMillis(command.now)) {
        return refuse('SERVICE_DATE_IN_FUTURE', 'Team service can only be recorded once the team has met.');
      }
      return [
        {
          type: 'TeamServiceRecorded',
          data: {
            clinicianId: command.clinicianId,
            teamId: command.teamId,
            programme: command.programme,
            role: command.role,
            servedAt: command.servedAt,
            ...(command.imported ? { imported: command.imported } : {}),
          },
        },
      ];
  }
}

const sourceOf = (i: { importId: string; source: string; sourceDocument: string }) => ({
  importId: i.importId,
  source: i.source,
  sourceDocument: i.sourceDocument,
});

const isInstantOrDate = (value: string): boolean => isInstant(value) || isLocalDate(value);

/** The clinician decider; pass the clinic's vocabulary to refuse unknown professions and competences. */
export function createClinicianDecider(vocabulary?: ClinicianVocabulary): Decider<ClinicianCommand, ClinicianEvent, ClinicianState> {
  return {
    initialState: () => initialClinicianState,
    evolve: evolveClinician,
    decide: (command, state) => decideClinician(command, state, vocabulary),
  };
}

export const clinicianDecider = createClinicianDecider();

export function clinicianVocabularyOf(catalogue: {
  readonly professions: readonly { readonly code: string }[];
  readonly competences: readonly { readonly code: string }[];
}): ClinicianVocabulary {
  return { professions: catalogue.professions.map((p) => p.code), competences: catalogue.competences.map((c) => c.code) };
}
