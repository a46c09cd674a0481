import { addMonthsMillis, evaluateCompetence, formatInZone, grantEndsAt, toMillis, type Catalogue, type ClinicianState } from '#app/domain';
import type { ClinicianResponse, CompetenceResponse, TeamServiceCountResponse } from './clinician.response.js';

/** The clinician as the API shows it at `now`: grants with their validity, derived competences, role fit. */
export function clinicianView(state: ClinicianState, revision: number, catalogue: Catalogue, now: string): ClinicianResponse {
  const tz = catalogue.settings.timeZone;
  const options = { validityMonths: catalogue.settings.competenceValidityMonths };
  const t = toMillis(now);
  const competences: CompetenceResponse[] = state.competences.map((g) => {
    const end = grantEndsAt(g, options);
    const status = g.revokedAt !== null && toMillis(g.revokedAt) <= t ? 'revoked' : end !== null && end <= t ? 'expired' : 'valid';
    return {
      competence: g.competence,
      name: catalogue.competences.find((c) => c.code === g.competence)?.name.en ?? null,
      grantedAt: g.grantedAt,
      expiresAt: g.expiresAt,
      revokedAt: g.revokedAt,
      validUntil: end === null ? null : formatInZone(end, tz),
      status,
      ...(g.imported ? { imported: { ...g.imported } } : {}),
    };
  });
  const months = state.employmentStart === null ? null : monthsBetween(state.employmentStart, t);
  return {
    clinicianId: state.clinicianId ?? '',
    professions: [...state.professions],
    employmentStart: state.employmentStart,
    displayName: state.displayName ?? null,
    competences,
    derived: {
      employedMonths: months,
      employedYears: months === null ? null : Math.floor(months / 12),
      earlierTeams: earlierTeams(state, t),
    },
    staffRoles: catalogue.programmes.flatMap((p) =>
      p.staff.roles.map((r) => {
        const missing = evaluateCompetence(r.competence, state, now, options);
        return { programmeCode: p.code, role: r.role, qualifiedNow: missing.length === 0, missing };
      }),
    ),
    teamService: state.teamService.map((s) => ({ ...s, ...(s.imported ? { imported: { ...s.imported } } : {}) })),
    revision,
  };
}

/** whole calendar months from the start to `t` (0 before the start) */
function monthsBetween(start: string, t: number): number {
  const s = new Date(toMillis(start));
  const e = new Date(t);
  let months = (e.getUTCFullYear() - s.getUTCFullYear()) * 12 + (e.getUTCMonth() - s.getUTCMonth());
  while (months > 0 && addMonthsMillis(start, months) > t) months--;
  return Math.max(0, months);
}

function earlierTeams(state: ClinicianState, t: number): TeamServiceCountResponse[] {
  const teams = new Map<string, Set<string>>();
  for (const s of state.teamService) {
    if (toMillis(s.servedAt) > t) continue;
    const key = `${s.programme}\u0000${s.role}`;
    const ids = teams.get(key) ?? new Set<string>();
    ids.add(s.teamId);
    teams.set(key, ids);
  }
  return [...teams.entries()].map(([key, ids]) => {
    const [programme, role] = key.split('\u0000') as [string, string];
    return { programme, role, teams: ids.size };
  });
}
