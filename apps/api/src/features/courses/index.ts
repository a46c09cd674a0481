// The courses feature's public surface: other features import from here only.
export { CoursesModule } from './courses.module.js';
export { BookAppointment } from './appointments/commands/book-appointment.command.js';
export { HoldAppointment } from './appointments/commands/hold-appointment.command.js';
