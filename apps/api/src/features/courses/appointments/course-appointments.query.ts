import { Inject, Injectable } from '@nestjs/common';
import { appointmentsOfCourse, scheduleDecider, scheduleStreamId, type AppointmentRecord } from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { DeciderStore } from '../../../platform/write-path/decider-store.js';
import { CourseReader } from '../course-reader.js';

/** A course's individual appointments, booked and cancelled, from the patient's schedule stream (its revision is their ETag). */
@Injectable()
export class CourseAppointments {
  constructor(
    @Inject(CourseReader) private readonly courses: CourseReader,
    @Inject(DeciderStore) private readonly store: DeciderStore,
  ) {}

  async list(actor: Actor, courseId: string): Promise<{ appointments: AppointmentRecord[]; revision: number }> {
    const course = await this.courses.load(actor, courseId);
    const schedule = await this.store.load(scheduleDecider, scheduleStreamId({ kind: 'patient', id: course.state.patientId }));
    return { appointments: appointmentsOfCourse(schedule.state, courseId), revision: schedule.revision };
  }
}
