import type { CompetenceRequirement } from '../competence/competence.types.js';
import type { EligibilityCriterion } from '../eligibility/criterion.types.js';
import type { LateJoinRule, ProgrammeDefinition, SessionTemplate, SourceRef, StaffRoleRule } from './catalogue.types.js';
import { HEALTH_PROFESSIONS, SEED_004 } from './default-vocabulary.js';

const seed = (careModel: string, from: number, to: number, decisions?: string[]): SourceRef => ({
  careModel,
  seed: { file: SEED_004, lines: [from, to] },
  ...(decisions ? { decisions } : {}),
});

/** `count` group sessions of `minutes`, `cadenceDays` apart (authoring helper; the result is plain data) */
const series = (count: number, minutes: number, cadenceDays: number, titles: readonly string[] = []): SessionTemplate[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `S${i + 1}`,
    kind: 'group' as const,
    durationMinutes: minutes,
    dayOffset: i * cadenceDays,
    ...(titles[i] ? { title: titles[i] } : {}),
  }));

/** decision (source silent): no new patient once the first session has started */
const CLOSES_AT_FIRST_SESSION: LateJoinRule = { sessionNumber: 1, hoursBefore: 0 };
const LATE_JOIN_DECISION = 'late joiners: no new patient after the first session has started (lateJoin)';

const teacherRole = (count: number, code: string, requirements: CompetenceRequirement[]): StaffRoleRule => ({
  role: 'teacher',
  count,
  name: { da: 'Underviser', en: 'Teacher' },
  competence: { code, requirements },
});

const teachingCourse: CompetenceRequirement = {
  code: 'FS_TEACHING_COURSE',
  kind: 'competence',
  anyOf: ['TEACHING_COURSE'],
  reason: 'Teachers on Forstå smerte must have taken part in a course on teaching.',
};

const motivated = (code: string, programme: string, reason: string): EligibilityCriterion => ({
  code,
  kind: 'requires',
  fact: 'motivatedFor',
  key: programme,
  reason,
});

const ptsdClearance = (code: string, programme: string): EligibilityCriterion => ({
  code,
  kind: 'requiresClearance',
  fact: 'ptsdSymptoms',
  clearedBy: 'ptsdCleared',
  reason: `The patient has PTSD or PTSD-like symptoms; a documented trial session or a talk with a psychologist must clear them before ${programme}.`,
});

const noApprenticeLimit = { allowed: true, max: null } as const;

export const FORSTAA_SMERTE: ProgrammeDefinition = {
  code: 'FORSTAA_SMERTE',
  name: { da: 'Forstå smerte', en: 'Understanding pain' },
  description: "Pain education; the patient's first physical visit to the centre.",
  seats: 25,
  sessionPlan: { cadence: { kind: 'once' }, sessions: series(1, 90, 0), perPatient: [] },
  staff: {
    roles: [
      {
        role: 'primary',
        count: 1,
        name: { da: 'Primær holdbehandler', en: 'Primary team therapist' },
        competence: {
          code: 'FS_PRIMARY',
          requirements: [
            {
              code: 'FS_PRIMARY_HEALTH_PROFESSION',
              kind: 'profession',
              anyOf: HEALTH_PROFESSIONS,
              reason: 'The primary therapist on Forstå smerte must have a health-professional education.',
            },
            {
              code: 'FS_PRIMARY_EMPLOYED_1_YEAR',
              kind: 'employedFor',
              months: 12,
              reason: 'The primary therapist on Forstå smerte must have been employed at the centre for at least one year.',
            },
            {
              code: 'FS_PRIMARY_4_EARLIER_TEAMS',
              kind: 'teamService',
              programmes: ['FORSTAA_SMERTE'],
              roles: ['apprentice', 'secondary'],
              atLeast: 4,
              reason:
                'The primary therapist on Forstå smerte must have taken part in at least 4 earlier Forstå smerte teams as apprentice or secondary therapist.',
            },
            teachingCourse,
          ],
        },
      },
      {
        role: 'secondary',
        count: 1,
        name: { da: 'Sekundær holdbehandler', en: 'Secondary team therapist' },
        competence: {
          code: 'FS_SECONDARY',
          requirements: [
            {
              code: 'FS_SECONDARY_EMPLOYED_6_MONTHS',
              kind: 'employedFor',
              months: 6,
              reason: 'The secondary therapist on Forstå smerte must have been employed at the centre for at least six months.',
            },
            {
              code: 'FS_SECONDARY_APPRENTICE_ONCE',
              kind: 'teamService',
              programmes: ['FORSTAA_SMERTE'],
              roles: ['apprentice'],
              atLeast: 1,
              reason: 'The secondary therapist on Forstå smerte must have taken part as apprentice at least once.',
            },
            teachingCourse,
          ],
        },
      },
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [],
    exclusion: [
      {
        code: 'FS_NEEDS_INTERPRETER',
        kind: 'excludes',
        fact: 'needsInterpreter',
        reason: 'The patient needs an interpreter, and Forstå smerte is taught in Danish without one.',
      },
    ],
  },
  relatives: { perPatient: 1, minAge: 18, takesSeat: false },
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 670, 791, [
    LATE_JOIN_DECISION,
    'primary therapist: at least 4 earlier Forstå smerte teams as apprentice or secondary, counted from the team history (source: 4–6 times)',
    'teachers must have taken part in a course on teaching (seed 004 l.767–773; not in the care-model table)',
  ]),
};

