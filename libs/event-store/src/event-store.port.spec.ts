import fc from 'fast-check';
import { START, comparePositions, formatPosition, parsePosition } from './event-store.port.js';

describe('positions', () => {
  it('order by commit, then prepare; START is before everything', () => {
    expect(comparePositions({ commit: 5n, prepare: 9n }, { commit: 6n, prepare: 1n })).toBe(-1);
    expect(comparePositions({ commit: 6n, prepare: 2n }, { commit: 6n, prepare: 1n })).toBe(1);
    expect(comparePositions(START, { commit: 0n, prepare: 0n })).toBe(-1);
  });

  it('survive the wire form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -1n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }), (commit, prepare) => {
        expect(parsePosition(formatPosition({ commit, prepare }))).toEqual({ commit, prepare });
      }),
    );
    expect(parsePosition('12')).toBeUndefined();
  });
});
