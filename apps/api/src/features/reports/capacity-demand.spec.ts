import { standardPathway } from '#app/domain';
import { command, courseAfter, run } from '../../../../../libs/domain/src/course/testing/course.fixtures.js';
import { programmeNeeds } from './capacity-demand.js';
import { isoWeek, mondayOf } from './report-math.js';

describe('programmeNeeds (demand side of the capacity outlook)', () => {
  it('needs Forstå smerte right after the first talk is booked, dated by that booking', () => {
    expect(programmeNeeds(courseAfter('book kort').state, standardPathway)).toEqual([
      { programme: 'FORSTAA_SMERTE', stepCode: 'FORSTAA_SMERTE', needFrom: '2024-03-11', undecided: false, waitlisted: false },
    ]);
  });

  it('needs nothing while the course holds a seat for the step, or before its prerequisites are booked', () => {
    expect(programmeNeeds(courseAfter('seat fs').state, standardPathway)).toEqual([]);
    expect(programmeNeeds(courseAfter('accept').state, standardPathway)).toEqual([]);
  });

  it('dates the next team by the latest prerequisite (Living with pain after the long first talk)', () => {
    expect(programmeNeeds(courseAfter('lang').state, standardPathway)).toEqual([
      expect.objectContaining({ programme: 'LIVET_MED_SMERTER', needFrom: '2024-03-27', undecided: false }),
    ]);
  });

  it('counts an undecided choice under every option, and a waitlisted course as waitlisted', () => {
    const afterNf1 = courseAfter('book nf1');
    expect(programmeNeeds(afterNf1.state, standardPathway).map((n) => [n.programme, n.undecided])).toEqual([
      ['AFSPAENDING', true],
      ['MBSR', true],
    ]);
    const waiting = run(
      [
        command({ type: 'ChooseOption', stepCode: 'STRESS_REDUCTION', option: 'MBSR' }, '2024-05-02T10:30:00+02:00'),
        command({ type: 'RecordWaitlisted', teamId: 'mbsr-1', programme: 'MBSR' }, '2024-05-02T10:40:00+02:00'),
      ],
      afterNf1.events,
    );
    expect(programmeNeeds(waiting.state, standardPathway)).toEqual([
      expect.objectContaining({ programme: 'MBSR', undecided: false, waitlisted: true }),
    ]);
  });

  it('needs nothing once the course has ended', () => {
    expect(programmeNeeds(courseAfter('end').state, standardPathway)).toEqual([]);
  });
});

describe('ISO weeks', () => {
  it('numbers weeks from the one with the year’s first Thursday, Monday first', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2030-01-30')).toBe('2030-W05');
    expect(mondayOf('2030-02-10')).toBe('2030-02-04');
  });
});