export const LIVET_MED_SMERTER: ProgrammeDefinition = {
  code: 'LIVET_MED_SMERTER',
  name: { da: 'Livet med smerter', en: 'Living with pain' },
  description: 'CBT pain-management programme.',
  seats: 16,
  sessionPlan: {
    cadence: { kind: 'every', days: 7 },
    sessions: series(4, 120, 7, ['Smerteregulering', 'Tanker', 'Adfærd', 'Stressreduktion']),
    perPatient: [],
  },
  staff: {
    roles: [
      teacherRole(2, 'LMS_TEACHER', [
        {
          code: 'LMS_COGNITIVE_OR_ACT_EDUCATION',
          kind: 'competence',
          anyOf: ['COGNITIVE_THERAPY_EDUCATION', 'ACT_EDUCATION'],
          reason: 'Teachers on Livet med smerter must have further education in cognitive therapy or ACT.',
        },
      ]),
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      motivated('LMS_MOTIVATED', 'LIVET_MED_SMERTER', 'The patient must be motivated to learn about their own pain condition.'),
      {
        code: 'LMS_WILLING_TO_CHANGE',
        kind: 'requires',
        fact: 'willingToChangePainHandling',
        reason: 'The patient must be willing to work on concrete changes in how they handle their pain.',
      },
    ],
    exclusion: [
      {
        code: 'LMS_LANGUAGE_BARRIER',
        kind: 'requires',
        fact: 'followsDanishNuances',
        reason: 'The patient must be able to follow the nuances of spoken Danish.',
      },
      {
        code: 'LMS_PSYCHOPATHOLOGY_NOT_ASSESSED',
        kind: 'requiresClearance',
        fact: 'severePsychopathology',
        clearedBy: 'psychopathologyAssessedByPsychologist',
        reason: 'The patient has severe psychopathology that a psychologist has not yet assessed and discussed with them.',
      },
      {
        code: 'LMS_MEDICATION_TRIAL',
        kind: 'excludes',
        fact: 'ongoingMedicationTrial',
        reason: 'The patient is in an ongoing medication trial.',
      },
    ],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 1193, 1475, ['seats: 16 (source silent)', 'staff: 2 teachers (source silent)', LATE_JOIN_DECISION]),
};

export const AFSPAENDING: ProgrammeDefinition = {
  code: 'AFSPAENDING',
  name: { da: 'Afspænding', en: 'Relaxation' },
  description: 'Relaxation; stress reduction option A.',
  seats: 15,
  sessionPlan: { cadence: { kind: 'every', days: 7 }, sessions: series(5, 150, 7), perPatient: [] },
  staff: {
    roles: [
      teacherRole(2, 'AFSP_TEACHER', [
        {
          code: 'AFSP_COGNITIVE_THERAPY_EDUCATION',
          kind: 'competence',
          anyOf: ['COGNITIVE_THERAPY_EDUCATION'],
          reason: 'Teachers on Afspænding must have education in cognitive therapy.',
        },
        {
          code: 'AFSP_RELAXATION_EXPERIENCE',
          kind: 'competence',
          anyOf: ['RELAXATION_EXPERIENCE'],
          reason: 'Teachers on Afspænding must have their own experience with relaxation.',
        },
      ]),
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      {
        code: 'AFSP_CHOSEN',
        kind: 'requires',
        fact: 'chosenStressReduction',
        equals: 'AFSPAENDING',
        reason: 'The patient must have chosen Afspænding as their stress-reduction team.',
      },
      motivated('AFSP_MOTIVATED', 'AFSPAENDING', 'The patient must be motivated for relaxation.'),
    ],
    exclusion: [ptsdClearance('AFSP_PTSD_NOT_CLEARED', 'Afspænding')],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 1581, 1722, ['cadence: weekly (source silent)', 'seats 15 is the room size', LATE_JOIN_DECISION]),
};

