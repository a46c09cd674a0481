/** Building blocks of both the catalogue and the pathway. */

export interface LocalizedText {
  readonly da: string;
  readonly en: string;
}

/** where a rule comes from: care-model section and seed lines, plus the decisions taken where the source is silent */
export interface SourceRef {
  readonly careModel: string;
  readonly seed?: { readonly file: string; readonly lines: readonly [number, number] };
  readonly decisions?: readonly string[];
}

export interface Duration {
  readonly value: number;
  readonly unit: 'hours' | 'days' | 'weeks' | 'months';
}
