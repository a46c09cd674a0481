import type { Position } from '#app/event-store';
import type { ClinicianResponse } from '../clinician.response.js';

/** What a write to a clinician's stream answers: the clinician as now, its revision (ETag) and where it was written. */
export interface ClinicianWritten {
  readonly clinician: ClinicianResponse;
  readonly revision: number;
  readonly position?: Position;
}
