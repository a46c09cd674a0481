// The calendars feature's public surface (calendars, iCalendar feeds and their tokens): other features import from here only.
export { CalendarsModule } from './calendars.module.js';
export { IcalModule } from './feeds/ical.module.js';
export { calendarProjection } from './calendar.projection.js';
export { appointmentUid, sessionUid } from './calendar-entries.sql.js';
