import { randomUUID } from 'node:crypto';
import { validateAppend } from './append-validation.js';
import { InvalidAppendError, type EventToAppend } from './event-store.port.js';

const ok = (): EventToAppend => ({ id: randomUUID(), type: 'T', data: {}, metadata: {} });

describe('validateAppend', () => {
  it('accepts a well-formed batch with every kind of expected revision', () => {
    for (const expected of ['no_stream', 'any', 0, 41] as const) expect(() => validateAppend('s', [ok(), ok()], expected)).not.toThrow();
  });

  it.each([
    ['an empty batch', 's', [], 'any'],
    ['an empty stream id', '', [ok()], 'any'],
    ['a negative revision', 's', [ok()], -1],
    ['a fractional revision', 's', [ok()], 1.5],
    ['a non-uuid id', 's', [{ ...ok(), id: 'not-a-uuid' }], 'any'],
    ['a missing type', 's', [{ ...ok(), type: '' }], 'any'],
    ['undefined data', 's', [{ ...ok(), data: undefined }], 'any'],
    ['array metadata', 's', [{ ...ok(), metadata: [] as unknown as Record<string, unknown> }], 'any'],
  ] as const)('rejects %s', (_what, streamId, events, expected) => {
    expect(() => {
      validateAppend(streamId, events as readonly EventToAppend[], expected);
    }).toThrow(InvalidAppendError);
  });

  it('rejects the same id twice in one batch, whatever its case', () => {
    const e = ok();
    expect(() => {
      validateAppend('s', [e, { ...ok(), id: e.id.toUpperCase() }], 'any');
    }).toThrow(/twice/);
  });
});
