import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI documentation of GET /courses/{id} (the object itself is built by course-view.ts). */

class ReferralItemResponse {
  @ApiProperty({ example: 'PREVIOUS_MEDICATION' }) code: string;
  @ApiProperty({ example: 'previously tried medication' }) label: string;
}

class ReferralHoldResponse {
  @ApiProperty({ example: '2026-03-02T09:00:00+01:00' }) from: string;
  @ApiPropertyOptional({ example: '2026-03-03T10:00:00+01:00', description: 'absent while the hold lasts' }) to?: string;
  @ApiProperty({ example: ['PREVIOUS_MEDICATION'] }) missing: string[];
}

class MicroteamMemberResponse {
  @ApiProperty({ example: 'doc-17' }) clinicianId: string;
  @ApiProperty({ example: 'PAL' }) role: string;
  @ApiProperty({ example: '2026-03-16T15:10:00+01:00' }) since: string;
}

class SeatHoldingResponse {
  @ApiProperty({ example: 'fs-1' }) teamId: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) programme: string;
  @ApiProperty({ example: 'FORSTAA_SMERTE' }) stepCode: string;
  @ApiProperty({ example: '2026-03-09T11:00:00+01:00' }) since: string;
}

class AddOnResponse {
  @ApiProperty({ example: 'SOCIAL_VISITATION' }) stepCode: string;
  @ApiProperty({ example: 'sick-listed' }) reason: string;
  @ApiProperty({ example: '2026-03-24T12:00:00+01:00' }) addedAt: string;
}

class CourseOpenItemResponse {
  @ApiProperty({ example: 'VISITATION_DUE' }) code: string;
  @ApiProperty({ example: 'Paper visitation is due by 2026-03-04T08:15:00+01:00.' }) message: string;
  @ApiPropertyOptional() stepCode?: string;
  @ApiPropertyOptional() programme?: string;
  @ApiPropertyOptional() teamId?: string;
  @ApiPropertyOptional({ example: '2026-03-04T08:15:00+01:00' }) dueBy?: string;
  @ApiPropertyOptional() since?: string;
}

class ConcreteWindowResponse {
  @ApiProperty({ example: 'Understanding pain (end)' }) relativeTo: string;
  @ApiProperty({ example: '2026-03-16T14:30:00+01:00' }) anchorAt: string;
  @ApiProperty({ enum: ['day', 'hour'], example: 'day' }) unit: string;
  @ApiProperty({ example: '2026-03-23', description: 'local date (unit day) or instant (unit hour), inclusive' }) from: string;
  @ApiProperty({ example: '2026-03-30' }) to: string;
}

class ReferralResponse {
  @ApiProperty({ example: '2026-03-02T08:15:00+01:00' }) receivedAt: string;
  @ApiProperty({ example: { kind: 'GP', id: 'GP-042113', name: 'Lægehuset Vestergade' } }) referrer: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { CURRENT_MEDICATION: 'paracetamol' } })
  content: Record<string, string>;
  @ApiProperty({ type: [ReferralItemResponse], description: 'what the referrer has been asked for (non-empty while on hold)' })
  missing: ReferralItemResponse[];
  @ApiProperty({ type: [ReferralHoldResponse] }) holds: ReferralHoldResponse[];
  @ApiProperty({ example: '2026-03-04T08:15:00+01:00', description: 'receipt + 48 h; never reset by a hold' }) visitationDueBy: string;
  @ApiProperty({ example: false }) visitationOverdue: boolean;
}

class VisitationResponse {
  @ApiProperty({ enum: ['accepted', 'rejected'] }) decision: string;
  @ApiProperty({ example: '2026-03-03T11:00:00+01:00' }) decidedAt: string;
  @ApiPropertyOptional({ example: 'doc-17', description: 'staff id of the deciding clinician' }) decidedBy?: string;
  @ApiProperty({ example: { code: 'SST_SPECIALEVEJLEDNING_ANAESTESIOLOGI', version: '2023-01-18' } }) criteriaSet: Record<string, string>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [{ code: 'MOTIVATED', met: true }] })
  assessment: unknown[];
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional() planForGp?: string;
  @ApiProperty({ example: true }) withinDeadline: boolean;
}

