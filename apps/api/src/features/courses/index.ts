// The courses feature's public surface (with its child, appointments): other features import from here only.
export { CoursesModule } from './courses.module.js';
export { CourseReader, type LoadedCourse } from './course-reader.js';
export { CourseAsOf, parseTime, type CourseAsOfView, type TeamAsOf } from './course-as-of.query.js';
export { BookAppointment } from './appointments/commands/book-appointment.command.js';
export { HoldAppointment } from './appointments/commands/hold-appointment.command.js';
export { CancelAppointment } from './appointments/commands/cancel-appointment.command.js';
