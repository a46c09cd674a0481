import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { courseStreamId, type CourseCommand } from '#app/domain';
import { CatalogueService } from '../../../platform/catalogue/catalogue.service.js';
import { Clock } from '../../../platform/clock/clock.js';
import { DeciderStore } from '../../../platform/write-path/decider-store.js';
import { newIdFor } from '../../../platform/write-path/new-stream-id.js';
import { PatientCourses, PatientIdentityService } from '../../patients/index.js';
import { batchCourseDecider } from '../course-writer.js';
import { referredCourse } from '../referred-course.js';
import { ReceiveReferral, type ReferralReceived } from './receive-referral.command.js';

/**
 * The patient (found or created by keyed CPR hash), the patient's course index (one open course per
 * pathway unless a second is asked for with a reason), then the new course stream through DeciderStore.
 */
@CommandHandler(ReceiveReferral)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferral> {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(PatientIdentityService) private readonly patients: PatientIdentityService,
    @Inject(PatientCourses) private readonly patientCourses: PatientCourses,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ ctx, request }: ReceiveReferral): Promise<ReferralReceived> {
    const catalogue = await this.catalogues.current(ctx.actor.clinicId);
    const { patientId } = await this.patients.findOrCreate(ctx.actor.clinicId, request.cpr);
    const courseId = newIdFor('course', ctx.actor, ctx.idempotencyKey);
    const reason = request.newCourse ? request.reason?.trim() : undefined;
    // one open course per patient and pathway, unless a second one is asked for with a reason
    const { openCourseIds } = await this.patientCourses.open(
      ctx.actor.clinicId,
      patientId,
      courseId,
      catalogue.pathway.code,
      request.newCourse === true,
      ctx.metadata({ reason }),
    );
    const command: CourseCommand = {
      type: 'ReceiveReferral',
      now: this.clock.now().toISOString(),
      pathway: catalogue.pathway,
      courseId,
      patientId,
      receivedAt: request.receivedAt,
      referrer: { kind: request.referrer.kind, id: request.referrer.id, ...(request.referrer.name ? { name: request.referrer.name } : {}) },
      content: request.content,
      ...(reason ? { newCourse: { reason, openCourseIds } } : {}),
    };
    const result = await this.store.execute(batchCourseDecider, courseStreamId(courseId), [command], {
      metadata: ctx.metadata({ reason }),
    });
    const referred = referredCourse(result.state, courseId);
    const referral = referred.referral;
    const labels = new Map(catalogue.pathway.referral.requiredContent.map((i) => [i.code, i.label]));
    return {
      result,
      referral: {
        courseId,
        patientId: referred.patientId,
        status: referred.status,
        missing: referral.missing.map((code) => ({ code, label: labels.get(code) ?? code })),
        visitationDueBy: referral.visitationDueBy,
        revision: result.revision,
      },
    };
  }
}
