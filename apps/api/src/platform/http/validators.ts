import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isInstant, validateCpr } from '#app/domain';

/**
 * class-validator decorators for the course and appointment requests. Messages never quote the value
 * (a CPR number must not come back in an error).
 */

function decorator(
  name: string,
  validate: (value: unknown) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
) {
  return (object: object, propertyName: string) =>
    registerDecorator({ name, target: object.constructor, propertyName, options, validator: { validate, defaultMessage: message } });
}

/** A Danish CPR number (DDMMYY-SSSS or DDMMYYSSSS); the message gives the CPR office's rule that failed. */
export const IsCpr = (options?: ValidationOptions) =>
  decorator(
    'isCpr',
    (value) => typeof value === 'string' && validateCpr(value).ok,
    (args) => {
      const result = validateCpr(typeof args.value === 'string' ? args.value : '');
      return result.ok ? 'cpr must be a CPR number' : result.reasons.map((r) => r.reason).join(' ');
    },
    options,
  );

/** An ISO 8601 instant with its offset (`2026-03-02T10:00:00+01:00` or `…Z`). */
export const IsInstant = (options?: ValidationOptions) =>
  decorator(
    'isInstant',
    (value) => isInstant(value),
    (args) => `${args.property} must be an ISO 8601 time with its offset, for example 2026-03-02T10:00:00+01:00`,
    options,
  );

const ITEM_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_TEXT = 4000;

/** `{ CODE: "text", ... }`: item codes in capitals, texts of at most 4000 characters. */
export const IsContentRecord = (options?: ValidationOptions) =>
  decorator(
    'isContentRecord',
    (value) =>
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length <= 50 &&
      Object.entries(value as Record<string, unknown>).every(
        ([k, v]) => ITEM_CODE.test(k) && typeof v === 'string' && v.length <= MAX_TEXT,
      ),
    (args) =>
      `${args.property} must be an object of item codes (capitals, e.g. CURRENT_MEDICATION) to texts of at most ${MAX_TEXT} characters`,
    options,
  );

/** `{ CRITERION_CODE: true | false, ... }` */
export const IsAssessment = (options?: ValidationOptions) =>
  decorator(
    'isAssessment',
    (value) =>
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.entries(value as Record<string, unknown>).every(([k, v]) => ITEM_CODE.test(k) && typeof v === 'boolean'),
    (args) => `${args.property} must be an object of criterion codes to true (met) or false (not met)`,
    options,
  );

/** a patient fact's value: yes/no, or a code */
export const IsFactValue = (options?: ValidationOptions) =>
  decorator(
    'isFactValue',
    (value) => typeof value === 'boolean' || (typeof value === 'string' && value.trim().length > 0 && value.length <= 200),
    (args) => `${args.property} must be true, false or a code`,
    options,
  );

/** staff, room and team ids: letters, digits and . _ : - */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const ID_MESSAGE = 'must be an id of letters, digits and . _ : - (at most 64 characters)';