class StepResponse {
  @ApiProperty({ example: 'LANG_PRIMAERSAMTALE' }) code: string;
  @ApiProperty({ example: 'Long first talk' }) name: string;
  @ApiProperty({ enum: ['programme', 'intervention', 'choice'] }) kind: string;
  @ApiPropertyOptional({ example: 'FORSTAA_SMERTE', description: 'group programme (for a choice: the option chosen)' }) programme?: string;
  @ApiPropertyOptional({ example: ['AFSPAENDING', 'MBSR'] }) options?: string[];
  @ApiPropertyOptional({ example: 'LANG_PRIMAERSAMTALE' }) intervention?: string;
  @ApiProperty({ example: false, description: 'an add-on (tillæg)' }) optional: boolean;
  @ApiProperty({ example: true, description: 'required, or an add-on that has been added' }) inCourse: boolean;
  @ApiProperty({ enum: ['pending', 'scheduled', 'completed', 'skipped'] }) status: string;
  @ApiProperty({ example: false, description: 'may be booked now (prerequisites booked, itself not booked)' }) bookable: boolean;
  @ApiPropertyOptional({ example: '2026-03-24T09:00:00+01:00' }) at?: string;
  @ApiPropertyOptional() endsAt?: string;
  @ApiPropertyOptional() completedAt?: string;
  @ApiPropertyOptional() teamId?: string;
  @ApiPropertyOptional({ type: ConcreteWindowResponse }) window?: ConcreteWindowResponse;
  @ApiPropertyOptional({ example: false }) outsideWindow?: boolean;
  @ApiPropertyOptional() skipReason?: string;
}

class FactEntryResponse {
  @ApiProperty({ example: 'needsInterpreter' }) fact: string;
  @ApiPropertyOptional({ example: 'LIVET_MED_SMERTER' }) key?: string;
  @ApiProperty({ oneOf: [{ type: 'boolean' }, { type: 'string' }], example: false }) value: boolean | string;
  @ApiProperty({ example: { source: 'CONSULTATION', stepCode: 'KORT_PRIMAERSAMTALE' } }) basis: Record<string, string>;
  @ApiProperty({ example: '2026-03-09T10:20:00+01:00' }) recordedAt: string;
  @ApiPropertyOptional({ example: 'doc-17' }) recordedBy?: string;
  @ApiPropertyOptional() reason?: string;
}

class FactsResponse {
  @ApiProperty({ example: { needsInterpreter: false, programmesCompleted: [] }, description: 'the current value of every recorded fact' })
  current: Record<string, unknown>;
  @ApiProperty({ type: [FactEntryResponse], description: 'every recording, with who, when and on what basis' })
  history: FactEntryResponse[];
}

class MicroteamResponse {
  @ApiProperty({ type: [MicroteamMemberResponse] }) members: MicroteamMemberResponse[];
  @ApiProperty({
    example: { role: 'SECRETARY' },
    description: 'who coordinates: the secretary until Lang primærsamtale, then the contact nurse',
  })
  coordinator: Record<string, string>;
}