const MBSR_THEMES = [
  'Orientering',
  'Mindful opmærksomhed',
  'Perception',
  'Bevidst nærvær',
  'Perception og stressreaktivitet',
  'Stressreaktivitet og stressrespons',
  'Stressende kommunikation og interpersonel mindfulness',
  'Adaptive og maladaptive valg',
  'Den videre mindfulness praksis',
];

export const MBSR: ProgrammeDefinition = {
  code: 'MBSR',
  name: { da: 'Mindfulness (MBSR)', en: 'Mindfulness-based stress reduction' },
  description: 'Mindfulness-based stress reduction; stress reduction option B.',
  seats: 18,
  sessionPlan: {
    cadence: { kind: 'every', days: 7 },
    sessions: [
      ...series(7, 150, 7, MBSR_THEMES),
      // the silent retreat day follows themed session 6 (S7), before themed session 7 (S8)
      { key: 'RETREAT', kind: 'retreat', title: 'Stilhedsretreat', durationMinutes: 360, dayOffset: 47, localStartTime: '09:00' },
      ...series(9, 150, 7, MBSR_THEMES).slice(7),
    ],
    perPatient: [
      { key: 'MBSR_INDIVIDUAL_TALK', durationMinutes: 30, givenByRole: 'teacher', timing: 'during the programme (seed 004 l.1800–1804)' },
    ],
  },
  staff: {
    roles: [
      teacherRole(2, 'MBSR_TEACHER', [
        {
          code: 'MBSR_APPROVED_TEACHER',
          kind: 'competence',
          anyOf: ['MBSR_TEACHER'],
          reason: 'Teachers on Mindfulness must be MBSR teachers approved by the Danish Center for Mindfulness.',
        },
        {
          code: 'MBSR_DAILY_PRACTICE',
          kind: 'competence',
          anyOf: ['MBSR_DAILY_PRACTICE'],
          reason: 'MBSR teachers must keep a daily practice of their own.',
        },
        {
          code: 'MBSR_YEARLY_RETREAT',
          kind: 'competence',
          anyOf: ['MBSR_RETREAT'],
          reason: 'MBSR teachers must have attended a retreat within the last year.',
        },
      ]),
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      {
        code: 'MBSR_CHOSEN',
        kind: 'requires',
        fact: 'chosenStressReduction',
        equals: 'MBSR',
        reason: 'The patient must have chosen Mindfulness as their stress-reduction team.',
      },
      motivated('MBSR_MOTIVATED', 'MBSR', 'The patient must be motivated for mindfulness.'),
    ],
    exclusion: [ptsdClearance('MBSR_PTSD_NOT_CLEARED', 'Mindfulness')],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 1723, 1878, [
    'the 9 sessions are an orientation (S1) plus the 8 themes of Table 4 (S2–S9); the retreat follows themed session 6 (S7)',
    'retreat: 5 days after S7, 09:00–15:00 local time',
    'the MBSR retreat is a dated competence that lapses after settings.competenceValidityMonths.MBSR_RETREAT months',
    LATE_JOIN_DECISION,
  ]),
};

