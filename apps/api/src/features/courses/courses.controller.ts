import { Body, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PatientData } from '../../platform/access-log/patient-data.decorator.js';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../platform/auth/roles.decorator.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setReadHeaders, setWriteHeaders } from '../../platform/write-path/write-response.js';
import type { CourseView } from './course-view.js';
import {
  AddAddOnRequest,
  AssignMicroteamMemberRequest,
  ChooseOptionRequest,
  CompleteStepRequest,
  EndCourseRequest,
  RecordFactsRequest,
  RemoveMicroteamMemberRequest,
  ScheduleStepRequest,
  SkipStepRequest,
  SupplementReferralRequest,
  VisitationRequest,
} from './course.request.js';
import { CourseResponse } from './course.response.js';
import { CourseAsOf } from './course-as-of.query.js';
import { ApiAsOf } from './course-as-of.response.js';
import { CourseReader } from './course-reader.js';
import type { CourseWrite } from './course-writer.js';
import { AddAddOn } from './commands/add-add-on.command.js';
import { AssignMicroteamMember } from './commands/assign-microteam-member.command.js';
import { ChooseOption } from './commands/choose-option.command.js';
import { CompleteStep } from './commands/complete-step.command.js';
import { DecideVisitation } from './commands/decide-visitation.command.js';
import { EndCourse } from './commands/end-course.command.js';
import { RecordPatientFacts } from './commands/record-patient-facts.command.js';
import { RemoveMicroteamMember } from './commands/remove-microteam-member.command.js';
import { ScheduleStep } from './commands/schedule-step.command.js';
import { SkipStep } from './commands/skip-step.command.js';
import { SupplementReferral } from './commands/supplement-referral.command.js';
import { WriteEndpoint } from '../../platform/http/endpoint.js';
import { ApiReadErrors, WRITE_HEADERS } from '../../platform/http/openapi.js';
import { CourseRead } from '../../platform/privacy/course-read-policy.js';

