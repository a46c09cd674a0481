import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import { present } from '../shared/testing/index.js';
import type { CompetenceRule } from './competence.types.js';
import { clinician, programme, qualified, service } from '../team/testing/team.fixtures.js';
import { competentUntil, countEarlierTeams, evaluateCompetence } from './competence.evaluator.js';

const rule = (code: string, role: string): CompetenceRule => present(programme(code).staff.roles.find((r) => r.role === role)).competence;
const opts = { validityMonths: defaultCatalogue.settings.competenceValidityMonths };
const AT = '2025-02-03T13:00:00+01:00';
const failing = (r: CompetenceRule, c: ReturnType<typeof clinician>, at = AT) => evaluateCompetence(r, c, at, opts).map((f) => f.code);

describe('competence rules for team therapists (care-model §1)', () => {
  it('a clinician meeting every rule passes every role', () => {
    for (const p of defaultCatalogue.programmes)
      for (const r of p.staff.roles) expect(evaluateCompetence(r.competence, qualified('q'), AT, opts)).toEqual([]);
  });

  it('Forstå smerte primary: health profession, at least 1 year employed, at least 4 earlier teams as apprentice or secondary, teaching course (care-model §1, seed 004 l.767–781)', () => {
    const novice = clinician('c', {
      professions: ['SOCIAL_WORKER'],
      employmentStart: '2024-06-01',
      teamService: service(3, 'FORSTAA_SMERTE', 'secondary'),
    });
    const failures = evaluateCompetence(rule('FORSTAA_SMERTE', 'primary'), novice, AT, opts);
    expect(failures.map((f) => f.code)).toEqual([
      'FS_PRIMARY_HEALTH_PROFESSION',
      'FS_PRIMARY_EMPLOYED_1_YEAR',
      'FS_PRIMARY_4_EARLIER_TEAMS',
      'FS_TEACHING_COURSE',
    ]);
    expect(failures[1].reason).toContain('Employed since 2024-06-01.');
    expect(failures[2].reason).toContain('Recorded so far: 3 of 4.');
    for (const f of failures) expect(f.reason).toMatch(/^[A-Z].*\.$/);
  });

  it('"at least 1 year employed" is derived from the employment start, to the day (care-model §1)', () => {
    const r = rule('FORSTAA_SMERTE', 'primary');
    const c = clinician('c', {
      professions: ['NURSE'],
      employmentStart: '2024-02-03',
      competences: [['TEACHING_COURSE', '2020-01-01']],
      teamService: service(4, 'FORSTAA_SMERTE', 'apprentice'),
    });
    expect(failing(r, c, '2025-02-02T13:00:00+01:00')).toEqual(['FS_PRIMARY_EMPLOYED_1_YEAR']);
    expect(failing(r, c, '2025-02-03T13:00:00+01:00')).toEqual([]);
    expect(failing(r, clinician('c', { employmentStart: null }))).toContain('FS_PRIMARY_EMPLOYED_1_YEAR');
  });

  it('"4 earlier Forstå smerte teams" counts distinct earlier teams as apprentice or secondary only (care-model §1 decision)', () => {
    const history = [
      ...service(2, 'FORSTAA_SMERTE', 'apprentice'),
      ...service(1, 'FORSTAA_SMERTE', 'secondary'),
      ...service(3, 'FORSTAA_SMERTE', 'primary'),
      ...service(3, 'MBSR', 'apprentice'),
      { teamId: 'later', programme: 'FORSTAA_SMERTE', role: 'secondary', servedAt: '2025-03-01' },
      { teamId: 'old-FORSTAA_SMERTE-apprentice-0', programme: 'FORSTAA_SMERTE', role: 'secondary', servedAt: '2024-01-01' },
    ];
    const c = clinician('c', { teamService: history });
    expect(countEarlierTeams(c, ['FORSTAA_SMERTE'], ['apprentice', 'secondary'], AT)).toBe(3);
    expect(countEarlierTeams(c, ['FORSTAA_SMERTE'], ['apprentice', 'secondary'], '2025-04-01')).toBe(4);
  });

  it('Forstå smerte secondary: any profession, at least 6 months employed, apprentice at least once (care-model §1, seed 004 l.777–781)', () => {
    const r = rule('FORSTAA_SMERTE', 'secondary');
    expect(r.requirements.some((x) => x.kind === 'profession')).toBe(false);
    const c = clinician('c', {
      professions: ['SOCIAL_WORKER'],
      employmentStart: '2024-09-01',
      competences: [['TEACHING_COURSE', '2020-01-01']],
    });
    expect(failing(r, c)).toEqual(['FS_SECONDARY_EMPLOYED_6_MONTHS', 'FS_SECONDARY_APPRENTICE_ONCE']);
    expect(failing(r, { ...c, employmentStart: '2024-08-03', teamService: service(1, 'FORSTAA_SMERTE', 'apprentice') })).toEqual([]);
  });

  it('Livet med smerter: further education in cognitive therapy or ACT (care-model §1, seed 004 l.1312–1318)', () => {
    const r = rule('LIVET_MED_SMERTER', 'teacher');
    expect(failing(r, clinician('c'))).toEqual(['LMS_COGNITIVE_OR_ACT_EDUCATION']);
    expect(failing(r, clinician('c', { competences: [['ACT_EDUCATION', '2020-01-01']] }))).toEqual([]);
  });

  it('Afspænding: education in cognitive therapy and own experience with relaxation (care-model §1, seed 004 l.1704–1712)', () => {
    expect(failing(rule('AFSPAENDING', 'teacher'), clinician('c'))).toEqual([
      'AFSP_COGNITIVE_THERAPY_EDUCATION',
      'AFSP_RELAXATION_EXPERIENCE',
    ]);
  });

  it('MBSR: approved MBSR teacher with daily practice and a retreat that lapses after 12 months (care-model §1 decision, seed 004 l.1858–1864)', () => {
    const r = rule('MBSR', 'teacher');
    const teacher = clinician('c', {
      competences: [
        ['MBSR_TEACHER', '2019-01-01'],
        ['MBSR_DAILY_PRACTICE', '2019-01-01'],
        ['MBSR_RETREAT', '2024-03-01'],
      ],
    });
    expect(failing(r, teacher, '2025-02-28T12:00:00+01:00')).toEqual([]);
    const lapsed = evaluateCompetence(r, teacher, '2025-03-01T12:00:00+01:00', opts);
    expect(lapsed.map((f) => f.code)).toEqual(['MBSR_YEARLY_RETREAT']);
    expect(lapsed[0].reason).toContain('It lapsed on 2025-03-01.');
    expect(competentUntil(r, teacher, '2025-01-01', opts)).toBe('2025-03-01T00:00:00.000Z');
    // without the catalogue setting the retreat would never lapse: the rule lives in the data
    expect(evaluateCompetence(r, teacher, '2026-01-01', {})).toEqual([]);
    expect(failing(r, clinician('c'))).toEqual(['MBSR_APPROVED_TEACHER', 'MBSR_DAILY_PRACTICE', 'MBSR_YEARLY_RETREAT']);
  });

  it('a revoked or expired competence no longer counts', () => {
    const r = rule('LIVET_MED_SMERTER', 'teacher');
    const revoked = clinician('c', {
      competences: [{ competence: 'ACT_EDUCATION', grantedAt: '2020-01-01', expiresAt: null, revokedAt: '2025-01-01' }],
    });
    expect(failing(r, revoked)).toEqual(['LMS_COGNITIVE_OR_ACT_EDUCATION']);
    expect(failing(r, revoked, '2024-12-31')).toEqual([]);
    const expired = clinician('c', {
      competences: [{ competence: 'ACT_EDUCATION', grantedAt: '2020-01-01', expiresAt: '2024-01-01', revokedAt: null }],
    });
    expect(failing(r, expired)).toEqual(['LMS_COGNITIVE_OR_ACT_EDUCATION']);
  });

  it('HA: social worker with employment-field experience, cognitive therapy, relaxation and mindfulness (care-model §1, seed 004 l.2421–2433)', () => {
    expect(failing(rule('HA', 'teacher'), clinician('c', { professions: ['NURSE'] }))).toEqual([
      'HA_SOCIAL_WORKER',
      'HA_EMPLOYMENT_FIELD',
      'HA_COGNITIVE_THERAPY',
      'HA_RELAXATION',
      'HA_MINDFULNESS',
    ]);
  });

  it('Nedtrapning: a health professional able to run tapering and a group independently (care-model §1, seed 004 l.3299–3303)', () => {
    expect(failing(rule('NEDTRAPNING', 'therapist'), clinician('c', { professions: ['SOCIAL_WORKER'] }))).toEqual([
      'NED_HEALTH_PROFESSION',
      'NED_RUNS_TAPERING_INDEPENDENTLY',
    ]);
  });

  it('Terapihold: authorised psychologist with CBT, ACT and group-therapy experience (care-model §1, seed 004 l.3034–3040)', () => {
    expect(failing(rule('TERAPIHOLD', 'psychologist'), clinician('c', { professions: ['NURSE'] }))).toEqual([
      'TH_PSYCHOLOGIST_PROFESSION',
      'TH_AUTHORISED',
      'TH_CBT_EXPERIENCE',
      'TH_ACT_EXPERIENCE',
      'TH_GROUP_THERAPY_EXPERIENCE',
    ]);
  });
});
