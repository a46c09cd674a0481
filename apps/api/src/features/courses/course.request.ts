import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COURSE_END_REASONS, type CourseEndReason, type FactBasis } from '#app/domain';
import { ID_MESSAGE, ID_PATTERN, IsAssessment, IsContentRecord, IsCpr, IsFactValue, IsInstant } from '../../platform/http/validators.js';

const FULL_CONTENT_EXAMPLE = {
  CURRENT_MEDICATION: 'paracetamol 1 g x 4, tramadol 50 mg as needed',
  PREVIOUS_MEDICATION: 'gabapentin (stopped: dizziness)',
  PSYCHOLOGICAL_FACTORS: 'low mood, avoidance',
  SLEEP_AND_ACTIVITY: 'sleeps 4-5 hours, walks 10 minutes a day',
  EMPLOYMENT_STATUS: 'sick-listed since August',
  INCOME_SETTLED: 'sickness benefit, not settled long term',
  PENDING_COMPENSATION_CASES: 'none',
};

const TEXT = 'must be a text of at most 2000 characters';

export class ReferrerRequest {
  @ApiProperty({ enum: ['GP', 'HOSPITAL', 'OTHER'], example: 'GP' })
  @IsIn(['GP', 'HOSPITAL', 'OTHER'], { message: 'referrer.kind must be GP, HOSPITAL or OTHER' })
  kind: 'GP' | 'HOSPITAL' | 'OTHER';

  @ApiProperty({ example: 'GP-042113', description: 'provider number / SOR code of the referring practice or department' })
  @IsString()
  @Length(1, 64)
  id: string;

  @ApiPropertyOptional({ example: 'Lægehuset Vestergade' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class CreateReferralRequest {
  @ApiProperty({
    example: '010100-0000',
    description:
      "The patient's CPR number (DDMMYY-SSSS or DDMMYYSSSS). Only ever in this body: it is stored encrypted in the protected patient table and never in an event, a URL, a log line or a response.",
  })
  @IsCpr()
  cpr: string;

  @ApiProperty({
    example: '2026-03-02T08:15:00+01:00',
    description: 'when the referral reached the centre; the 48-hour visitation clock runs from here',
  })
  @IsInstant()
  receivedAt: string;

  @ApiProperty({ type: ReferrerRequest })
  @ValidateNested()
  @Type(() => ReferrerRequest)
  referrer: ReferrerRequest;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: FULL_CONTENT_EXAMPLE,
    description: "the referral's content by item code (care-model §6); a missing required item puts the course on hold",
  })
  @IsContentRecord()
  content: Record<string, string>;

  @ApiPropertyOptional({
    example: false,
    description:
      'true opens a second course although the patient already has an open course on this pathway (otherwise 409 OPEN_COURSE_EXISTS names that course); needs `reason`',
  })
  @IsOptional()
  @IsBoolean({ message: 'newCourse must be true or false' })
  newCourse?: boolean;

  @ApiPropertyOptional({
    example: 'New referral for a different pain condition after surgery',
    description: 'why a second course is opened (required with newCourse: true; kept in the event)',
  })
  @ValidateIf((o: CreateReferralRequest) => o.newCourse === true || o.reason !== undefined)
  @IsString({ message: 'reason must say why a second course is opened' })
  @Matches(/\S/, { message: 'reason must say why a second course is opened' })
  @MaxLength(500)
  reason?: string;
}

export class SupplementReferralRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { PREVIOUS_MEDICATION: 'gabapentin, amitriptyline', PENDING_COMPENSATION_CASES: 'none' },
    description: 'the missing items the referrer has now sent',
  })
  @IsContentRecord()
  content: Record<string, string>;

  @ApiPropertyOptional({ example: 'GP answered by phone' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `reason ${TEXT}` })
  reason?: string;
}

export class VisitationRequest {
  @ApiProperty({ enum: ['accept', 'reject'], example: 'accept' })
  @IsIn(['accept', 'reject'], { message: 'decision must be accept or reject' })
  decision: 'accept' | 'reject';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    description: "every criterion of the pathway's criteria set, assessed: code → met",
    example: {
      PAIN_OVER_SIX_MONTHS: true,
      MOTIVATED: true,
      SINGLE_DISCIPLINE_FAILED: true,
      DIAGNOSTICALLY_CLARIFIED: true,
      SERIOUS_CONSEQUENCES: true,
      SOCIAL_PSYCHOLOGICAL_PROBLEMS: true,
    },
  })
  @IsAssessment()
  assessment: Record<string, boolean>;

  @ApiPropertyOptional({ example: 'Not diagnostically clarified: awaiting rheumatology.', description: 'required when rejecting' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `reason ${TEXT}` })
  reason?: string;

  @ApiPropertyOptional({
    example: 'Re-refer when the rheumatology work-up is finished.',
    description: 'required when rejecting: the plan sent to the GP',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `planForGp ${TEXT}` })
  planForGp?: string;
}

const BASIS_SOURCES: readonly FactBasis['source'][] = [
  'REFERRAL',
  'PRO_QUESTIONNAIRE',
  'CONSULTATION',
  'ASSESSMENT',
  'PATIENT_STATEMENT',
  'COURSE',
  'OTHER',
];

export class FactBasisRequest {
  @ApiProperty({ enum: BASIS_SOURCES, example: 'CONSULTATION' })
  @IsIn(BASIS_SOURCES, { message: `basis.source must be one of ${BASIS_SOURCES.join(', ')}` })
  source: FactBasis['source'];

