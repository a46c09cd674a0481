import { diffJson } from './json-diff.js';

describe('diffJson', () => {
  it('names changed leaves by path, lists of identified objects by their id', () => {
    const before = {
      status: 'active',
      steps: [
        { code: 'A', status: 'pending' },
        { code: 'B', status: 'pending' },
      ],
      seats: [] as unknown[],
      n: 1,
    };
    const after = {
      status: 'active',
      steps: [
        { code: 'A', status: 'scheduled', at: 'x' },
        { code: 'B', status: 'pending' },
      ],
      seats: [{ teamId: 't1' }],
    };
    expect(diffJson(before, after)).toEqual([
      { path: 'steps[code=A].status', kind: 'changed', before: 'pending', after: 'scheduled' },
      { path: 'steps[code=A].at', kind: 'added', after: 'x' },
      { path: 'seats[teamId=t1]', kind: 'added', after: { teamId: 't1' } },
      { path: 'n', kind: 'removed', before: 1 },
    ]);
  });

  it('compares other lists by position and whole values at the root', () => {
    expect(diffJson({ l: [1, 2] }, { l: [1, 3, 4] })).toEqual([
      { path: 'l[1]', kind: 'changed', before: 2, after: 3 },
      { path: 'l[2]', kind: 'added', after: 4 },
    ]);
    expect(diffJson(undefined, { a: 1 })).toEqual([{ path: '(root)', kind: 'added', after: { a: 1 } }]);
    expect(diffJson({ a: [{ x: 1 }] }, { a: [{ x: 1 }] })).toEqual([]);
  });
});