const COURSE_ID = ApiParam({ name: 'id', description: 'course id (uuid)', example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' });
const STEP_CODE = ApiParam({ name: 'stepCode', description: 'a step of the course pathway', example: 'KORT_PRIMAERSAMTALE' });
const COURSE_AFTER = { type: CourseResponse, description: 'the course after the change' };

/** The pathway operations on one patient's course (care-model §3–§6), over the course decider. */
@ApiTags('courses')
@Controller('courses')
export class CoursesController {
  constructor(
    @Inject(CourseReader) private readonly courses: CourseReader,
    @Inject(CourseAsOf) private readonly asOf: CourseAsOf,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  @Get(':id')
  @Roles('secretary', 'clinician', 'auditor')
  @CourseRead('id')
  @ApiOperation({
    summary: "A patient's course now",
    description:
      'Status; every pathway step with booking, completion, window and whether it was outside it; current and next step; facts with who recorded ' +
      'them, when and on what basis; microteam and coordinator; seats and waitlists; individual appointments; open items and waiting times. ETag = course revision.',
  })
  @PatientData({ use: 'read', courseParam: 'id' })
  @ApiAsOf()
  @COURSE_ID
  @ApiOkResponse({ type: CourseResponse, headers: { ETag: WRITE_HEADERS.ETag } })
  @ApiReadErrors()
  async get(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
    @Query('asOf') asOf?: string,
  ): Promise<CourseView> {
    const view = asOf === undefined ? await this.courses.view(actor, id) : await this.asOf.courseAsOf(actor, id, asOf);
    setReadHeaders(res, view.revision);
    return view;
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/referral',
    roles: ['secretary'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Supplement a referral on hold with what the referrer sent; releases the hold when nothing is missing',
    unprocessable: ['REFERRAL_NOT_ON_HOLD', 'NOTHING_ADDED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async supplement(
    @Param('id') id: string,
    @Body() body: SupplementReferralRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new SupplementReferral(ctx, id, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/visitation',
    roles: ['clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Paper visitation: accept, or reject with reason and plan for the GP (rejection ends the course)',
    description:
      "Every criterion of the pathway's criteria set must be assessed. The deciding clinician's staff id is recorded in the event metadata.",
    unprocessable: ['REFERRAL_ON_HOLD', 'VISITATION_ALREADY_DECIDED', 'CRITERIA_NOT_ASSESSED', 'CRITERIA_NOT_MET', 'REASON_REQUIRED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async visitation(
    @Param('id') id: string,
    @Body() body: VisitationRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new DecideVisitation(ctx, id, body)));
  }

  @WriteEndpoint({
    method: 'PUT',
    path: ':id/criteria',
    roles: ['clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Record patient facts (care-model §5), each with its value and basis',
    description: 'All facts are recorded together or none is. A fact whose value and basis equal its latest recording is left as it is.',
    unprocessable: ['UNKNOWN_FACT', 'FACT_VALUE_INVALID', 'FACT_KEY_REQUIRED', 'FACT_KEY_UNEXPECTED', 'FACT_DERIVED', 'BASIS_REQUIRED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async criteria(
    @Param('id') id: string,
    @Body() body: RecordFactsRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new RecordPatientFacts(ctx, id, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/microteam',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Add a clinician to the microteam in a role (PAL and contact nurse replace the current holder)',
    unprocessable: ['VISITATION_NOT_ACCEPTED', 'UNKNOWN_ROLE'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async addMember(
    @Param('id') id: string,
    @Body() body: AssignMicroteamMemberRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new AssignMicroteamMember(ctx, id, body)));
  }

  @WriteEndpoint({
    method: 'DELETE',
    path: ':id/microteam/:clinicianId',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Remove a clinician from the microteam (every role they hold, or the one given), with the reason',
    unprocessable: ['NOT_IN_MICROTEAM', 'COORDINATOR_NEEDED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  @ApiParam({ name: 'clinicianId', example: 'nurse-4' })
  async removeMember(
    @Param('id') id: string,
    @Param('clinicianId') clinicianId: string,
    @Body() body: RemoveMicroteamMemberRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new RemoveMicroteamMember(ctx, id, clinicianId, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/steps/:stepCode/schedule',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Book a pathway step (or move its booking); refused out of order, flagged outside its window',
    description:
      'Group steps need a seat on the team first. Booking a step records it on the course; use /appointments to reserve clinicians and a room.',
    unprocessable: [
      'STEP_OUT_OF_ORDER',
      'STEP_BEFORE_PREREQUISITE',
      'UNKNOWN_STEP',
      'ADD_ON_NOT_ADDED',
      'MICROTEAM_INCOMPLETE',
      'NO_SEAT_ON_TEAM',
      'OPTION_NOT_CHOSEN',
      'OUTSIDE_WINDOW',
    ],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  @STEP_CODE
  async schedule(
    @Param('id') id: string,
    @Param('stepCode') stepCode: string,
    @Body() body: ScheduleStepRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new ScheduleStep(ctx, id, stepCode, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/steps/:stepCode/complete',
    roles: ['clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Record that a step has taken place (its prerequisites must be done)',
    unprocessable: ['STEP_OUT_OF_ORDER', 'COMPLETION_IN_FUTURE', 'STEP_ALREADY_COMPLETED', 'MICROTEAM_INCOMPLETE'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  @STEP_CODE
  async complete(
    @Param('id') id: string,
    @Param('stepCode') stepCode: string,
    @Body() body: CompleteStepRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new CompleteStep(ctx, id, stepCode, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/steps/:stepCode/skip',
    roles: ['clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Skip a step for this course, with the reason',
    unprocessable: ['STEP_ALREADY_COMPLETED', 'SEAT_HELD', 'UNKNOWN_STEP'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  @STEP_CODE
  async skip(
    @Param('id') id: string,
    @Param('stepCode') stepCode: string,
    @Body() body: SkipStepRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new SkipStep(ctx, id, stepCode, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/choices/:stepCode',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: "Record the patient's choice at a choice step (stress reduction: AFSPAENDING or MBSR)",
    unprocessable: ['NOT_A_CHOICE', 'UNKNOWN_OPTION', 'CHOICE_TOO_EARLY', 'CHOICE_LOCKED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  @ApiParam({ name: 'stepCode', example: 'STRESS_REDUCTION' })
  async choose(
    @Param('id') id: string,
    @Param('stepCode') stepCode: string,
    @Body() body: ChooseOptionRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new ChooseOption(ctx, id, stepCode, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/add-ons',
    roles: ['clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'Add an optional step (tillæg: HA, CFT, Terapihold, …) to the course, with the reason',
    unprocessable: ['NOT_AN_ADD_ON', 'ADD_ON_ALREADY_ADDED', 'ADD_ON_CONFLICT', 'UNKNOWN_STEP'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async addOn(
    @Param('id') id: string,
    @Body() body: AddAddOnRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new AddAddOn(ctx, id, body)));
  }

  @WriteEndpoint({
    method: 'POST',
    path: ':id/end',
    roles: ['secretary', 'clinician'],
    patientData: { use: 'write', courseParam: 'id' },
    summary: 'End the course (excluded, dropped_out, completed, stalled) with a note',
    description: 'A referral is rejected through /visitation, not here. Only a stalled course may be referred again.',
    unprocessable: ['REJECT_AT_VISITATION', 'EXCLUSION_REASON_UNKNOWN', 'EXCLUSION_TOO_EARLY', 'COURSE_NOT_COMPLETE', 'REASON_REQUIRED'],
    ok: COURSE_AFTER,
  })
  @COURSE_ID
  async end(
    @Param('id') id: string,
    @Body() body: EndCourseRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(res, await this.commands.execute(new EndCourse(ctx, id, body)));
  }

  private respond(res: Response, write: CourseWrite): CourseView {
    setWriteHeaders(res, write.result);
    return write.view;
  }
}