  @ApiPropertyOptional({ example: 'KORT_PRIMAERSAMTALE', description: 'the pathway step where it was found' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  stepCode?: string;

  @ApiPropertyOptional({ example: 'Patient speaks Danish fluently.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `basis.note ${TEXT}` })
  note?: string;
}

export class FactRequest {
  @ApiProperty({ example: 'needsInterpreter', description: 'a patient fact (care-model §5) or a custom fact of the catalogue' })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { message: 'fact must be the name of a patient fact, e.g. needsInterpreter' })
  fact: string;

  @ApiPropertyOptional({ example: 'LIVET_MED_SMERTER', description: 'the programme, for per-programme facts such as motivatedFor' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  key?: string;

  @ApiProperty({ oneOf: [{ type: 'boolean' }, { type: 'string' }], example: false })
  @IsFactValue()
  value: boolean | string;

  @ApiProperty({ type: FactBasisRequest })
  @ValidateNested()
  @Type(() => FactBasisRequest)
  basis: FactBasisRequest;
}

export class RecordFactsRequest {
  @ApiProperty({
    type: [FactRequest],
    example: [{ fact: 'needsInterpreter', value: false, basis: { source: 'CONSULTATION', stepCode: 'KORT_PRIMAERSAMTALE' } }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => FactRequest)
  facts: FactRequest[];

  @ApiPropertyOptional({ example: 'Recorded at the short first talk' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `reason ${TEXT}` })
  reason?: string;
}

export class AssignMicroteamMemberRequest {
  @ApiProperty({ example: 'doc-17' })
  @IsString()
  @Matches(ID_PATTERN, { message: `clinicianId ${ID_MESSAGE}` })
  clinicianId: string;

  @ApiProperty({ example: 'PAL', description: "one of the pathway's microteam roles (PAL, CONTACT_NURSE, SOCIAL_WORKER, …)" })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'role must be a microteam role code such as PAL or CONTACT_NURSE' })
  role: string;

  @ApiPropertyOptional({ example: 'PAL from the long first talk' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `reason ${TEXT}` })
  reason?: string;
}

export class RemoveMicroteamMemberRequest {
  @ApiProperty({ example: 'Nurse on long leave' })
  @IsString()
  @Length(1, 2000, { message: 'reason must say why the clinician leaves the microteam' })
  reason: string;

  @ApiPropertyOptional({ example: 'SOCIAL_WORKER', description: 'only this role; default every role the clinician holds on the course' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'role must be a microteam role code such as PAL or CONTACT_NURSE' })
  role?: string;
}

export class ScheduleStepRequest {
  @ApiProperty({ example: '2026-03-09T10:00:00+01:00', description: 'start (first session for a group step)' })
  @IsInstant()
  at: string;

  @ApiPropertyOptional({ example: '2026-03-09T11:30:00+01:00', description: 'end of the last session, for group steps' })
  @IsOptional()
  @IsInstant()
  endsAt?: string;

  @ApiPropertyOptional({ example: '1c8d2d7e-3f0a-4f57-9a55-0e4c1d0b7a11', description: 'group steps: the team the course holds a seat on' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `teamId ${ID_MESSAGE}` })
  teamId?: string;

  @ApiPropertyOptional({ example: 'Patient on holiday in week 11', description: 'why it is booked outside its window, when it is' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `deviationReason ${TEXT}` })
  deviationReason?: string;
}

export class CompleteStepRequest {
  @ApiPropertyOptional({ example: '2026-03-09T10:15:00+01:00', description: 'when it actually ended; default now' })
  @IsOptional()
  @IsInstant()
  completedAt?: string;

  @ApiPropertyOptional({ example: '1c8d2d7e-3f0a-4f57-9a55-0e4c1d0b7a11' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `teamId ${ID_MESSAGE}` })
  teamId?: string;

  @ApiPropertyOptional({ example: 'Held a week late: clinician ill' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `deviationReason ${TEXT}` })
  deviationReason?: string;
}

export class SkipStepRequest {
  @ApiProperty({ example: 'Attended Forstå smerte in 2024 at another centre' })
  @IsString()
  @Length(1, 2000, { message: 'reason must say why the step is skipped' })
  reason: string;
}

export class ChooseOptionRequest {
  @ApiProperty({ example: 'MBSR', description: "one of the choice step's programmes (stress reduction: AFSPAENDING or MBSR)" })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'option must be a programme code such as MBSR' })
  option: string;

  @ApiPropertyOptional({ example: 'Chose at nurse follow-up 1' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `reason ${TEXT}` })
  reason?: string;
}

export class AddAddOnRequest {
  @ApiProperty({ example: 'SOCIAL_VISITATION', description: 'an optional step (tillæg) of the pathway' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'stepCode must be a step code such as SOCIAL_VISITATION' })
  stepCode: string;

  @ApiProperty({ example: 'Sick-listed; job-centre process unclear' })
  @IsString()
  @Length(1, 2000, { message: 'reason must say why the add-on is needed' })
  reason: string;
}

export class EndCourseRequest {
  @ApiProperty({ enum: COURSE_END_REASONS, example: 'dropped_out' })
  @IsIn(COURSE_END_REASONS as CourseEndReason[], { message: `reason must be one of ${COURSE_END_REASONS.join(', ')}` })
  reason: CourseEndReason;

  @ApiProperty({ example: 'Patient withdrew by phone; moving abroad.' })
  @IsString()
  @Length(1, 2000, { message: 'note must say why the course ends' })
  note: string;

  @ApiPropertyOptional({ example: 'ACTIVE_SUBSTANCE_ABUSE', description: "required for excluded: one of the pathway's exclusion reasons" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  exclusionCode?: string;

  @ApiPropertyOptional({ example: 'GP to continue current medication.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: `planForGp ${TEXT}` })
  planForGp?: string;
}
