import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { ApiError } from '../http/api-error.js';
import { ClinicResources } from './clinic-resources.js';

export const ON_BEHALF_OF_CODE = 'ON_BEHALF_OF_NOT_A_CLINICIAN';

/**
 * `X-On-Behalf-Of: <clinician id>` says which clinician a secretary acts for, and stands in every event the
 * request writes. It is accepted only when it names a clinician registered in the caller's own clinic;
 * anything else (malformed, unknown, another clinic's, sent twice) is `422 ON_BEHALF_OF_NOT_A_CLINICIAN`
 * before the route runs, so nothing is written. Checked on every route that receives the header.
 */
@Injectable()
export class OnBehalfOfGuard implements CanActivate {
  constructor(@Inject(ClinicResources) private readonly resources: ClinicResources) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const raw = request.headers['x-on-behalf-of'];
    if (raw === undefined || !request.actor) return true;
    const value = Array.isArray(raw) ? raw : [raw];
    const id = value.length === 1 ? value[0].trim() : '';
    if (!id || !(await this.resources.isClinicianOf(request.actor.clinicId, id))) {
      throw new ApiError(
        422,
        ON_BEHALF_OF_CODE,
        'X-On-Behalf-Of must name a clinician registered in your clinic (their clinician id, as in GET /clinicians); nothing was changed.',
        { header: 'X-On-Behalf-Of' },
      );
    }
    return true;
  }
}
