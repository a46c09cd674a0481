export * from './catalogue.types.js';
export * from './pathway.js';
export * from './calendar.js';
export * from './catalogue.validation.js';
export { defaultProfessions, defaultCompetences, defaultFacts, HEALTH_PROFESSIONS } from './default-vocabulary.js';
export { defaultProgrammes } from './default-programmes.js';
export { defaultInterventions } from './default-interventions.js';
export { defaultCatalogue } from './default.catalogue.js';
export { lateEffectsCatalogue } from './examples/late-effects.catalogue.js';
