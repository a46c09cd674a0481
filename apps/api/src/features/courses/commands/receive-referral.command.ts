import { Command } from '@nestjs/cqrs';
import type { CourseEvent, CourseState } from '#app/domain';
import type { ExecuteResult } from '../../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { CreateReferralRequest } from '../course.request.js';
import type { ReferralCreatedResponse } from '../course.response.js';

export interface ReferralReceived {
  readonly result: ExecuteResult<CourseState, CourseEvent>;
  readonly referral: ReferralCreatedResponse;
}

/** A referral arrives: find or create the patient by CPR number and start a course (POST /referrals). */
export class ReceiveReferral extends Command<ReferralReceived> {
  constructor(
    readonly ctx: WriteContext,
    readonly request: CreateReferralRequest,
  ) {
    super();
  }
}