export const HA: ProgrammeDefinition = {
  code: 'HA',
  name: { da: 'Helbred og arbejdsmarked', en: 'Health and labour market' },
  description: 'Health and labour-market programme; ends the standard course.',
  seats: 10,
  sessionPlan: { cadence: { kind: 'every', days: 7 }, sessions: series(4, 150, 7), perPatient: [] },
  staff: {
    roles: [
      teacherRole(2, 'HA_TEACHER', [
        {
          code: 'HA_SOCIAL_WORKER',
          kind: 'profession',
          anyOf: ['SOCIAL_WORKER'],
          reason: 'Teachers on Helbred og arbejdsmarked must be trained social workers.',
        },
        {
          code: 'HA_EMPLOYMENT_FIELD',
          kind: 'competence',
          anyOf: ['EMPLOYMENT_FIELD_EXPERIENCE'],
          reason: 'Teachers on Helbred og arbejdsmarked must have experience in the employment field.',
        },
        {
          code: 'HA_COGNITIVE_THERAPY',
          kind: 'competence',
          anyOf: ['COGNITIVE_THERAPY_EDUCATION'],
          reason: 'Teachers on Helbred og arbejdsmarked must have further education in cognitive therapy.',
        },
        {
          code: 'HA_RELAXATION',
          kind: 'competence',
          anyOf: ['RELAXATION_EXPERIENCE'],
          reason: 'Teachers on Helbred og arbejdsmarked must have experience with relaxation.',
        },
        {
          code: 'HA_MINDFULNESS',
          kind: 'competence',
          anyOf: ['MINDFULNESS_EXPERIENCE'],
          reason: 'Teachers on Helbred og arbejdsmarked must have experience with mindfulness.',
        },
      ]),
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      {
        code: 'HA_SICK_LISTED_OR_UNCLEAR',
        kind: 'requiresAny',
        facts: [{ fact: 'sickListed' }, { fact: 'unclearEmploymentSituation' }],
        reason: 'The patient must be sick-listed or have an unclear employment situation.',
      },
      {
        code: 'HA_JOB_CENTRE',
        kind: 'requires',
        fact: 'jobCentreProcess',
        reason: 'The patient must be in, or need, a process with the municipal job centre.',
      },
      motivated('HA_MOTIVATED', 'HA', 'The patient must be prepared to work on themselves and their ability to cope.'),
      {
        code: 'HA_HOMEWORK',
        kind: 'requires',
        fact: 'willingToDoHomework',
        reason: 'The patient must be motivated to spend time on homework.',
      },
      {
        code: 'HA_SOCIAL_VISITATION',
        kind: 'requires',
        fact: 'socialWorkerVisitationDone',
        reason: 'The patient must have had the social-worker visitation.',
      },
    ],
    exclusion: [],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 2290, 2453, ['staff: 2 teachers (source silent)', LATE_JOIN_DECISION]),
};

export const NEDTRAPNING: ProgrammeDefinition = {
  code: 'NEDTRAPNING',
  name: { da: 'Nedtrapningshold', en: 'Opioid tapering group' },
  description: 'Opioid tapering with peer support; a patient may continue on a new team.',
  seats: 5,
  sessionPlan: { cadence: { kind: 'every', days: 14 }, sessions: series(5, 150, 14), perPatient: [] },
  staff: {
    roles: [
      {
        role: 'therapist',
        count: 1,
        name: { da: 'Holdbehandler', en: 'Team therapist' },
        competence: {
          code: 'NED_THERAPIST',
          requirements: [
            {
              code: 'NED_HEALTH_PROFESSION',
              kind: 'profession',
              anyOf: HEALTH_PROFESSIONS,
              reason: 'The therapist on Nedtrapning must have a health-professional education.',
            },
            {
              code: 'NED_RUNS_TAPERING_INDEPENDENTLY',
              kind: 'competence',
              anyOf: ['TAPERING_GROUP_INDEPENDENT'],
              reason: 'The therapist on Nedtrapning must be able to run tapering and a group independently.',
            },
          ],
        },
      },
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      { code: 'NED_OPIOID_TREATMENT', kind: 'requires', fact: 'inOpioidTreatment', reason: 'The patient must be in opioid treatment.' },
      motivated('NED_MOTIVATED', 'NEDTRAPNING', 'The patient must be motivated for tapering.'),
    ],
    exclusion: [{ code: 'NED_SUBSTANCE_ABUSE', kind: 'excludes', fact: 'substanceAbuse', reason: 'The patient has a substance abuse.' }],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 3231, 3309, [LATE_JOIN_DECISION]),
};

const therapyExclusion = (code: string, fact: string, reason: string): EligibilityCriterion => ({ code, kind: 'excludes', fact, reason });

