import type { Decider } from '../shared/decider.js';
import { refuse } from '../shared/domain-error.js';
import type { Catalogue } from './catalogue.types.js';
import { validateCatalogue } from './catalogue.validation.js';

/** A clinic's catalogue versions: stream `catalogue-<clinicId>`, one CataloguePublished per version. */
export const catalogueStreamId = (clinicId: string): string => `catalogue-${clinicId}`;

export const CATALOGUE_PUBLISHED = 'CataloguePublished';

export interface PublishCatalogueCommand {
  readonly type: 'PublishCatalogue';
  readonly catalogue: Catalogue;
}

export interface CataloguePublished {
  readonly type: typeof CATALOGUE_PUBLISHED;
  readonly data: { readonly catalogue: Catalogue };
}

export interface CataloguePublicationState {
  /** the clinic's current version (0: none) */
  readonly version: number;
}

/**
 * Publishing the next version of a clinic's catalogue: it must pass `validateCatalogue` (INVALID_CATALOGUE
 * lists every problem) and be exactly the next version (CATALOGUE_VERSION_CONFLICT). `baseVersion` is
 * the version a clinic has before its stream says anything (a catalogue that ships with the product).
 */
export function catalogueDecider(baseVersion = 0): Decider<PublishCatalogueCommand, CataloguePublished, CataloguePublicationState> {
  return {
    initialState: () => ({ version: baseVersion }),
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- CataloguePublished is the only event type today; any other keeps the state (a later version may write more)
    evolve: (state, event) => (event.type === CATALOGUE_PUBLISHED ? { version: event.data.catalogue.version } : state),
    decide(command, state) {
      const problems = validateCatalogue(command.catalogue);
      if (problems.length > 0)
        return refuse('INVALID_CATALOGUE', `The catalogue has ${problems.length} problem(s); see details.`, problems);
      const expectedVersion = state.version + 1;
      if (command.catalogue.version !== expectedVersion) {
        return refuse('CATALOGUE_VERSION_CONFLICT', `The next catalogue version for this clinic must be ${expectedVersion}.`, [], {
          expectedVersion,
        });
      }
      return [{ type: CATALOGUE_PUBLISHED, data: { catalogue: command.catalogue } }];
    },
  };
}
