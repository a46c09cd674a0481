import { idForRequest, isUuid, newIdFor } from './new-stream-id.js';

describe('ids of new streams', () => {
  it('derives the same UUID for the same caller and Idempotency-Key, and another for anything else', () => {
    const a = idForRequest('course', 'clinic', 'S1', 'key-00000001');
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('8');
    expect(idForRequest('course', 'clinic', 'S1', 'key-00000001')).toBe(a);
    expect(idForRequest('course', 'clinic', 'S2', 'key-00000001')).not.toBe(a);
    expect(idForRequest('course', 'other', 'S1', 'key-00000001')).not.toBe(a);
    expect(idForRequest('appointment', 'clinic', 'S1', 'key-00000001')).not.toBe(a);
  });

  it('is random without a key', () => {
    const actor = { clinicId: 'c', staffId: 's' };
    expect(newIdFor('team', actor, undefined)).not.toBe(newIdFor('team', actor, undefined));
    expect(newIdFor('team', actor, 'key-00000001')).toBe(newIdFor('team', actor, 'key-00000001'));
  });
});