export const TERAPIHOLD: ProgrammeDefinition = {
  code: 'TERAPIHOLD',
  name: { da: 'Terapihold', en: 'ACT group therapy' },
  description: 'ACT group therapy for psychological barriers after the standard course.',
  seats: 10,
  sessionPlan: {
    cadence: { kind: 'every', days: 7 },
    sessions: series(8, 150, 7, [
      'Introduktion og kreativ håbløshed',
      'Villighed',
      'Defusion',
      'Kontakt med nuet',
      'Selvet som kontekst',
      'Værdier',
      'Engageret handling',
      'Opsamling og afrunding',
    ]),
    perPatient: [],
  },
  staff: {
    roles: [
      {
        role: 'psychologist',
        count: 2,
        name: { da: 'Psykolog', en: 'Psychologist' },
        competence: {
          code: 'TH_PSYCHOLOGIST',
          requirements: [
            {
              code: 'TH_PSYCHOLOGIST_PROFESSION',
              kind: 'profession',
              anyOf: ['PSYCHOLOGIST'],
              reason: 'Therapists on Terapihold must be psychologists.',
            },
            {
              code: 'TH_AUTHORISED',
              kind: 'competence',
              anyOf: ['PSYCHOLOGIST_AUTHORISATION'],
              reason: 'Therapists on Terapihold must be authorised psychologists (cand.psych.aut.).',
            },
            {
              code: 'TH_CBT_EXPERIENCE',
              kind: 'competence',
              anyOf: ['CBT_EXPERIENCE'],
              reason: 'Therapists on Terapihold must have thorough knowledge of and experience with CBT.',
            },
            {
              code: 'TH_ACT_EXPERIENCE',
              kind: 'competence',
              anyOf: ['ACT_EXPERIENCE'],
              reason: 'Therapists on Terapihold must have thorough knowledge of and experience with ACT.',
            },
            {
              code: 'TH_GROUP_THERAPY_EXPERIENCE',
              kind: 'competence',
              anyOf: ['GROUP_THERAPY_EXPERIENCE'],
              reason: 'Therapists on Terapihold must have experience with group therapy.',
            },
          ],
        },
      },
    ],
    apprentices: noApprenticeLimit,
  },
  eligibility: {
    inclusion: [
      {
        code: 'TH_PSYCHOLOGICAL_PROBLEMS',
        kind: 'requires',
        fact: 'psychologicalProblemsImpairFunction',
        reason: "The patient's handling of pain must be challenged by psychological problems with a real impact on their function.",
      },
      {
        code: 'TH_COMPLETED_FORSTAA_SMERTE',
        kind: 'requiresCompleted',
        anyOf: ['FORSTAA_SMERTE'],
        reason: 'The patient must have completed Forstå smerte.',
      },
      {
        code: 'TH_COMPLETED_LIVET_MED_SMERTER',
        kind: 'requiresCompleted',
        anyOf: ['LIVET_MED_SMERTER'],
        reason: 'The patient must have completed Livet med smerter.',
      },
      {
        code: 'TH_COMPLETED_STRESS_REDUCTION',
        kind: 'requiresCompleted',
        anyOf: ['AFSPAENDING', 'MBSR'],
        reason: 'The patient must have completed a stress-reduction team (Afspænding or Mindfulness).',
      },
      {
        code: 'TH_GROUP_RECOMMENDED',
        kind: 'requires',
        fact: 'psychologistRecommendsGroup',
        reason: 'The psychologist visitation must recommend therapy in a group.',
      },
      motivated('TH_MOTIVATED', 'TERAPIHOLD', 'The patient must be motivated and willing to take part in a therapeutic course.'),
    ],
    exclusion: [
      therapyExclusion(
        'TH_PRESSING_SOCIAL_ISSUES',
        'pressingSocialIssues',
        'The patient has pressing social issues that are not yet addressed.',
      ),
      therapyExclusion('TH_ACUTE_CRISIS', 'acuteCrisis', 'The patient is in an acute crisis.'),
      therapyExclusion('TH_GROUP_DIFFICULTY', 'majorDifficultyInGroups', 'The patient has major difficulty being in a group.'),
      therapyExclusion('TH_SUBSTANCE_ABUSE', 'substanceAbuse', 'The patient has an ongoing substance abuse.'),
      therapyExclusion('TH_SUICIDE_RISK', 'acuteSuicideRisk', 'The patient is at acute risk of suicide.'),
      therapyExclusion('TH_SEVERE_PSYCHOPATHOLOGY', 'severePsychopathology', 'The patient has severe psychopathology, or it is suspected.'),
      therapyExclusion(
        'TH_LOW_COGNITIVE_FUNCTION',
        'lowCognitiveFunction',
        'The patient has low cognitive function or a brain injury affecting cognition.',
      ),
      therapyExclusion('TH_NEEDS_INTERPRETER', 'needsInterpreter', 'The patient needs an interpreter.'),
    ],
  },
  relatives: null,
  lateJoin: CLOSES_AT_FIRST_SESSION,
  source: seed('§1', 2919, 3092, ['cadence: weekly (source silent)', 'staff: 2 psychologists (source silent)', LATE_JOIN_DECISION]),
};

export const defaultProgrammes: readonly ProgrammeDefinition[] = [
  FORSTAA_SMERTE,
  LIVET_MED_SMERTER,
  AFSPAENDING,
  MBSR,
  HA,
  NEDTRAPNING,
  TERAPIHOLD,
];
