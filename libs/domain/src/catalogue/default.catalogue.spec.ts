import { defaultCatalogue } from './default.catalogue.js';
import { present } from '../shared/testing/index.js';
import { validateCatalogue } from './catalogue.validation.js';
import type { ProgrammeDefinition } from './catalogue.types.js';

const programme = (code: string): ProgrammeDefinition => {
  const p = defaultCatalogue.programmes.find((x) => x.code === code);
  if (!p) throw new Error(`missing ${code}`);
  return p;
};
const groupSessions = (p: ProgrammeDefinition) => p.sessionPlan.sessions.filter((s) => s.kind === 'group');

describe('default catalogue (Smertecenter Syd)', () => {
  it('is valid, versioned per clinic and plain JSON', () => {
    expect(validateCatalogue(defaultCatalogue)).toEqual([]);
    expect(defaultCatalogue.clinicId).toBe('smertecenter-syd');
    expect(defaultCatalogue.version).toBe(1);
    expect(JSON.parse(JSON.stringify(defaultCatalogue))).toEqual(defaultCatalogue);
  });

  it('offers all seven group programmes with the care-model seats, sessions and cadence (care-model §1 table)', () => {
    const table = [
      ['FORSTAA_SMERTE', 25, 1, 90, null],
      ['LIVET_MED_SMERTER', 16, 4, 120, 7],
      ['AFSPAENDING', 15, 5, 150, 7],
      ['MBSR', 18, 9, 150, 7],
      ['HA', 10, 4, 150, 7],
      ['NEDTRAPNING', 5, 5, 150, 14],
      ['TERAPIHOLD', 10, 8, 150, 7],
    ] as const;
    expect(defaultCatalogue.programmes.map((p) => p.code).sort()).toEqual(table.map((r) => r[0]).sort());
    for (const [code, seats, count, minutes, cadence] of table) {
      const p = programme(code);
      expect({ code, seats: p.seats, count: groupSessions(p).length, minutes: groupSessions(p).map((s) => s.durationMinutes) }).toEqual({
        code,
        seats,
        count,
        minutes: Array(count).fill(minutes),
      });
      expect(p.sessionPlan.cadence).toEqual(cadence === null ? { kind: 'once' } : { kind: 'every', days: cadence });
      expect(groupSessions(p).map((s) => s.dayOffset)).toEqual(Array.from({ length: count }, (_, i) => i * (cadence ?? 0)));
    }
  });

  it('MBSR is 9 × 2.5 h weekly, a 6-hour silent retreat after the 6th themed session, and a ½-hour individual talk per patient (care-model §1, seed 004 l.1771–1804)', () => {
    const mbsr = programme('MBSR');
    const keys = mbsr.sessionPlan.sessions.map((s) => s.key);
    const retreat = present(mbsr.sessionPlan.sessions.find((s) => s.kind === 'retreat'));
    expect(retreat.durationMinutes).toBe(360);
    // S1 is the orientation; S7 is themed session 6 ("Stressende kommunikation…"), S8 themed session 7
    expect(keys.indexOf('RETREAT')).toBe(keys.indexOf('S7') + 1);
    expect(present(mbsr.sessionPlan.sessions.find((s) => s.key === 'S7')).title).toMatch(/^Stressende kommunikation/);
    expect(retreat.dayOffset).toBeGreaterThan(42);
    expect(retreat.dayOffset).toBeLessThan(49);
    expect(mbsr.sessionPlan.perPatient).toEqual([expect.objectContaining({ key: 'MBSR_INDIVIDUAL_TALK', durationMinutes: 30 })]);
  });

  it('Forstå smerte is one 1.5-hour session where each patient may bring one relative aged 18+ who takes no seat (care-model §1, seed 004 l.734–759)', () => {
    const fs = programme('FORSTAA_SMERTE');
    expect(fs.sessionPlan.sessions).toHaveLength(1);
    expect(fs.sessionPlan.sessions[0].durationMinutes).toBe(90);
    expect(fs.relatives).toEqual({ perPatient: 1, minAge: 18, takesSeat: false });
    expect(defaultCatalogue.programmes.filter((p) => p.relatives !== null).map((p) => p.code)).toEqual(['FORSTAA_SMERTE']);
  });

  it('staff rules: Forstå smerte one primary + one secondary, MBSR two MBSR teachers, Nedtrapning one therapist, the others two (care-model §1)', () => {
    const staff = Object.fromEntries(defaultCatalogue.programmes.map((p) => [p.code, p.staff.roles.map((r) => [r.role, r.count])]));
    expect(staff).toEqual({
      FORSTAA_SMERTE: [
        ['primary', 1],
        ['secondary', 1],
      ],
      LIVET_MED_SMERTER: [['teacher', 2]],
      AFSPAENDING: [['teacher', 2]],
      MBSR: [['teacher', 2]],
      HA: [['teacher', 2]],
      NEDTRAPNING: [['therapist', 1]],
      TERAPIHOLD: [['psychologist', 2]],
    });
    expect(defaultCatalogue.programmes.every((p) => p.staff.apprentices.allowed && p.staff.apprentices.max === null)).toBe(true);
  });

  it('lists every individual intervention of care-model §2 with its length, professions and timing', () => {
    const rows = Object.fromEntries(defaultCatalogue.interventions.map((i) => [i.code, i]));
    expect(Object.keys(rows).sort()).toEqual(
      [
        'PAPER_VISITATION',
        'KORT_PRIMAERSAMTALE',
        'LANG_PRIMAERSAMTALE',
        'NURSE_FOLLOWUP_1',
        'NURSE_FOLLOWUP_2',
        'CONFERENCE',
        'CLOSING_TALK',
        'SOCIAL_VISITATION',
        'PHYSIO_VISITATION',
        'CFT',
        'PSYCH_VISITATION',
        'INDIVIDUAL_THERAPY',
        'MEDICINE_TALK',
        'MEDICATION_COURSE',
        'NURSE_PHONE',
        'STATUS_CERTIFICATE',
      ].sort(),
    );
    expect(rows.PAPER_VISITATION.timing).toEqual({
      kind: 'deadline',
      anchor: { kind: 'referralReceived' },
      within: { value: 48, unit: 'hours' },
    });
    expect(rows.KORT_PRIMAERSAMTALE.durationMinutes).toBe(15);
    expect(rows.LANG_PRIMAERSAMTALE).toMatchObject({
      durationMinutes: 90,
      slotMinutes: 150,
      who: { mode: 'all', professions: ['DOCTOR', 'NURSE'] },
    });
    expect(rows.LANG_PRIMAERSAMTALE.timing).toMatchObject({
      kind: 'window',
      anchor: { anyOf: ['FORSTAA_SMERTE'] },
      from: { value: 1, unit: 'weeks' },
      to: { value: 2, unit: 'weeks' },
    });
    expect(rows.NURSE_FOLLOWUP_1.durationMinutes).toBe(45);
    expect(rows.NURSE_FOLLOWUP_2.timing).toMatchObject({ anchor: { anyOf: ['AFSPAENDING', 'MBSR'] } });
    expect(rows.CONFERENCE.durationMinutes).toBe(150);
    expect(rows.CLOSING_TALK).toMatchObject({
      durationMinutes: 30,
      timing: { from: { value: 2, unit: 'weeks' }, to: { value: 4, unit: 'weeks' } },
    });
    expect(rows.SOCIAL_VISITATION).toMatchObject({ durationMinutes: 90, sessions: { min: 1, max: 2 } });
    expect(rows.PHYSIO_VISITATION).toMatchObject({ durationMinutes: 90, sessions: { min: 2, max: 2, intervalDays: 7 } });
    expect(rows.CFT).toMatchObject({ durationMinutes: 60, sessions: { min: 6, max: 8 } });
    expect(rows.INDIVIDUAL_THERAPY).toMatchObject({ durationMinutes: 60, sessions: { min: 8, max: 8 }, alternativeTo: 'TERAPIHOLD' });
    expect(rows.NURSE_PHONE.timing).toMatchObject({ kind: 'weekly', slots: [{ weekday: 'MON' }, { weekday: 'WED' }, { weekday: 'FRI' }] });
    expect(rows.STATUS_CERTIFICATE.timing).toMatchObject({ kind: 'deadline', within: { value: 4, unit: 'weeks' } });
  });

  it('keeps every decision as data: settings, late-join cut-off per programme, no room cap (care-model §1, §6 decisions)', () => {
    expect(defaultCatalogue.settings).toEqual({
      timeZone: 'Europe/Copenhagen',
      language: 'da',
      offerHoldHours: 48,
      holdMinutes: 15,
      visitationDeadlineHours: 48,
      visitationClockResetsOnHold: false,
      competenceValidityMonths: { MBSR_RETREAT: 12 },
      waitlist: { tieBreak: 'joinedAt', autoOfferFreedSeats: true },
      unknownFact: 'fail',
      roomPeopleCap: null,
    });
    for (const p of defaultCatalogue.programmes) expect(p.lateJoin).toEqual({ sessionNumber: 1, hoursBefore: 0 });
  });

  it('cites a care-model section and seed lines for every programme and intervention', () => {
    for (const item of [...defaultCatalogue.programmes, ...defaultCatalogue.interventions]) {
      expect(item.source.careModel).toMatch(/^§\d/);
      expect(item.source.seed?.file).toBe('004_d025392005236645.txt');
      const [from, to] = present(item.source.seed).lines;
      expect(from).toBeLessThanOrEqual(to);
    }
  });
});
