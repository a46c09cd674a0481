import { createHmac } from 'node:crypto';
import { centuryYear, passesModulus11, pseudonymFor, validateCpr } from './cpr.js';

// Fictitious numbers, computed for these tests.
const KEY = 'k'.repeat(32);

function expectNoCprLeak(text: string, input: string): void {
  const digits = input.replace(/\D/g, '');
  if (input.trim() !== '') expect(text).not.toContain(input.trim());
  if (digits.length >= 6) expect(text).not.toContain(digits.slice(0, 6));
  if (digits.length >= 10) expect(text).not.toContain(digits.slice(6, 10));
}

describe('validateCpr (CPR office rules)', () => {
  it.each([
    ['070761-4285', '0707614285', '1961-07-07', true],
    ['0707614285', '0707614285', '1961-07-07', true],
    [' 070761-4285 ', '0707614285', '1961-07-07', true],
    ['150537-9000', '1505379000', '1937-05-15', true],
    ['311299-9999', '3112999999', '1999-12-31', true],
    ['010107-5001', '0101075001', '2007-01-01', true],
  ])('accepts %s with or without hyphen, normalised to 10 digits', (input, cpr, birthDate, mod11) => {
    expect(validateCpr(input)).toEqual({ ok: true, cpr, birthDate, passesModulus11: mod11 });
  });

  it.each([
    ['010165-1230', '1965-01-01'],
    ['0101651232', '1965-01-01'],
    ['290296-5800', '1896-02-29'],
    ['150558-5001', '1858-05-15'],
  ])('accepts %s although it fails modulus 11: numbers issued since 1 Oct 2007 may (cpr.dk)', (input, birthDate) => {
    const result = validateCpr(input);
    expect(result).toMatchObject({ ok: true, birthDate, passesModulus11: false });
  });

  it.each([
    [0, 0, 1900],
    [3, 99, 1999],
    [4, 36, 2036],
    [4, 37, 1937],
    [9, 0, 2000],
    [9, 99, 1999],
    [5, 57, 2057],
    [5, 58, 1858],
    [8, 0, 2000],
    [8, 99, 1899],
  ])('century table: 7th digit %i with year %i gives %i', (digit, yy, year) => {
    expect(centuryYear(digit, yy)).toBe(year);
  });

  it('the century decides leap days: 29 Feb 00 exists in 2000 (digit 4) but not in 1900 (digit 3)', () => {
    expect(validateCpr('290200-4001')).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(validateCpr('290200-3000')).toMatchObject({ ok: false, reasons: [{ code: 'CPR_DAY' }] });
    expect(validateCpr('290201-4000')).toMatchObject({ ok: false, reasons: [{ code: 'CPR_DAY' }] });
  });

  it.each([
    ['321299-1234', 'CPR_DAY'],
    ['000199-1234', 'CPR_DAY'],
    ['310499-1234', 'CPR_DAY'],
    ['011399-1234', 'CPR_MONTH'],
    ['010099-1234', 'CPR_MONTH'],
    ['31049-1234', 'CPR_FORMAT'],
    ['310499-12345', 'CPR_FORMAT'],
    ['310499 1234', 'CPR_FORMAT'],
    ['31049-91234', 'CPR_FORMAT'],
    ['3104991234x', 'CPR_FORMAT'],
    ['', 'CPR_FORMAT'],
  ])('rejects %s (%s) with reasons that never contain the number', (input, code) => {
    const result = validateCpr(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons.map((r) => r.code)).toEqual([code]);
    for (const r of result.reasons) {
      expect(r.reason.length).toBeGreaterThan(10);
      expectNoCprLeak(r.reason, input);
    }
  });

  it('modulus 11 is computed with the weights 4 3 2 7 6 5 4 3 2 1', () => {
    expect(passesModulus11('0707614285')).toBe(true);
    expect(passesModulus11('0707614286')).toBe(false);
  });
});

describe('pseudonymFor', () => {
  it('is HMAC-SHA256 of the normalised number, so both spellings find the same patient', () => {
    const expected = createHmac('sha256', KEY).update('0707614285').digest('hex');
    expect(pseudonymFor('070761-4285', KEY)).toBe(expected);
    expect(pseudonymFor('0707614285', KEY)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the secret key', () => {
    expect(pseudonymFor('0707614285', KEY)).not.toBe(pseudonymFor('0707614285', 'x'.repeat(32)));
  });

  it('refuses an invalid number without putting the number in the error', () => {
    expect(() => pseudonymFor('321299-1234', KEY)).toThrow(TypeError);
    try {
      pseudonymFor('321299-1234', KEY);
    } catch (e) {
      expectNoCprLeak((e as Error).message, '321299-1234');
    }
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => pseudonymFor('0707614285', 'short')).toThrow(/at least 32 bytes/);
  });
});
