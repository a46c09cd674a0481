import { clinicianDecider, isDomainError, replay, type ClinicianCommand, type ClinicianState } from '#app/domain';

/**
 * A clinician who meets the Forstå smerte primary and secondary staff rules (a nurse employed since 2015
 * with the teaching course, four earlier teams as secondary and one as apprentice), built with the
 * clinician decider. `commands` lets a caller also write the history to a real stream.
 */
export function qualifiedClinician(
  id: string,
  now: string = new Date().toISOString(),
): { state: ClinicianState; commands: ClinicianCommand[] } {
  const commands: ClinicianCommand[] = [
    { type: 'RegisterClinician', clinicianId: id, professions: ['NURSE'], employmentStart: '2015-01-01', now },
    { type: 'GrantCompetence', clinicianId: id, competence: 'TEACHING_COURSE', grantedAt: '2016-01-01', now },
    ...[0, 1, 2, 3].map((i): ClinicianCommand => ({
      type: 'RecordTeamService',
      clinicianId: id,
      teamId: `old-fs-${i}`,
      programme: 'FORSTAA_SMERTE',
      role: 'secondary',
      servedAt: '2020-01-01',
      now,
    })),
    {
      type: 'RecordTeamService',
      clinicianId: id,
      teamId: 'old-fs-a',
      programme: 'FORSTAA_SMERTE',
      role: 'apprentice',
      servedAt: '2019-01-01',
      now,
    },
  ];
  let state = clinicianDecider.initialState();
  for (const c of commands) {
    const decided = clinicianDecider.decide(c, state);
    if (isDomainError(decided)) throw new Error(`${c.type}: ${decided.code}`);
    state = replay({ ...clinicianDecider, initialState: () => state }, decided);
  }
  return { state, commands };
}
