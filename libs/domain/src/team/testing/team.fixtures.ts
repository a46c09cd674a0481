import { defaultCatalogue } from '../../catalogue/default.catalogue.js';
import type { Catalogue, ProgrammeDefinition } from '../../catalogue/catalogue.types.js';
import type { ClinicianState } from '../../clinician/clinician.decider.js';
import type { CompetenceGrant, TeamServiceRecord } from '../../competence/competence.evaluator.js';
import type { PatientFacts } from '../../eligibility/patient-facts.js';
import type { PlanTeam } from '../team.commands.js';
import type { TeamEvent } from '../team.events.js';
import { decideTeam } from '../team.decider.js';
import { initialTeamState } from '../team.state.js';

export const NOW = '2025-01-06T09:00:00+01:00';
export const TEAM = 'team-1';

export const programme = (code: string, catalogue: Catalogue = defaultCatalogue): ProgrammeDefinition => {
  const p = catalogue.programmes.find((x) => x.code === code);
  if (!p) throw new Error(`no programme ${code}`);
  return p;
};

/** facts that pass every criterion of the default catalogue */
export const ALL_CLEAR: PatientFacts = {
  needsInterpreter: false,
  followsDanishNuances: true,
  inOpioidTreatment: true,
  substanceAbuse: false,
  ptsdSymptoms: false,
  severePsychopathology: false,
  ongoingMedicationTrial: false,
  sickListed: true,
  unclearEmploymentSituation: false,
  jobCentreProcess: true,
  socialWorkerVisitationDone: true,
  acuteSuicideRisk: false,
  lowCognitiveFunction: false,
  acuteCrisis: false,
  motivatedFor: {
    FORSTAA_SMERTE: true,
    LIVET_MED_SMERTER: true,
    AFSPAENDING: true,
    MBSR: true,
    HA: true,
    NEDTRAPNING: true,
    TERAPIHOLD: true,
  },
  programmesCompleted: ['FORSTAA_SMERTE', 'LIVET_MED_SMERTER', 'MBSR'],
  willingToChangePainHandling: true,
  willingToDoHomework: true,
  psychologicalProblemsImpairFunction: true,
  psychologistRecommendsGroup: true,
  pressingSocialIssues: false,
  majorDifficultyInGroups: false,
};

export const eligibleFor = (code: string): PatientFacts => ({
  ...ALL_CLEAR,
  chosenStressReduction: code === 'AFSPAENDING' ? 'AFSPAENDING' : 'MBSR',
});

export interface ClinicianSpec {
  readonly professions?: readonly string[];
  readonly employmentStart?: string | null;
  readonly competences?: readonly (readonly [string, string] | CompetenceGrant)[];
  readonly teamService?: readonly TeamServiceRecord[];
}

/** `[competence, grantedAt]`, the short form of a grant */
const isGrantPair = (c: readonly [string, string] | CompetenceGrant): c is readonly [string, string] => Array.isArray(c);

export function clinician(id: string, spec: ClinicianSpec = {}): ClinicianState {
  return {
    clinicianId: id,
    registered: true,
    professions: spec.professions ?? ['NURSE'],
    employmentStart: spec.employmentStart === undefined ? '2015-01-01' : spec.employmentStart,
    competences: (spec.competences ?? []).map((c) =>
      isGrantPair(c) ? { competence: c[0], grantedAt: c[1], expiresAt: null, revokedAt: null } : c,
    ),
    teamService: spec.teamService ?? [],
  };
}

export const service = (n: number, programme: string, role: string, before = '2024-06-01'): TeamServiceRecord[] =>
  Array.from({ length: n }, (_, i) => ({ teamId: `old-${programme}-${role}-${i}`, programme, role, servedAt: before }));

/**
 * A clinician meeting every requirement of every default staff role: retreat taken and earlier teams served
 * by `since` (default: shortly before NOW).
 */
export function qualified(id: string, since?: string): ClinicianState {
  return clinician(id, {
    professions: ['PSYCHOLOGIST', 'SOCIAL_WORKER'],
    employmentStart: '2015-01-01',
    competences: [
      'TEACHING_COURSE',
      'COGNITIVE_THERAPY_EDUCATION',
      'ACT_EDUCATION',
      'RELAXATION_EXPERIENCE',
      'MINDFULNESS_EXPERIENCE',
      'MBSR_TEACHER',
      'MBSR_DAILY_PRACTICE',
      'EMPLOYMENT_FIELD_EXPERIENCE',
      'TAPERING_GROUP_INDEPENDENT',
      'PSYCHOLOGIST_AUTHORISATION',
      'CBT_EXPERIENCE',
      'ACT_EXPERIENCE',
      'GROUP_THERAPY_EXPERIENCE',
    ]
      .map((c): readonly [string, string] => [c, '2016-01-01'])
      .concat([['MBSR_RETREAT', since ?? '2024-11-01']]),
    teamService: [...service(4, 'FORSTAA_SMERTE', 'secondary', since), ...service(1, 'FORSTAA_SMERTE', 'apprentice', since)],
  });
}

export function planCommand(programmeCode: string, overrides: Partial<PlanTeam> = {}): PlanTeam {
  return {
    type: 'PlanTeam',
    teamId: TEAM,
    now: NOW,
    catalogue: defaultCatalogue,
    programmeCode,
    room: { roomId: 'room-a', seats: 30 },
    startsOn: '2025-02-03',
    startTime: '13:00',
    ...overrides,
  };
}

/** the TeamPlanned event for a programme, as the decider produces it */
export function planned(programmeCode: string, overrides: Partial<PlanTeam> = {}): TeamEvent {
  const result = decideTeam(planCommand(programmeCode, overrides), initialTeamState);
  if (!Array.isArray(result)) throw new Error(`plan refused: ${result.code} ${JSON.stringify(result.failures)}`);
  return result[0];
}

export const assignedEvent = (clinicianId: string, role: string, competentUntil: string | null = null): TeamEvent => ({
  type: 'TherapistAssigned',
  data: { teamId: TEAM, clinicianId, role, competentUntil, assignedAt: NOW },
});

export const reservedEvent = (courseId: string, referralDate = '2024-12-01', relatives = 0): TeamEvent => ({
  type: 'SeatReserved',
  data: { teamId: TEAM, courseId, referralDate, relatives, via: 'direct', reservedAt: NOW },
});

export const waitlistedEvent = (courseId: string, referralDate: string, joinedAt = NOW): TeamEvent => ({
  type: 'CourseWaitlisted',
  data: { teamId: TEAM, courseId, referralDate, joinedAt },
});
