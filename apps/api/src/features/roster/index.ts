// The roster feature's public surface: other features import from here only. Besides the module, the
// object-level read access and the pinned-pathway lookup.
export { RosterModule } from './roster.module.js';
export { rosterProjection } from './roster.projection.js';
export { ReadAccess } from './read-access.js';
export { PathwayLookup } from './pathway-lookup.js';
