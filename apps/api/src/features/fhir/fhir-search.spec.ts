import { actorFilters, dateBound, paging, tokens } from './fhir-search.js';

const ZONE = 'Europe/Copenhagen';
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('FHIR search parameters', () => {
  it('reads a date without a time as the local day in the clinic zone, in winter and in summer', () => {
    expect([dateBound('date', '2026-01-15', ZONE)].map((b) => [iso(b.from), iso(b.to)])).toEqual([
      ['2026-01-14T23:00:00.000Z', '2026-01-15T23:00:00.000Z'],
    ]);
    expect([dateBound('date', 'eq2026-07-15', ZONE)].map((b) => [iso(b.from), iso(b.to)])).toEqual([
      ['2026-07-14T22:00:00.000Z', '2026-07-15T22:00:00.000Z'],
    ]);
    // the day of the change to winter time has 25 hours
    const change = dateBound('date', '2026-10-25', ZONE);
    expect(((change.to ?? NaN) - (change.from ?? NaN)) / 3_600_000).toBe(25);
  });

  it('applies the prefixes to the precision range: ge/gt from the lower/upper bound, le/lt to the upper/lower bound', () => {
    expect(iso(dateBound('date', 'ge2026-03', ZONE).from)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(dateBound('date', 'gt2026-03', ZONE).from)).toBe('2026-03-31T22:00:00.000Z');
    expect(iso(dateBound('date', 'le2026', ZONE).to)).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(dateBound('date', 'lt2026-03-01T13:00:00+01:00', ZONE).to)).toBe('2026-03-01T12:00:00.000Z');
    expect(iso(dateBound('date', 'le2026-03-01T13:00:00Z', ZONE).to)).toBe('2026-03-01T13:00:01.000Z');
  });

  it('refuses what it cannot read, with the parameter named', () => {
    for (const bad of ['yesterday', 'ge2026-13-01', 'ne2026-01-01', '2026-02-30', '', 'sa2026']) {
      expect(() => dateBound('date', bad, ZONE)).toThrow(/date/);
    }
    expect(() => paging({ _count: '501' })).toThrow(/_count/);
    expect(() => paging({ _count: ['1', '2'] })).toThrow(/once/);
    expect(paging({})).toEqual({ count: 100, offset: 0 });
  });

  it('actor references: typed, one type per value, ANDed across parameters', () => {
    expect(actorFilters({ actor: 'Practitioner/doc-7,Practitioner/doc-8', patient: 'p-1' }, ['Practitioner', 'Patient'])).toEqual([
      { type: 'Practitioner', ids: ['doc-7', 'doc-8'] },
      { type: 'Patient', ids: ['p-1'] },
    ]);
    expect(() => actorFilters({ actor: 'Group/1' }, ['Practitioner'])).toThrow(/actor/);
    expect(() => actorFilters({ actor: 'Practitioner/a,Location/b' }, ['Practitioner', 'Location'])).toThrow(/one type/);
    expect(() => actorFilters({ actor: 'doc-7' }, ['Practitioner'])).toThrow(/actor/);
    expect(tokens({ status: 'booked,http://hl7.org/fhir/appointmentstatus|cancelled' }, 'status', ['booked', 'cancelled'])).toEqual([
      ['booked', 'cancelled'],
    ]);
    expect(() => tokens({ status: 'maybe' }, 'status', ['booked'])).toThrow(/status/);
  });
});
