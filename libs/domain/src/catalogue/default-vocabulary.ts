import type { CompetenceDefinition, FactDefinition, ProfessionDefinition } from './catalogue.types.js';

export const SEED_004 = '004_d025392005236645.txt';

export const defaultProfessions: readonly ProfessionDefinition[] = [
  { code: 'DOCTOR', name: { da: 'Læge', en: 'Doctor' }, healthProfessional: true },
  { code: 'NURSE', name: { da: 'Sygeplejerske', en: 'Nurse' }, healthProfessional: true },
  { code: 'PHYSIOTHERAPIST', name: { da: 'Fysioterapeut', en: 'Physiotherapist' }, healthProfessional: true },
  { code: 'PSYCHOLOGIST', name: { da: 'Psykolog', en: 'Psychologist' }, healthProfessional: true },
  { code: 'SOCIAL_WORKER', name: { da: 'Socialrådgiver', en: 'Social worker' }, healthProfessional: false },
];

export const HEALTH_PROFESSIONS = defaultProfessions.filter((p) => p.healthProfessional).map((p) => p.code);

export const defaultCompetences: readonly CompetenceDefinition[] = [
  { code: 'TEACHING_COURSE', name: { da: 'Kursus i undervisning', en: 'Course in teaching' } },
  { code: 'COGNITIVE_THERAPY_EDUCATION', name: { da: 'Uddannelse i kognitiv terapi', en: 'Education in cognitive therapy' } },
  { code: 'ACT_EDUCATION', name: { da: 'Efteruddannelse i ACT', en: 'Further education in ACT' } },
  { code: 'RELAXATION_EXPERIENCE', name: { da: 'Egen erfaring med afspænding', en: 'Own experience with relaxation' } },
  { code: 'MINDFULNESS_EXPERIENCE', name: { da: 'Erfaring med mindfulness', en: 'Experience with mindfulness' } },
  {
    code: 'MBSR_TEACHER',
    name: { da: 'Godkendt MBSR-lærer (Dansk Center for Mindfulness)', en: 'Approved MBSR teacher (Danish Center for Mindfulness)' },
  },
  { code: 'MBSR_DAILY_PRACTICE', name: { da: 'Daglig mindfulnesspraksis', en: 'Daily mindfulness practice' } },
  { code: 'MBSR_RETREAT', name: { da: 'Årligt retreat', en: 'Yearly retreat' } },
  { code: 'EMPLOYMENT_FIELD_EXPERIENCE', name: { da: 'Erfaring fra beskæftigelsesområdet', en: 'Experience in the employment field' } },
  {
    code: 'TAPERING_GROUP_INDEPENDENT',
    name: { da: 'Kan varetage nedtrapning og holdforløb selvstændigt', en: 'Runs tapering and a group independently' },
  },
  {
    code: 'PSYCHOLOGIST_AUTHORISATION',
    name: { da: 'Autoriseret psykolog (cand.psych.aut.)', en: 'Authorised psychologist (cand.psych.aut.)' },
  },
  {
    code: 'CBT_EXPERIENCE',
    name: { da: 'Indgående kendskab til og erfaring med CBT', en: 'Thorough knowledge of and experience with CBT' },
  },
  {
    code: 'ACT_EXPERIENCE',
    name: { da: 'Indgående kendskab til og erfaring med ACT', en: 'Thorough knowledge of and experience with ACT' },
  },
  { code: 'GROUP_THERAPY_EXPERIENCE', name: { da: 'Erfaring med gruppeterapi', en: 'Experience with group therapy' } },
];

/** The facts of care-model §5 with the question a secretary asks while one is not yet recorded. */
export const defaultFacts: readonly FactDefinition[] = [
  { name: 'needsInterpreter', type: 'boolean', question: 'Does the patient need an interpreter?' },
  { name: 'followsDanishNuances', type: 'boolean', question: 'Can the patient follow the nuances of spoken Danish?' },
  { name: 'inOpioidTreatment', type: 'boolean', question: 'Is the patient in opioid treatment?' },
  { name: 'substanceAbuse', type: 'boolean', question: 'Does the patient have a substance abuse?' },
  { name: 'ptsdSymptoms', type: 'boolean', question: 'Does the patient have PTSD or PTSD-like symptoms?' },
  { name: 'ptsdCleared', type: 'boolean', question: 'Has a trial session or a psychologist talk cleared the PTSD symptoms?' },
  { name: 'severePsychopathology', type: 'boolean', question: 'Does the patient have severe psychopathology, or is it suspected?' },
  {
    name: 'psychopathologyAssessedByPsychologist',
    type: 'boolean',
    question: 'Has a psychologist assessed and discussed the psychopathology?',
  },
  { name: 'ongoingMedicationTrial', type: 'boolean', question: 'Is a medication trial ongoing?' },
  { name: 'sickListed', type: 'boolean', question: 'Is the patient sick-listed?' },
  { name: 'unclearEmploymentSituation', type: 'boolean', question: "Is the patient's employment situation unclear?" },
  { name: 'jobCentreProcess', type: 'boolean', question: 'Is the patient in, or in need of, a process with the job centre?' },
  { name: 'socialWorkerVisitationDone', type: 'boolean', question: 'Has the patient had the social-worker visitation?' },
  { name: 'acuteSuicideRisk', type: 'boolean', question: 'Is the patient at acute risk of suicide?' },
  { name: 'lowCognitiveFunction', type: 'boolean', question: 'Does the patient have low cognitive function or a brain injury?' },
  { name: 'acuteCrisis', type: 'boolean', question: 'Is the patient in an acute crisis?' },
  { name: 'motivatedFor', type: 'keyedBoolean', question: 'Is the patient motivated for {key}?' },
  { name: 'chosenStressReduction', type: 'code', question: 'Has the patient chosen Afspænding or Mindfulness?' },
  { name: 'programmesCompleted', type: 'codeList', question: 'Which programmes has the patient completed?' },
  { name: 'willingToChangePainHandling', type: 'boolean', question: 'Is the patient willing to change how they handle their pain?' },
  { name: 'willingToDoHomework', type: 'boolean', question: 'Is the patient willing to spend time on homework?' },
  {
    name: 'psychologicalProblemsImpairFunction',
    type: 'boolean',
    question: 'Do psychological problems challenge how the patient handles the pain, with a real impact on function?',
  },
  { name: 'psychologistRecommendsGroup', type: 'boolean', question: 'Has the psychologist visitation recommended therapy in a group?' },
  { name: 'pressingSocialIssues', type: 'boolean', question: 'Does the patient have pressing social issues that are not yet addressed?' },
  { name: 'majorDifficultyInGroups', type: 'boolean', question: 'Does the patient have major difficulty being in a group?' },
];
