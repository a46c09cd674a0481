import { clean } from './access-log.store.js';

describe('clean (what PostgreSQL text and jsonb accept)', () => {
  it('replaces NUL and unpaired surrogates, keeps pairs, caps the length', () => {
    expect(clean('a\u0000b', 10)).toBe('a\ufffdb');
    expect(clean('x\ud800y\udc00z', 10)).toBe('x\ufffdy\ufffdz');
    expect(clean('ok 😀', 10)).toBe('ok 😀');
    expect(clean('😀😀', 3)).toBe('😀\ufffd'); // cut inside a pair
    expect(clean('abcdef', 3)).toBe('abc');
  });
});
