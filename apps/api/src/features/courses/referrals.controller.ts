import { Body, Controller, Inject, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CprField } from '../../platform/privacy/cpr-in-text.guard.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import { CreateReferralRequest } from './course.request.js';
import { ReferralCreatedResponse } from './course.response.js';
import { ReceiveReferral } from './commands/receive-referral.command.js';
import { WriteEndpoint } from '../../platform/http/endpoint.js';
import { WRITE_HEADERS } from '../../platform/http/openapi.js';

@ApiTags('courses')
@Controller('referrals')
export class ReferralsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  // the 201 with its Location header goes above WriteEndpoint, so it replaces the plain 201 WriteEndpoint documents
  @ApiCreatedResponse({
    type: ReferralCreatedResponse,
    headers: { ...WRITE_HEADERS, Location: { description: '/courses/{courseId}', schema: { type: 'string' } } },
  })
  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary'],
    patientData: { use: 'write', patientFrom: 'response' },
    summary: 'A referral arrives: finds or creates the patient by CPR number and starts a course',
    description:
      'The CPR number is accepted only in this body. It is validated (CPR office rules), looked up by keyed hash in the protected ' +
      'patient table and stored there encrypted; the course and its events carry only a pseudonymous patientId. A referral missing ' +
      'required content (care-model §6) starts the course on hold, listing what is missing; paper visitation is due 48 hours after receipt either way. ' +
      'With an Idempotency-Key a retry returns the same course. A patient is a separate identity per clinic (the same CPR number in another clinic is ' +
      'another patient). A patient with an open course (not ended) on the same pathway gets 409 OPEN_COURSE_EXISTS naming that course, unless the ' +
      'request says `"newCourse": true` with a `reason` (kept in the ReferralReceived event as `newCourse` and in its metadata).',
    creates: true,
    conflict: ['OPEN_COURSE_EXISTS'],
    unprocessable: ['RECEIVED_IN_FUTURE', 'REFERRAL_INCOMPLETE_DATA', 'NO_CATALOGUE'],
    created: ReferralCreatedResponse,
  })
  @CprField('cpr')
  async create(
    @Body() body: CreateReferralRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReferralCreatedResponse> {
    const { result, referral } = await this.commands.execute(new ReceiveReferral(ctx, body));
    setWriteHeaders(res, result);
    res.setHeader('Location', `/courses/${referral.courseId}`);
    return referral;
  }
}
