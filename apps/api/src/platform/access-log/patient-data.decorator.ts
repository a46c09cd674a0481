import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** The kinds of use the law asks to tell apart. */
export const PATIENT_DATA_USES = ['read', 'write', 'export', 'search'] as const;
export type PatientDataUse = (typeof PATIENT_DATA_USES)[number];

/**
 * Where else the patients a request concerns appear, besides `courseParam`: ids under the keys
 * `courseId`, `courseIds`, `patientId`, `patientIds` anywhere in the JSON request body and/or the JSON
 * response (a team board, a roster, a referral's answer).
 */
export type PatientSource = 'body' | 'response';

export interface PatientDataOptions {
  readonly use: PatientDataUse;
  /** the route parameter that holds the course id (`'id'` for /courses/:id/…) */
  readonly courseParam?: string;
  readonly patientFrom?: PatientSource | readonly PatientSource[];
}

export const PATIENT_DATA_KEY = 'access-log:patient-data';
/** the OpenAPI extension on every operation that touches patient data (integrators and the route test read it) */
export const PATIENT_DATA_EXTENSION = 'x-patient-data';

/**
 * Marks a route that reads or changes patient data: the global AccessLogInterceptor then writes an
 * access-log entry for every call that passed authorisation (success or refusal, with its status)
 * before the response leaves, and refuses to answer (503) when it cannot. Calls refused by the role
 * guard (403) are logged as `denied` by AccessLogDeniedMiddleware.
 */
export function PatientData(options: PatientDataOptions): MethodDecorator {
  const sources =
    options.patientFrom === undefined ? [] : typeof options.patientFrom === 'string' ? [options.patientFrom] : [...options.patientFrom];
  return applyDecorators(
    SetMetadata(PATIENT_DATA_KEY, { ...options, patientFrom: sources }),
    ApiExtension(PATIENT_DATA_EXTENSION, {
      use: options.use,
      logged: true,
      ...(options.courseParam ? { courseParam: options.courseParam } : {}),
    }),
  );
}

/** the options as stored (patientFrom normalised to a list) */
export interface PatientDataMetadata extends Omit<PatientDataOptions, 'patientFrom'> {
  readonly patientFrom: readonly PatientSource[];
}
