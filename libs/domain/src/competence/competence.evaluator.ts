import type { FailedCriterion } from '../shared/index.js';
import { addMonthsMillis, toMillis } from '../catalogue/calendar.js';
import type { CompetenceRequirement, CompetenceRule } from './competence.types.js';

/**
 * What the competence rules read about a clinician: the clinician decider's state is one of these.
 * Derived competences (time employed, earlier teams) are computed here from the employment start and
 * the team-service history, never typed in.
 */
export interface ClinicianProfile {
  readonly professions: readonly string[];
  /** first day at the centre, `YYYY-MM-DD` or an instant; `null` if not recorded */
  readonly employmentStart: string | null;
  readonly competences: readonly CompetenceGrant[];
  readonly teamService: readonly TeamServiceRecord[];
}

/** one dated grant of a competence; a renewal (a new retreat) is a new grant */
export interface CompetenceGrant {
  readonly competence: string;
  readonly grantedAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly imported?: ImportedSource;
}

export interface TeamServiceRecord {
  readonly teamId: string;
  readonly programme: string;
  readonly role: string;
  readonly servedAt: string;
  /** set when the record came in through the go-live import: from what, and which import */
  readonly imported?: ImportedSource;
}

/** where imported history came from (the full record is in the event) */
export interface ImportedSource {
  readonly importId: string;
  readonly source: string;
  readonly sourceDocument: string;
}

export interface CompetenceOptions {
  /** lapse after months by competence code (catalogue `settings.competenceValidityMonths`) */
  readonly validityMonths?: Readonly<Record<string, number>>;
}

/** when a grant stops counting: the earliest of its own expiry, revocation and the catalogue's validity */
export function grantEndsAt(grant: CompetenceGrant, options: CompetenceOptions = {}): number | null {
  const ends: number[] = [];
  if (grant.expiresAt !== null) ends.push(toMillis(grant.expiresAt));
  if (grant.revokedAt !== null) ends.push(toMillis(grant.revokedAt));
  const months = options.validityMonths?.[grant.competence];
  if (months !== undefined) ends.push(addMonthsMillis(grant.grantedAt, months));
  return ends.length === 0 ? null : Math.min(...ends);
}

export function grantValidAt(grant: CompetenceGrant, at: string, options: CompetenceOptions = {}): boolean {
  const t = toMillis(at);
  const end = grantEndsAt(grant, options);
  return toMillis(grant.grantedAt) <= t && (end === null || t < end);
}

/** distinct earlier teams of the given programmes served in the given roles before `at` */
export function countEarlierTeams(profile: ClinicianProfile, programmes: readonly string[], roles: readonly string[], at: string): number {
  const t = toMillis(at);
  const teams = new Set(
    profile.teamService
      .filter((s) => programmes.includes(s.programme) && roles.includes(s.role) && toMillis(s.servedAt) < t)
      .map((s) => s.teamId),
  );
  return teams.size;
}

export function employedAtLeast(profile: ClinicianProfile, months: number, at: string): boolean {
  return profile.employmentStart !== null && addMonthsMillis(profile.employmentStart, months) <= toMillis(at);
}

/** Every requirement of the rule the clinician does not meet at `at`; empty when competent. */
export function evaluateCompetence(
  rule: CompetenceRule,
  clinician: ClinicianProfile,
  at: string,
  options: CompetenceOptions = {},
): FailedCriterion[] {
  const failures: FailedCriterion[] = [];
  for (const requirement of rule.requirements) {
    const detail = missing(requirement, clinician, at, options);
    if (detail !== null) failures.push({ code: requirement.code, reason: detail ? `${requirement.reason} ${detail}` : requirement.reason });
  }
  return failures;
}

/** `null` when met, otherwise a (possibly empty) detail sentence */
function missing(requirement: CompetenceRequirement, clinician: ClinicianProfile, at: string, options: CompetenceOptions): string | null {
  switch (requirement.kind) {
    case 'profession':
      return clinician.professions.some((p) => requirement.anyOf.includes(p)) ? null : '';
    case 'competence': {
      if (clinician.competences.some((g) => requirement.anyOf.includes(g.competence) && grantValidAt(g, at, options))) return null;
      const lapsed = clinician.competences
        .filter((g) => requirement.anyOf.includes(g.competence) && toMillis(g.grantedAt) <= toMillis(at))
        .map((g) => grantEndsAt(g, options))
        .filter((end): end is number => end !== null);
      return lapsed.length > 0 ? `It lapsed on ${new Date(Math.max(...lapsed)).toISOString().slice(0, 10)}.` : '';
    }
    case 'employedFor':
      if (employedAtLeast(clinician, requirement.months, at)) return null;
      return clinician.employmentStart === null
        ? 'No employment start is recorded.'
        : `Employed since ${clinician.employmentStart.slice(0, 10)}.`;
    case 'teamService': {
      const count = countEarlierTeams(clinician, requirement.programmes, requirement.roles, at);
      return count >= requirement.atLeast ? null : `Recorded so far: ${count} of ${requirement.atLeast}.`;
    }
  }
}

/**
 * The earliest moment a dated competence the rule relies on stops counting (the MBSR retreat
 * lapsing), or `null` when nothing the rule needs lapses. Takes, per requirement, the longest-lasting
 * grant valid at `at`. Used by a team to know until when an assigned therapist still counts as staff.
 */
export function competentUntil(
  rule: CompetenceRule,
  clinician: ClinicianProfile,
  at: string,
  options: CompetenceOptions = {},
): string | null {
  let until: number | null = null;
  for (const requirement of rule.requirements) {
    if (requirement.kind !== 'competence') continue;
    const valid = clinician.competences.filter((g) => requirement.anyOf.includes(g.competence) && grantValidAt(g, at, options));
    if (valid.length === 0) continue;
    const ends = valid.map((g) => grantEndsAt(g, options));
    if (ends.includes(null)) continue;
    const best = Math.max(...(ends as number[]));
    until = until === null ? best : Math.min(until, best);
  }
  return until === null ? null : new Date(until).toISOString();
}
