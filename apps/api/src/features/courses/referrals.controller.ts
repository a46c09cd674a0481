import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { courseStreamId, type CourseCommand } from '#app/domain';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { CprField } from '../../platform/privacy/cpr-in-text.guard.js';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { PatientCourses } from '../patients/patient-courses.js';
import { PatientIdentityService } from '../patients/patient-identity.service.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import { newIdFor } from '../../platform/write-path/new-stream-id.js';
import { CreateReferralRequest } from './course.requests.js';
import { ReferralCreatedResponse } from './course.response.js';
import { batchCourseDecider } from './course.service.js';
import { ApiWrite, WRITE_HEADERS } from '../../platform/http/openapi.js';

@ApiTags('courses')
@Controller('referrals')
export class ReferralsController {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(PatientIdentityService) private readonly patients: PatientIdentityService,
    @Inject(PatientCourses) private readonly patientCourses: PatientCourses,
  ) {}

  @Post()
  @PatientData({ use: 'write', patientFrom: 'response' })
  @HttpCode(201)
  @Roles('secretary')
  @CprField('cpr')
  @ApiOperation({
    summary: 'A referral arrives: finds or creates the patient by CPR number and starts a course',
    description:
      'The CPR number is accepted only in this body. It is validated (CPR office rules), looked up by keyed hash in the protected ' +
      'patient table and stored there encrypted; the course and its events carry only a pseudonymous patientId. A referral missing ' +
      'required content (care-model §6) starts the course on hold, listing what is missing; paper visitation is due 48 hours after receipt either way. ' +
      'With an Idempotency-Key a retry returns the same course. A patient is a separate identity per clinic (the same CPR number in another clinic is ' +
      'another patient). A patient with an open course (not ended) on the same pathway gets 409 OPEN_COURSE_EXISTS naming that course, unless the ' +
      'request says `"newCourse": true` with a `reason` (kept in the ReferralReceived event as `newCourse` and in its metadata).',
  })
  @ApiCreatedResponse({ type: ReferralCreatedResponse, headers: { ...WRITE_HEADERS, Location: { description: '/courses/{courseId}', schema: { type: 'string' } } } })
  @ApiWrite({ creates: true, conflict: ['OPEN_COURSE_EXISTS'], unprocessable: ['RECEIVED_IN_FUTURE', 'REFERRAL_INCOMPLETE_DATA', 'NO_CATALOGUE'] })
  async create(@Body() body: CreateReferralRequest, @Write() ctx: WriteContext, @Res({ passthrough: true }) res: Response): Promise<ReferralCreatedResponse> {
    const catalogue = await this.catalogues.current(ctx.actor.clinicId);
    const { patientId } = await this.patients.findOrCreate(ctx.actor.clinicId, body.cpr);
    const courseId = newIdFor('course', ctx.actor, ctx.idempotencyKey);
    const reason = body.newCourse ? body.reason!.trim() : undefined;
    // one open course per patient and pathway, unless a second one is asked for with a reason
    const { openCourseIds } = await this.patientCourses.open(ctx.actor.clinicId, patientId, courseId, catalogue.pathway.code, body.newCourse === true, ctx.metadata({ reason }));
    const command: CourseCommand = {
      type: 'ReceiveReferral',
      now: new Date().toISOString(),
      pathway: catalogue.pathway,
      courseId,
      patientId,
      receivedAt: body.receivedAt,
      referrer: { kind: body.referrer.kind, id: body.referrer.id, ...(body.referrer.name ? { name: body.referrer.name } : {}) },
      content: body.content,
      ...(reason ? { newCourse: { reason, openCourseIds } } : {}),
    };
    const result = await this.store.execute(batchCourseDecider, courseStreamId(courseId), [command], { metadata: ctx.metadata({ reason }) });
    setWriteHeaders(res, result);
    res.setHeader('Location', `/courses/${courseId}`);
    const referral = result.state.referral!;
    const labels = new Map(catalogue.pathway.referral.requiredContent.map((i) => [i.code, i.label]));
    return {
      courseId,
      patientId: result.state.patientId!,
      status: result.state.status,
      missing: referral.missing.map((code) => ({ code, label: labels.get(code) ?? code })),
      visitationDueBy: referral.visitationDueBy,
      revision: result.revision,
    };
  }
}
