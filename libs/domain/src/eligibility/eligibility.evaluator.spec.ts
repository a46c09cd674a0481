import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import { ALL_CLEAR, eligibleFor, programme } from '../team/testing/team.fixtures.js';
import { eligibilityContextFor, evaluateEligibility } from './eligibility.evaluator.js';
import type { PatientFacts } from './patient-facts.js';

const ctx = eligibilityContextFor(defaultCatalogue);
const failuresFor = (code: string, facts: PatientFacts) => evaluateEligibility(programme(code), facts, ctx);
const codes = (code: string, facts: PatientFacts) => failuresFor(code, facts).map((f) => f.code);

describe('eligibility (care-model §1 inclusion/exclusion, §5 facts)', () => {
  it.each(defaultCatalogue.programmes.map((p) => p.code))('%s accepts a patient who meets every criterion', (code) => {
    expect(failuresFor(code, eligibleFor(code))).toEqual([]);
  });

  it('Forstå smerte excludes a patient who needs an interpreter (care-model §1, seed 004 l.757–763)', () => {
    expect(codes('FORSTAA_SMERTE', { ...ALL_CLEAR, needsInterpreter: true })).toEqual(['FS_NEEDS_INTERPRETER']);
  });

  it('Livet med smerter needs motivation and willingness, and excludes language barrier, unassessed severe psychopathology and an ongoing medication trial (care-model §1, seed 004 l.1288–1310)', () => {
    const facts: PatientFacts = {
      ...ALL_CLEAR,
      motivatedFor: { LIVET_MED_SMERTER: false },
      willingToChangePainHandling: false,
      followsDanishNuances: false,
      severePsychopathology: true,
      psychopathologyAssessedByPsychologist: false,
      ongoingMedicationTrial: true,
    };
    expect(codes('LIVET_MED_SMERTER', facts)).toEqual([
      'LMS_MOTIVATED',
      'LMS_WILLING_TO_CHANGE',
      'LMS_LANGUAGE_BARRIER',
      'LMS_PSYCHOPATHOLOGY_NOT_ASSESSED',
      'LMS_MEDICATION_TRIAL',
    ]);
    expect(
      codes('LIVET_MED_SMERTER', {
        ...eligibleFor('LIVET_MED_SMERTER'),
        severePsychopathology: true,
        psychopathologyAssessedByPsychologist: true,
      }),
    ).toEqual([]);
  });

  it.each([
    ['AFSPAENDING', 'AFSP_PTSD_NOT_CLEARED'],
    ['MBSR', 'MBSR_PTSD_NOT_CLEARED'],
  ])(
    '%s: PTSD symptoms exclude until a trial session or psychologist talk clears them (care-model §1 clearance, seed 004 l.1686–1692, 1850–1856)',
    (code, criterion) => {
      const base = eligibleFor(code);
      expect(codes(code, { ...base, ptsdSymptoms: true })).toEqual([criterion]);
      expect(codes(code, { ...base, ptsdSymptoms: true, ptsdCleared: false })).toEqual([criterion]);
      expect(codes(code, { ...base, ptsdSymptoms: true, ptsdCleared: true })).toEqual([]);
    },
  );

  it('Afspænding and MBSR require having chosen that option and being motivated for it (care-model §1, seed 004 l.1668–1684, 1828–1848)', () => {
    expect(codes('AFSPAENDING', { ...ALL_CLEAR, chosenStressReduction: 'MBSR', motivatedFor: { AFSPAENDING: false } })).toEqual([
      'AFSP_CHOSEN',
      'AFSP_MOTIVATED',
    ]);
    expect(codes('MBSR', { ...ALL_CLEAR, chosenStressReduction: 'AFSPAENDING' })).toEqual(['MBSR_CHOSEN']);
  });

  it('HA needs sick-listing or an unclear employment situation, a job-centre process, motivation, homework and the social-worker visitation (care-model §1, seed 004 l.2405–2417)', () => {
    const facts: PatientFacts = {
      ...ALL_CLEAR,
      sickListed: false,
      unclearEmploymentSituation: false,
      jobCentreProcess: false,
      motivatedFor: {},
      willingToDoHomework: false,
      socialWorkerVisitationDone: false,
    };
    expect(codes('HA', facts)).toEqual([
      'HA_SICK_LISTED_OR_UNCLEAR',
      'HA_JOB_CENTRE',
      'HA_MOTIVATED',
      'HA_HOMEWORK',
      'HA_SOCIAL_VISITATION',
    ]);
    expect(codes('HA', { ...ALL_CLEAR, sickListed: false, unclearEmploymentSituation: true })).toEqual([]);
  });

  it('Nedtrapning needs opioid treatment and motivation, and excludes substance abuse (care-model §1, seed 004 l.3287–3297)', () => {
    expect(
      codes('NEDTRAPNING', { ...ALL_CLEAR, inOpioidTreatment: false, motivatedFor: { NEDTRAPNING: false }, substanceAbuse: true }),
    ).toEqual(['NED_OPIOID_TREATMENT', 'NED_MOTIVATED', 'NED_SUBSTANCE_ABUSE']);
  });

  it('Terapihold requires Forstå smerte, Livet med smerter and a stress-reduction team completed, plus a psychologist recommendation (care-model §1, seed 004 l.3054–3064, 3088–3090)', () => {
    expect(codes('TERAPIHOLD', { ...ALL_CLEAR, programmesCompleted: [], psychologistRecommendsGroup: false })).toEqual([
      'TH_COMPLETED_FORSTAA_SMERTE',
      'TH_COMPLETED_LIVET_MED_SMERTER',
      'TH_COMPLETED_STRESS_REDUCTION',
      'TH_GROUP_RECOMMENDED',
    ]);
    expect(codes('TERAPIHOLD', { ...ALL_CLEAR, programmesCompleted: ['FORSTAA_SMERTE', 'LIVET_MED_SMERTER', 'AFSPAENDING'] })).toEqual([]);
    expect(codes('TERAPIHOLD', { ...ALL_CLEAR, programmesCompleted: ['FORSTAA_SMERTE', 'LIVET_MED_SMERTER'] })).toEqual([
      'TH_COMPLETED_STRESS_REDUCTION',
    ]);
  });

  it('Terapihold lists every exclusion that applies (care-model §1, seed 004 l.3062–3084)', () => {
    const facts: PatientFacts = {
      ...ALL_CLEAR,
      pressingSocialIssues: true,
      acuteCrisis: true,
      majorDifficultyInGroups: true,
      substanceAbuse: true,
      acuteSuicideRisk: true,
      severePsychopathology: true,
      lowCognitiveFunction: true,
      needsInterpreter: true,
    };
    const failures = failuresFor('TERAPIHOLD', facts);
    expect(failures.map((f) => f.code)).toEqual([
      'TH_PRESSING_SOCIAL_ISSUES',
      'TH_ACUTE_CRISIS',
      'TH_GROUP_DIFFICULTY',
      'TH_SUBSTANCE_ABUSE',
      'TH_SUICIDE_RISK',
      'TH_SEVERE_PSYCHOPATHOLOGY',
      'TH_LOW_COGNITIVE_FUNCTION',
      'TH_NEEDS_INTERPRETER',
    ]);
    for (const f of failures) {
      expect(f).toMatchObject({ status: 'failed', side: 'exclusion' });
      expect(f.reason).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('a fact not yet recorded fails with the question to ask, so the secretary knows what to find out (decision: settings.unknownFact = fail)', () => {
    const failures = failuresFor('FORSTAA_SMERTE', {});
    expect(failures).toEqual([
      expect.objectContaining({
        code: 'FS_NEEDS_INTERPRETER',
        status: 'notRecorded',
        facts: ['needsInterpreter'],
        reason: expect.stringMatching(/^Not yet recorded: Does the patient need an interpreter\?/) as string,
      }),
    ]);
    const mbsr = failuresFor('MBSR', { chosenStressReduction: 'MBSR' });
    expect(mbsr.map((f) => [f.code, f.status])).toEqual([
      ['MBSR_MOTIVATED', 'notRecorded'],
      ['MBSR_PTSD_NOT_CLEARED', 'notRecorded'],
    ]);
    expect(mbsr[0].reason).toContain('Is the patient motivated for MBSR?');
    expect(failuresFor('TERAPIHOLD', { ...ALL_CLEAR, programmesCompleted: undefined }).map((f) => f.status)).toEqual([
      'notRecorded',
      'notRecorded',
      'notRecorded',
    ]);
  });

  it('the unknown-fact policy is data: a catalogue (or a single criterion) may let unknown facts pass', () => {
    const lenient = { ...ctx, unknownFact: 'pass' as const };
    expect(evaluateEligibility(programme('FORSTAA_SMERTE'), {}, lenient)).toEqual([]);
    const fs = programme('FORSTAA_SMERTE');
    const overridden = {
      ...fs,
      eligibility: { ...fs.eligibility, exclusion: [{ ...fs.eligibility.exclusion[0], whenUnknown: 'pass' as const }] },
    };
    expect(evaluateEligibility(overridden, {}, ctx)).toEqual([]);
  });

  it('reads custom facts another clinic declares', () => {
    const custom = {
      eligibility: {
        inclusion: [
          {
            code: 'LE_CANCER_TREATMENT_DONE',
            kind: 'requires' as const,
            fact: 'cancerTreatmentCompleted',
            reason: 'Cancer treatment must be completed.',
          },
        ],
        exclusion: [],
      },
    };
    expect(evaluateEligibility(custom, { custom: { cancerTreatmentCompleted: true } })).toEqual([]);
    expect(evaluateEligibility(custom, { custom: { cancerTreatmentCompleted: false } }).map((f) => f.code)).toEqual([
      'LE_CANCER_TREATMENT_DONE',
    ]);
  });
});
