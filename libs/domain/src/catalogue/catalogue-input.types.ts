import type { Catalogue } from './catalogue.types.js';

/**
 * A value as it may arrive before validation: any field of any object may be missing, at every depth.
 * Nullable fields stay nullable, and a field typed `false` (a rule the data must follow) may hold any boolean; containers are objects where objects are expected and lists where
 * lists are (the API's catalogue shape check guarantees that much before the domain reads the body).
 */
export type Unvalidated<T> = T extends boolean
  ? boolean
  : T extends readonly (infer E)[]
    ? readonly Unvalidated<E>[]
    : T extends object
      ? { readonly [K in keyof T]?: Unvalidated<T[K]> }
      : T;

/** a catalogue as written by hand or sent as JSON by another clinic, before `validateCatalogue` has read it */
export type CatalogueInput = Unvalidated<Catalogue>;
