import { defaultCatalogue } from './default.catalogue.js';
import { present } from '../shared/testing/index.js';
import { validateCatalogue } from './catalogue.validation.js';
import type { Catalogue } from './catalogue.types.js';

describe('validateCatalogue', () => {
  it('refuses a bad custom catalogue with every problem, not just the first', () => {
    const [fs, ...rest] = defaultCatalogue.programmes;
    const bad = {
      ...defaultCatalogue,
      clinicId: '',
      version: 0,
      settings: { ...defaultCatalogue.settings, timeZone: 'Mars/Olympus', offerHoldHours: -1, competenceValidityMonths: { NOPE: 12 } },
      programmes: [
        {
          ...fs,
          seats: 0,
          staff: { ...fs.staff, roles: [{ ...fs.staff.roles[0], role: 'apprentice' }] },
          eligibility: { inclusion: [{ code: 'X', kind: 'requires', fact: 'shoeSize', reason: '' }], exclusion: [] },
          lateJoin: { sessionNumber: 5, hoursBefore: 0 },
        },
        ...rest,
        rest[0],
      ],
    } as unknown as Catalogue;
    const codes = validateCatalogue(bad).map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'CLINIC_ID_MISSING',
        'VERSION_INVALID',
        'TIME_ZONE_INVALID',
        'OFFER_HOLD_INVALID',
        'VALIDITY_COMPETENCE_UNKNOWN',
        'SEATS_INVALID',
        'STAFF_ROLE_RESERVED',
        'FACT_UNKNOWN',
        'REASON_MISSING',
        'LATE_JOIN_INVALID',
        'CODE_DUPLICATE',
      ]),
    );
    for (const f of validateCatalogue(bad)) expect(f.reason).toMatch(/\.$/);
  });

  it('refuses session plans that contradict their cadence and functions in the data', () => {
    const ned = present(defaultCatalogue.programmes.find((p) => p.code === 'NEDTRAPNING'));
    const broken = {
      ...defaultCatalogue,
      programmes: [{ ...ned, sessionPlan: { ...ned.sessionPlan, cadence: { kind: 'every', days: 7 } } }],
      settings: { ...defaultCatalogue.settings, hook: () => 1 },
    } as unknown as Catalogue;
    const codes = validateCatalogue(broken).map((f) => f.code);
    expect(codes).toContain('CADENCE_MISMATCH');
    expect(codes).toContain('NOT_PLAIN_DATA');
  });

  it('refuses competence requirements and criteria that name unknown things', () => {
    const mbsr = present(defaultCatalogue.programmes.find((p) => p.code === 'MBSR'));
    const role = mbsr.staff.roles[0];
    const broken = {
      ...defaultCatalogue,
      programmes: defaultCatalogue.programmes.map((p) =>
        p.code !== 'MBSR'
          ? p
          : {
              ...mbsr,
              staff: {
                ...mbsr.staff,
                roles: [
                  {
                    ...role,
                    competence: {
                      code: 'R',
                      requirements: [{ code: 'Q', kind: 'competence', anyOf: ['JUGGLING'], reason: 'Must juggle.' }],
                    },
                  },
                ],
              },
              eligibility: {
                inclusion: [{ code: 'C', kind: 'requiresCompleted', anyOf: ['YOGA'], reason: 'Must have done yoga.' }],
                exclusion: [],
              },
            },
      ),
    } as unknown as Catalogue;
    const codes = validateCatalogue(broken).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['COMPETENCE_UNKNOWN', 'PROGRAMME_UNKNOWN']));
  });
});
