/**
 * Inclusion/exclusion criteria as data (care-model §1). Every criterion has a stable `code` and a
 * `reason`: the sentence a secretary reads aloud when it fails.
 *
 * `fact` names a `PatientFacts` property, or a custom fact declared in `Catalogue.facts`
 * (read from `PatientFacts.custom`). `key` selects one entry of a keyed fact (`motivatedFor.MBSR`).
 */
export type UnknownFactPolicy = 'fail' | 'pass';

interface CriterionBase {
  readonly code: string;
  readonly reason: string;
  /** what a not-yet-recorded fact does; defaults to the catalogue's `settings.unknownFact` */
  readonly whenUnknown?: UnknownFactPolicy;
}

/** the fact must have the given value (default `true`) */
export interface RequiresCriterion extends CriterionBase {
  readonly kind: 'requires';
  readonly fact: string;
  readonly key?: string;
  readonly equals?: boolean | string;
}

/** at least one of the facts must be `true` ("sick-listed and/or unclear employment situation") */
export interface RequiresAnyCriterion extends CriterionBase {
  readonly kind: 'requiresAny';
  readonly facts: readonly { readonly fact: string; readonly key?: string }[];
}

/** fails when the fact is `true` */
export interface ExcludesCriterion extends CriterionBase {
  readonly kind: 'excludes';
  readonly fact: string;
  readonly key?: string;
}

/** fails when `fact` is `true` unless `clearedBy` is also `true` (PTSD before Afspænding/MBSR) */
export interface RequiresClearanceCriterion extends CriterionBase {
  readonly kind: 'requiresClearance';
  readonly fact: string;
  readonly clearedBy: string;
}

/** the course must have completed at least one of these programmes */
export interface RequiresCompletedCriterion extends CriterionBase {
  readonly kind: 'requiresCompleted';
  readonly anyOf: readonly string[];
}

export type EligibilityCriterion =
  RequiresCriterion | RequiresAnyCriterion | ExcludesCriterion | RequiresClearanceCriterion | RequiresCompletedCriterion;

export interface EligibilityCriteria {
  readonly inclusion: readonly EligibilityCriterion[];
  readonly exclusion: readonly EligibilityCriterion[];
}
