import { standardPathway } from './default-pathway.js';
import { present } from '../shared/testing/index.js';
import { defaultCatalogue } from './default.catalogue.js';
import { prerequisitesOf, stepByCode, validatePathway, type PathwayDefinition, type PathwayStep } from './pathway.js';

const codes = (failures: { code: string }[]) => failures.map((f) => f.code);
const withSteps = (steps: PathwayStep[]): PathwayDefinition => ({ ...standardPathway, steps });
const step = (code: string, extra: Partial<PathwayStep> = {}): PathwayStep =>
  ({ kind: 'intervention', code, intervention: code, name: { da: code, en: code }, source: { careModel: '§3' }, ...extra }) as PathwayStep;

describe('the standard course as data (care-model §3)', () => {
  it('is a valid pathway and agrees with the default catalogue (programmes, interventions, deadline, time zone)', () => {
    expect(validatePathway(standardPathway)).toEqual([]);
    expect(validatePathway(standardPathway, defaultCatalogue)).toEqual([]);
  });

  it('runs the standard course in the order of care-model §3 steps 3–11', () => {
    expect(standardPathway.steps.filter((s) => !s.optional).map((s) => s.code)).toEqual([
      'KORT_PRIMAERSAMTALE',
      'FORSTAA_SMERTE',
      'LANG_PRIMAERSAMTALE',
      'LIVET_MED_SMERTER',
      'NURSE_FOLLOWUP_1',
      'STRESS_REDUCTION',
      'NURSE_FOLLOWUP_2',
      'CONFERENCE',
      'CLOSING_TALK',
    ]);
    expect(standardPathway.steps.filter((s) => s.final).map((s) => s.code)).toEqual(['CLOSING_TALK']);
  });

  it('offers the add-ons of care-model §3 step 5 and 10 as optional steps', () => {
    expect(
      standardPathway.steps
        .filter((s) => s.optional)
        .map((s) => s.code)
        .sort(),
    ).toEqual(
      [
        'CFT',
        'HA',
        'INDIVIDUAL_THERAPY',
        'MEDICATION_COURSE',
        'NEDTRAPNING',
        'PHYSIO_VISITATION',
        'PSYCH_VISITATION',
        'PSYCH_VISITATION_THERAPY',
        'SOCIAL_VISITATION',
        'TERAPIHOLD',
      ].sort(),
    );
  });

  it('the stress-reduction step is a choice of Afspænding or MBSR made at nurse follow-up 1 (care-model §3 steps 7–8, seed 004 l.1515–1517)', () => {
    expect(stepByCode(standardPathway, 'STRESS_REDUCTION')).toMatchObject({
      kind: 'choice',
      options: ['AFSPAENDING', 'MBSR'],
      chosenAt: 'NURSE_FOLLOWUP_1',
      fact: 'chosenStressReduction',
    });
  });

  it.each([
    ['LANG_PRIMAERSAMTALE', { kind: 'step', step: 'FORSTAA_SMERTE', edge: 'end' }, 7, 14, 'days'],
    ['NURSE_FOLLOWUP_1', { kind: 'step', step: 'LIVET_MED_SMERTER', edge: 'end' }, 7, 14, 'days'],
    ['NURSE_FOLLOWUP_2', { kind: 'step', step: 'STRESS_REDUCTION', edge: 'end' }, 7, 14, 'days'],
    ['CLOSING_TALK', { kind: 'lastStep' }, 14, 28, 'days'],
  ])('%s has its timing window as data (care-model §2 timing column)', (code, after, from, to, unit) => {
    expect(present(stepByCode(standardPathway, code)).window).toMatchObject({
      after,
      from: { value: from, unit },
      to: { value: to, unit },
    });
  });

  it('the closing-talk window is marked as a decision, and visitation is due within 48 hours of receipt (care-model §2, §6)', () => {
    expect(present(present(stepByCode(standardPathway, 'CLOSING_TALK')).window).source.decisions?.join(' ')).toMatch(/2–4 weeks/);
    expect(standardPathway.referral.visitationWithin).toEqual({ value: 48, unit: 'hours' });
    expect(standardPathway.referral.source.seed?.file).toBe('003_4dba22924d30146e.txt');
  });

  it('cites a source for every step and window', () => {
    for (const s of standardPathway.steps) {
      expect(s.source.seed?.lines[0]).toBeGreaterThan(0);
      if (s.window) expect(s.window.source.seed?.lines[0]).toBeGreaterThan(0);
    }
  });

  it('a step waits for the nearest earlier required step unless it names its own prerequisites', () => {
    expect(prerequisitesOf(standardPathway, 'LIVET_MED_SMERTER')).toEqual(['LANG_PRIMAERSAMTALE']);
    expect(prerequisitesOf(standardPathway, 'CLOSING_TALK')).toEqual(['CONFERENCE']);
    expect(prerequisitesOf(standardPathway, 'CFT')).toEqual(['PHYSIO_VISITATION']);
    expect(prerequisitesOf(standardPathway, 'KORT_PRIMAERSAMTALE')).toEqual([]);
  });
});

describe('validatePathway', () => {
  it('finds every structural problem, not just the first', () => {
    const broken = withSteps([
      step('A', { after: ['B'] }),
      step('A'),
      step('B', {
        window: {
          after: { kind: 'step', step: 'Z', edge: 'end' },
          from: { value: 1, unit: 'hours' },
          to: { value: 1, unit: 'days' },
          source: { careModel: '' },
        },
      }),
      step('C', { requiresRoles: ['WIZARD'], final: true }),
      {
        kind: 'choice',
        code: 'D',
        options: ['X'],
        chosenAt: 'Q',
        name: { da: 'D', en: 'D' },
        source: { careModel: '' },
        final: true,
        insteadOf: ['A'],
      },
    ]);
    expect(codes(validatePathway({ ...broken, exclusion: { ...broken.exclusion, assessedAt: 'A' } }))).toEqual([
      'PREREQUISITE_NOT_EARLIER',
      'STEP_DUPLICATE',
      'WINDOW_ANCHOR_UNKNOWN',
      'WINDOW_UNITS_MIXED',
      'ROLE_UNKNOWN',
      'CHOICE_TOO_FEW_OPTIONS',
      'CHOICE_POINT_NOT_EARLIER',
      'INSTEAD_OF_UNKNOWN',
      'FINAL_STEP_TWICE',
    ]);
  });

  it('checks the pathway against a catalogue', () => {
    const other = withSteps([...standardPathway.steps, { ...step('YOGA'), kind: 'programme', programme: 'YOGA' }]);
    expect(codes(validatePathway(other, defaultCatalogue))).toEqual(['PROGRAMME_UNKNOWN']);
    expect(
      codes(
        validatePathway(
          { ...standardPathway, referral: { ...standardPathway.referral, visitationWithin: { value: 72, unit: 'hours' } } },
          defaultCatalogue,
        ),
      ),
    ).toEqual(['VISITATION_DEADLINE_MISMATCH']);
  });
});
