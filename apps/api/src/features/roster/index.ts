// The roster feature's public surface: other features import from here only.
export { RosterModule } from './roster.module.js';
export { ReadAccess } from './read-access.js';
export { PathwayLookup } from './pathway-lookup.js';
export { clinicOf, fromJson, isCourseEvent } from './course-stream.js';
