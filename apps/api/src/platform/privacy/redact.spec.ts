import { containsCprNumber, redactCprNumbers } from '#app/domain';
import { firstCprField } from './cpr-in-text.guard.js';
import { isAcceptableCorrelationId } from './correlation-id.js';
import { redactDeep, redactUrl } from './redact.js';

describe('CPR numbers in text', () => {
  it.each([
    ['Patient 040264-2889 called', true],
    ['0402642889', true],
    ['(040264-2889)', true],
    ['cpr:040264-2889.', true],
    ['a CPR without modulus 11 still counts: 010107-1234', true],
    ['day 32 is no date: 320264-2889', false],
    ['month 13 is no date: 041364-2889', false],
    ['inside a longer number: 10402642889', false],
    ['inside a word: x0402642889', false],
    ['a uuid: 3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', false],
    ['a phone number: 2345 6789', false],
    ['a time: 2026-03-09T10:00:00+01:00', false],
  ])('%s → %s', (text, found) => {
    expect(containsCprNumber(text)).toBe(found);
    expect(redactCprNumbers(text).includes('[cpr-redacted]')).toBe(found);
  });

  it('finds the first string or key holding one, anywhere in a body, and names the field (never the number)', () => {
    expect(firstCprField({ reason: 'ok', relatives: [{ note: 'fine' }, { note: 'Son 040264-2889' }] })).toBe('relatives[1].note');
    expect(firstCprField({ content: { '0402642889': 'x' } })).toBe('content.[cpr-redacted]');
    expect(firstCprField(['a', '040264-2889'])).toBe('[1]');
    expect(firstCprField('040264-2889')).toBe('(body)');
    expect(firstCprField({ teamId: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', seats: 4 })).toBeUndefined();
  });

  it('exempts only the named top-level string field', () => {
    const exempt = new Set(['cpr']);
    expect(firstCprField({ cpr: '040264-2889' }, exempt)).toBeUndefined();
    expect(firstCprField({ cpr: ['040264-2889'] }, exempt)).toBe('cpr[0]');
    expect(firstCprField({ cpr: '040264-2889', content: { cpr: '040264-2889' } }, exempt)).toBe('content.cpr');
  });

  it('redacts URLs (plain and percent-encoded) and error bodies', () => {
    expect(redactUrl('/courses/040595-1159/history?x=1')).toBe('/courses/[cpr-redacted]/history?x=1');
    expect(redactUrl('/courses/040595%2D1159')).not.toContain('040595');
    expect(redactUrl('/fhir/Patient?identifier=0405951159')).toBe('/fhir/Patient?identifier=[cpr-redacted]');
    expect(redactUrl('/courses/3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11')).toBe('/courses/3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11');
    expect(redactDeep({ message: 'No course with id 040595-1159 was found.', details: { id: '040595-1159', n: 3 } })).toEqual({
      message: 'No course with id [cpr-redacted] was found.',
      details: { id: '[cpr-redacted]', n: 3 },
    });
  });

  it('accepts correlation ids of 1–128 letters, digits and . _ : - that are no CPR number', () => {
    for (const ok of ['a', 'trace-1.a:b_c-d', 'x'.repeat(128), '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11'])
      expect(isAcceptableCorrelationId(ok)).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'has space', 'a/b', 'æ', '0405951159', 'id-040595-1159', undefined, ['a']])
      expect(isAcceptableCorrelationId(bad)).toBe(false);
  });
});
