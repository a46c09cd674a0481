/**
 * Competence rules for a team role, as data (care-model §1 "Competence rules for team therapists").
 * Every requirement has a stable `code` and the `reason` read out when it is missing.
 */
interface RequirementBase {
  readonly code: string;
  readonly reason: string;
}

/** the clinician has one of these professions (e.g. any health profession) */
export interface ProfessionRequirement extends RequirementBase {
  readonly kind: 'profession';
  readonly anyOf: readonly string[];
}

/** the clinician holds one of these dated competences, granted and not lapsed at the time asked */
export interface CompetenceHeldRequirement extends RequirementBase {
  readonly kind: 'competence';
  readonly anyOf: readonly string[];
}

/** derived from the employment start: employed at the centre for at least `months` */
export interface EmployedForRequirement extends RequirementBase {
  readonly kind: 'employedFor';
  readonly months: number;
}

/** derived from the team-service history: at least `atLeast` earlier teams of these programmes in these roles */
export interface TeamServiceRequirement extends RequirementBase {
  readonly kind: 'teamService';
  readonly programmes: readonly string[];
  readonly roles: readonly string[];
  readonly atLeast: number;
}

export type CompetenceRequirement = ProfessionRequirement | CompetenceHeldRequirement | EmployedForRequirement | TeamServiceRequirement;

export interface CompetenceRule {
  readonly code: string;
  readonly requirements: readonly CompetenceRequirement[];
}
