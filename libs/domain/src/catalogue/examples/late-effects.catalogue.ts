import type { Catalogue, SourceRef } from '../catalogue.types.js';

const src: SourceRef = { careModel: 'late-effects clinic handbook §2' };

/**
 * A complete, valid catalogue of a second clinic (a late-effects clinic): its own professions,
 * competences, facts, programme, intervention, pathway and settings; nothing in code knows about it.
 * The OpenAPI example of PUT /catalogues/{clinicId} and the fixture of the tests that prove a second
 * clinic needs no code changes.
 */
export const lateEffectsCatalogue: Catalogue = {
  clinicId: 'senfoelgeklinik',
  version: 1,
  name: { da: 'Senfølgeklinikken', en: 'Late-effects clinic' },
  professions: [
    { code: 'NURSE', name: { da: 'Sygeplejerske', en: 'Nurse' }, healthProfessional: true },
    { code: 'OCCUPATIONAL_THERAPIST', name: { da: 'Ergoterapeut', en: 'Occupational therapist' }, healthProfessional: true },
  ],
  competences: [{ code: 'FATIGUE_COURSE', name: { da: 'Kursus i træthedshåndtering', en: 'Fatigue-management course' } }],
  facts: [
    { name: 'cancerTreatmentCompleted', type: 'boolean', question: 'Has the cancer treatment been completed?' },
    { name: 'motivatedFor', type: 'keyedBoolean', question: 'Is the patient motivated for {key}?' },
  ],
  settings: {
    timeZone: 'Europe/Copenhagen',
    offerHoldHours: 72,
    visitationDeadlineHours: 72,
    visitationClockResetsOnHold: false,
    competenceValidityMonths: { FATIGUE_COURSE: 24 },
    waitlist: { tieBreak: 'courseId', autoOfferFreedSeats: true },
    unknownFact: 'fail',
    roomPeopleCap: null,
  },
  interventions: [
    {
      code: 'FIRST_TALK',
      name: { da: 'Første samtale', en: 'First talk' },
      description: 'Assessment of late effects.',
      durationMinutes: 60,
      sessions: { min: 1, max: 1 },
      who: { mode: 'any', professions: ['NURSE'] },
      timing: { kind: 'deadline', anchor: { kind: 'referralReceived' }, within: { value: 3, unit: 'weeks' } },
      source: src,
    },
  ],
  programmes: [
    {
      code: 'FATIGUE',
      name: { da: 'Træthedshold', en: 'Fatigue group' },
      description: 'Fatigue management after cancer.',
      seats: 8,
      sessionPlan: {
        cadence: { kind: 'every', days: 7 },
        sessions: [
          { key: 'F1', kind: 'group', durationMinutes: 120, dayOffset: 0 },
          { key: 'F2', kind: 'group', durationMinutes: 120, dayOffset: 7 },
          { key: 'F3', kind: 'group', durationMinutes: 120, dayOffset: 14 },
        ],
        perPatient: [],
      },
      staff: {
        roles: [
          {
            role: 'lead',
            count: 1,
            name: { da: 'Holdleder', en: 'Group lead' },
            competence: {
              code: 'FATIGUE_LEAD',
              requirements: [
                {
                  code: 'FATIGUE_LEAD_OT',
                  kind: 'profession',
                  anyOf: ['OCCUPATIONAL_THERAPIST'],
                  reason: 'The group lead must be an occupational therapist.',
                },
                {
                  code: 'FATIGUE_LEAD_COURSE',
                  kind: 'competence',
                  anyOf: ['FATIGUE_COURSE'],
                  reason: 'The group lead must have taken the fatigue-management course within two years.',
                },
              ],
            },
          },
        ],
        apprentices: { allowed: false, max: 0 },
      },
      eligibility: {
        inclusion: [
          {
            code: 'FATIGUE_TREATMENT_DONE',
            kind: 'requires',
            fact: 'cancerTreatmentCompleted',
            reason: 'The cancer treatment must be completed before the fatigue group.',
          },
          {
            code: 'FATIGUE_MOTIVATED',
            kind: 'requires',
            fact: 'motivatedFor',
            key: 'FATIGUE',
            reason: 'The patient must be motivated for the fatigue group.',
          },
        ],
        exclusion: [],
      },
      relatives: null,
      lateJoin: { sessionNumber: 2, hoursBefore: 0 },
      source: src,
    },
  ],
  pathway: {
    code: 'SENFOELGER_STANDARD',
    version: 1,
    name: { da: 'Senfølgeforløb', en: 'Late-effects course' },
    timeZone: 'Europe/Copenhagen',
    windowPolicy: 'flag',
    windowWarning: { value: 3, unit: 'days' },
    source: src,
    referral: {
      requiredContent: [{ code: 'CANCER_HISTORY', label: 'cancer history' }],
      visitationWithin: { value: 72, unit: 'hours' },
      criteriaSet: {
        code: 'SENFOELGER',
        version: '2025',
        criteria: [{ code: 'LATE_EFFECTS', text: 'late effects after cancer' }],
        source: src,
      },
      source: src,
    },
    exclusion: { assessedAt: 'FIRST_TALK', reasons: [{ code: 'NOT_MOTIVATED', label: 'not motivated' }], source: src },
    microteam: { roles: ['NURSE'], singleHolderRoles: ['NURSE'], initialCoordinator: 'SECRETARY', source: src },
    steps: [
      {
        kind: 'intervention',
        code: 'FIRST_TALK',
        intervention: 'FIRST_TALK',
        name: { da: 'Første samtale', en: 'First talk' },
        source: src,
      },
      {
        kind: 'programme',
        code: 'FATIGUE',
        programme: 'FATIGUE',
        name: { da: 'Træthedshold', en: 'Fatigue group' },
        final: true,
        source: src,
      },
    ],
  },
  source: src,
};
