import type { ClashDetails, ResourceRef } from '#app/domain';
import { ApiError } from '../../platform/http/api-error.js';

/** the clashes found on one resource, with the decider's sentence */
export interface FoundClash {
  readonly resource: ResourceRef;
  readonly clashes: readonly ClashDetails[];
  readonly message: string;
}

export interface ClashEntry {
  readonly resource: ResourceRef['kind'];
  readonly resourceId?: string;
  readonly busyWith: ClashDetails['kind'];
  readonly start: string;
  readonly end: string;
  /** the caller's own clinic only: the team and session the resource is busy with */
  readonly teamId?: string;
  readonly sessionKey?: string;
  /** team writes: the start of the session of this write that clashes */
  readonly requestedStart?: string;
}

/**
 * 409 SCHEDULE_CLASH listing every clash on every resource (a therapist assigned to a 9-session team hears
 * each clashing date at once). It names the resource and the taken time; never whose booking it is: no
 * course, patient or appointment id, and another clinic's team not even by id.
 */
export function scheduleClashError(found: readonly FoundClash[], clinicId: string, options: { requested?: boolean } = {}): ApiError {
  const listed: ClashEntry[] = found.flatMap(({ resource, clashes }) =>
    clashes.map((clash) => ({
      resource: resource.kind,
      ...(resource.kind === 'patient' ? {} : { resourceId: resource.id }),
      busyWith: clash.kind,
      start: clash.start,
      end: clash.end,
      ...(clash.kind === 'team-session' && clash.clinicId === clinicId && clash.teamId
        ? { teamId: clash.teamId, sessionKey: clash.sessionKey }
        : {}),
      ...(options.requested ? { requestedStart: clash.requestedStart } : {}),
    })),
  );
  const { requestedStart: _r, ...first } = listed[0] ?? { resource: 'room', busyWith: 'appointment', start: '', end: '' };
  return new ApiError(409, 'SCHEDULE_CLASH', found.map((c) => c.message).join(' '), { ...first, clashes: listed });
}
