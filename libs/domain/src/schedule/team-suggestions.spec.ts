import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import { present } from '../shared/testing/index.js';
import { MBSR } from '../catalogue/default-programmes.js';
import { suggestTeamStarts, type Interval, type SuggestionInput } from './team-suggestions.js';

const grant = (competence: string, grantedAt: string) => ({ competence, grantedAt, expiresAt: null, revokedAt: null });
const teacher = (clinicianId: string, retreatOn = '2027-01-10') => ({
  clinicianId,
  professions: ['PSYCHOLOGIST'],
  employmentStart: '2015-01-01',
  competences: [grant('MBSR_TEACHER', '2020-01-01'), grant('MBSR_DAILY_PRACTICE', '2020-01-01'), grant('MBSR_RETREAT', retreatOn)],
  teamService: [],
});

function input(extra: Partial<SuggestionInput> = {}): SuggestionInput {
  return {
    programme: MBSR,
    timeZone: 'Europe/Copenhagen',
    validityMonths: defaultCatalogue.settings.competenceValidityMonths,
    from: '2027-02-01',
    count: 3,
    startTimes: ['09:00', '13:00'],
    horizonDays: 60,
    now: '2027-01-15T12:00:00+01:00',
    rooms: [
      { roomId: 'big', seats: 25 },
      { roomId: 'right', seats: 18 },
      { roomId: 'small', seats: 10 },
    ],
    clinicians: [teacher('T1'), teacher('T2'), teacher('T3'), { ...teacher('N1'), competences: [] }],
    busy: new Map(),
    ...extra,
  };
}

describe('team suggestions (pure: rooms, qualified staff and busy times)', () => {
  it('proposes the next starts with the smallest room of the right size and enough qualified teachers', () => {
    const result = suggestTeamStarts(input());
    expect(result.map((s) => `${s.startsOn} ${s.startTime}`)).toEqual(['2027-02-01 09:00', '2027-02-01 13:00', '2027-02-02 09:00']);
    expect(result[0]).toMatchObject({ roomId: 'right', seats: 18, staff: [{ role: 'teacher', clinicianIds: ['T1', 'T2'] }] });
    expect(result[0].sessions).toHaveLength(10);
  });

  it('skips a start where the room or a teacher is busy at any session, the retreat day included', () => {
    const first = suggestTeamStarts(input({ count: 1 }))[0];
    const retreat = present(first.sessions.find((s) => s.kind === 'retreat'));
    const busy = new Map<string, Interval[]>([
      ['room:right', [{ start: retreat.startsAt, end: retreat.endsAt }]],
      ['clinician:T1', [{ start: first.sessions[3].startsAt, end: first.sessions[3].endsAt }]],
    ]);
    const [next] = suggestTeamStarts(input({ count: 1, busy }));
    // same day and time, but the bigger room (the right-sized one is taken on the retreat day) and T2 + T3
    expect(next).toMatchObject({
      startsOn: '2027-02-01',
      startTime: '09:00',
      roomId: 'big',
      staff: [{ role: 'teacher', clinicianIds: ['T2', 'T3'] }],
    });
  });

  it('needs the competence at every session: a retreat that lapses during the team does not qualify', () => {
    const lapsing = [teacher('T1', '2026-03-01'), teacher('T2')];
    expect(suggestTeamStarts(input({ clinicians: lapsing }))).toEqual([]);
    expect(suggestTeamStarts(input({ clinicians: [teacher('T1'), teacher('T2')], rooms: [{ roomId: 'small', seats: 10 }] }))).toEqual([]);
  });

  it('never suggests a start in the past', () => {
    const [first] = suggestTeamStarts(input({ from: '2027-01-15', count: 1 }));
    expect(first).toMatchObject({ startsOn: '2027-01-15', startTime: '13:00' }); // 09:00 that day has passed
  });
});
