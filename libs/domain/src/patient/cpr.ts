import { createHmac } from 'node:crypto';
import type { FailedCriterion } from '../shared/index.js';

/**
 * Danish CPR numbers (personnummer). Rules from the CPR office (cpr.dk, "Opbygning af CPR-nummeret" and
 * "Personnumre uden kontrolciffer (modulus 11 kontrol)", updated 10-05-2023):
 *  - DDMMYY-SSSS; positions 5–7 (YY and the first digit of SSSS) give the century.
 *  - "Indtil den 1. oktober 2007 opfyldte alle personnumre den såkaldte modulus 11 kontrol." Since then the
 *    office issues fully valid numbers without it (mostly 1 January birth dates, where the series ran out), and
 *    asks every IT system to accept them. So the modulus-11 check is reported (`passesModulus11`), never required.
 *
 * No message or reason produced here ever contains the number itself: they end up in logs and API errors.
 */
export type CprValidation =
  | { readonly ok: true; readonly cpr: string; readonly birthDate: string; readonly passesModulus11: boolean }
  | { readonly ok: false; readonly reasons: readonly FailedCriterion[] };

const SHAPE = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

/** The CPR office's century table: 7th digit and two-digit year → full year (1858–2057). */
export function centuryYear(seventhDigit: number, yy: number): number {
  if (seventhDigit <= 3) return 1900 + yy;
  if (seventhDigit === 4 || seventhDigit === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

export function passesModulus11(tenDigits: string): boolean {
  const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(tenDigits[i]), 0);
  return sum % 11 === 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function validateCpr(text: string): CprValidation {
  const match = SHAPE.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) {
    return {
      ok: false,
      reasons: [{ code: 'CPR_FORMAT', reason: 'A CPR number must be 10 digits, written DDMMYY-SSSS or DDMMYYSSSS.' }],
    };
  }
  const [, dd, mm, yy, seventh, rest] = match as unknown as [string, string, string, string, string, string];
  const day = Number(dd);
  const month = Number(mm);
  const year = centuryYear(Number(seventh), Number(yy));
  const reasons: FailedCriterion[] = [];
  if (month < 1 || month > 12) {
    reasons.push({ code: 'CPR_MONTH', reason: 'The month in the CPR number (digits 3–4) must be 01 to 12.' });
  } else if (day < 1 || day > daysInMonth(year, month)) {
    reasons.push({
      code: 'CPR_DAY',
      reason: 'The day in the CPR number (digits 1–2) does not exist in that month of the birth year given by digits 5–7.',
    });
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const cpr = `${dd}${mm}${yy}${seventh}${rest}`;
  const birthDate = `${String(year).padStart(4, '0')}-${mm}-${dd}`;
  return { ok: true, cpr, birthDate, passesModulus11: passesModulus11(cpr) };
}

/** Minimum HMAC key length: the SHA-256 block of security needs a key at least as long as its output. */
export const MIN_PSEUDONYM_KEY_BYTES = 32;

/**
 * The keyed hash used to find a patient by CPR in the one protected table that stores the number
 * (HMAC-SHA256 over the normalised 10 digits, hex). Without the key the pseudonym cannot be reversed by
 * enumerating the ~3.6 million valid numbers a year, which a plain hash would allow.
 *
 * Events never carry the CPR nor this pseudonym: they carry a random `patientId` (see `newPatientId`) and
 * `courseId`, so erasing the protected row unlinks the person from the event history.
 */
export function pseudonymFor(cpr: string, secretKey: string | Uint8Array): string {
  const checked = validateCpr(cpr);
  if (!checked.ok) throw new TypeError(`Cannot make a pseudonym: ${checked.reasons.map((r) => r.reason).join(' ')}`);
  const keyBytes = typeof secretKey === 'string' ? Buffer.byteLength(secretKey, 'utf8') : secretKey.byteLength;
  if (keyBytes < MIN_PSEUDONYM_KEY_BYTES) {
    throw new TypeError(`The pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes.`);
  }
  return createHmac('sha256', secretKey).update(checked.cpr, 'utf8').digest('hex');
}

/**
 * Ten digits (DDMMYY-SSSS or DDMMYYSSSS) standing alone: not inside a longer run of letters and digits such as
 * a uuid or a long number. A match is a CPR number only when `validateCpr` accepts it (a real date).
 */
const CPR_IN_TEXT = /(?<![0-9A-Za-z])\d{6}-?\d{4}(?![0-9A-Za-z])/g;

/** Whether free text contains something that is a CPR number by the CPR office's rules (never says which). */
export function containsCprNumber(text: string): boolean {
  if (typeof text !== 'string' || text.length < 10) return false;
  for (const match of text.matchAll(CPR_IN_TEXT)) if (validateCpr(match[0]).ok) return true;
  return false;
}

/** `text` with every CPR number in it replaced by `replacement` (for logs, the access log and error messages). */
export function redactCprNumbers(text: string, replacement = '[cpr-redacted]'): string {
  if (typeof text !== 'string' || text.length < 10) return text;
  return text.replace(CPR_IN_TEXT, (match) => (validateCpr(match).ok ? replacement : match));
}