export class AppointmentResponse {
  @ApiProperty({ example: '5b7f8c1e-2d1a-4c43-9a1e-7d2f4b9c0a12' }) appointmentId: string;
  @ApiProperty({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) courseId: string;
  @ApiProperty({ example: 'KORT_PRIMAERSAMTALE' }) intervention: string;
  @ApiProperty({ example: '2026-03-09T10:00:00+01:00' }) start: string;
  @ApiProperty({ example: '2026-03-09T10:15:00+01:00' }) end: string;
  @ApiProperty({ example: 15 }) durationMinutes: number;
  @ApiProperty({ example: ['doc-17'] }) clinicianIds: string[];
  @ApiPropertyOptional({ example: 'room-2' }) roomId?: string;
  @ApiProperty({ enum: ['booked', 'cancelled'] }) status: string;
  @ApiProperty({ example: '2026-03-03T12:00:00.000Z' }) bookedAt: string;
  @ApiPropertyOptional() cancelledAt?: string;
  @ApiPropertyOptional({ example: 'Patient ill' }) cancelReason?: string;
}

export class CourseResponse {
  @ApiProperty({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) courseId: string;
  @ApiProperty({
    example: '9d3e4f1a-6b2c-4d8e-a1f0-5c7b3e2d1a90',
    description: 'pseudonymous patient id (the CPR number is never returned)',
  })
  patientId: string;
  @ApiProperty({ example: 4, description: 'revision of the course stream (also the ETag)' }) revision: number;
  @ApiProperty({ enum: ['on_hold', 'awaiting_visitation', 'active', 'ended'] }) status: string;
  @ApiProperty({ example: { code: 'SMERTECENTER_STANDARD', version: 1, name: 'Interdisciplinary standard course' } }) pathway: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: ReferralResponse }) referral: ReferralResponse;
  @ApiPropertyOptional({ type: VisitationResponse }) visitation?: VisitationResponse;
  @ApiPropertyOptional({ example: { stepCode: 'KORT_PRIMAERSAMTALE', status: 'scheduled', at: '2026-03-09T10:00:00+01:00' } })
  currentStep?: Record<string, unknown>;
  @ApiPropertyOptional({
    example: { stepCode: 'FORSTAA_SMERTE', name: 'Understanding pain', needsChoice: false, programme: 'FORSTAA_SMERTE' },
  })
  nextStep?: Record<string, unknown>;
  @ApiProperty({ type: [StepResponse] }) steps: StepResponse[];
  @ApiProperty({ example: { STRESS_REDUCTION: 'MBSR' } }) choices: Record<string, string>;
  @ApiProperty({ type: [AddOnResponse] }) addOns: AddOnResponse[];
  @ApiProperty({ type: FactsResponse }) facts: FactsResponse;
  @ApiProperty({ type: MicroteamResponse }) microteam: MicroteamResponse;
  @ApiProperty({ type: [SeatHoldingResponse] }) seats: SeatHoldingResponse[];
  @ApiProperty({ type: [SeatHoldingResponse] }) waitlists: SeatHoldingResponse[];
  @ApiProperty({ type: [AppointmentResponse] }) appointments: AppointmentResponse[];
  @ApiProperty({ type: [CourseOpenItemResponse] }) openItems: CourseOpenItemResponse[];
  @ApiPropertyOptional({
    example: {
      referralReceivedAt: '2026-03-02T08:15:00+01:00',
      visitation: { decidedAt: '2026-03-03T11:00:00+01:00', hours: 26.8, withinDeadline: true },
      steps: [],
    },
  })
  waitingTimes?: Record<string, unknown>;
  @ApiPropertyOptional({
    example: { reason: 'rejected', note: 'Not diagnostically clarified.', endedAt: '2026-03-03T11:00:00+01:00', reReferralAllowed: false },
  })
  ended?: Record<string, unknown>;
}

export class ReferralCreatedResponse {
  @ApiProperty({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) courseId: string;
  @ApiProperty({
    example: '9d3e4f1a-6b2c-4d8e-a1f0-5c7b3e2d1a90',
    description: 'pseudonymous; the same for every referral of the same person',
  })
  patientId: string;
  @ApiProperty({ enum: ['on_hold', 'awaiting_visitation'] }) status: string;
  @ApiProperty({ type: [ReferralItemResponse], description: 'on hold: what the referrer has been asked for' })
  missing: ReferralItemResponse[];
  @ApiProperty({
    example: '2026-03-04T08:15:00+01:00',
    description: 'paper visitation is due by then (receipt + 48 h, never reset by a hold)',
  })
  visitationDueBy: string;
  @ApiProperty({ example: 0 }) revision: number;
}
