import { buildMessage, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isInstant, isLocalDate } from '#app/domain';

/** catalogue codes (programmes, professions, competences): UPPER_SNAKE_CASE */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** staff ids (the `sub` claim) as clinician ids: letters, digits and . _ : @ - */
export const STAFF_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** a calendar date that exists, `YYYY-MM-DD` */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value: unknown) => isLocalDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date that exists, written YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

/** an ISO 8601 date and time with an explicit offset, e.g. `2027-11-02T13:00:00+01:00` */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => isInstant(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a date and time with offset, e.g. 2027-11-02T13:00:00+01:00`,
          options,
        ),
      },
    },
    options,
  );
}

/** `YYYY-MM-DD` or an ISO instant with offset */
export function IsDateOrInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateOrInstant',
      validator: {
        validate: (value: unknown) => isLocalDate(value) || isInstant(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date (YYYY-MM-DD) or a date and time with offset`, options),
      },
    },
    options,
  );
}

/** a number no smaller than another numeric field of the same object (a room's people cap vs its seats) */
export function IsNotLessThanField(field: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotLessThanField',
      constraints: [field],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[field];
          return typeof value !== 'number' || typeof other !== 'number' || value >= other;
        },
        defaultMessage: buildMessage((each) => `${each}$property must not be less than ${field}`, options),
      },
    },
    options,
  );
}
