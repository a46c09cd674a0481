import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error.js';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const MAX_LISTED_FIELDS = 50;
const MAX_NAMED_IN_MESSAGE = 10;

/** class-validator on every body and query: unknown fields are refused, every bad field is listed. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const all = flatten(errors);
      // a list of 20 000 bad items must not come back as a 2 MB answer: name the first ones and count the rest
      const fields = all.slice(0, MAX_LISTED_FIELDS);
      const omitted = all.length - fields.length;
      const names = fields
        .slice(0, MAX_NAMED_IN_MESSAGE)
        .map((f) => f.field)
        .join(', ');
      const more = all.length > MAX_NAMED_IN_MESSAGE ? ` and ${all.length - MAX_NAMED_IN_MESSAGE} more` : '';
      return new ApiError(
        400,
        'VALIDATION_FAILED',
        `Some fields are missing or wrong: ${names}${more}.`,
        omitted > 0 ? { fields, omitted } : { fields },
      );
    },
  });
}
