// The roster feature's public surface: other features import from here only. Besides the module, the
// object-level read access, the pinned-pathway lookup and the helpers the read-side projections share for
// `course-<id>` streams.
export { RosterModule } from './roster.module.js';
export { rosterProjection } from './roster.projection.js';
export { ReadAccess } from './read-access.js';
export { PathwayLookup } from './pathway-lookup.js';
export { COURSE_EVENT_TYPES, clinicOf, evolveCourses, fromJson, isCourseEvent, type EvolvedCourse } from './course-stream.js';
