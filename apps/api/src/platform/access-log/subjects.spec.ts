import { collectSubjects, emptySubjects } from './subjects.js';

describe('collectSubjects', () => {
  it('finds course and patient ids anywhere in a JSON value', () => {
    const s = emptySubjects();
    collectSubjects(
      {
        teamId: 't',
        seats: { reserved: [{ courseId: 'c1' }, { courseId: null }] },
        entries: [{ courseIds: ['c2', 'c1'], patientId: 'p1' }],
        x: 'courseId',
      },
      s,
    );
    expect([...s.courseIds].sort()).toEqual(['c1', 'c2']);
    expect([...s.patientIds]).toEqual(['p1']);
  });
});
