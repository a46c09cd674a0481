import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { defaultCatalogue, validateCatalogue, type Catalogue } from '#app/domain';
import type { EventStore, Position } from '#app/event-store';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';
import type { EventMetadata } from '../write-path/event-metadata.js';

export const CATALOGUE_PUBLISHED = 'CataloguePublished';

/** Catalogues that ship with the product; a clinic's own published versions take precedence. */
const BUILT_IN: readonly Catalogue[] = [defaultCatalogue];

interface Cached {
  readonly revision: number;
  readonly versions: readonly Catalogue[];
}

/**
 * Each clinic's catalogue, versioned, as events in stream `catalogue-<clinicId>`: publishing a new
 * version is an audited write, and a team keeps the version it was planned under.
 */
@Injectable()
export class CatalogueService {
  private readonly cache = new Map<string, Cached>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async current(clinicId: string): Promise<Catalogue> {
    const versions = await this.versions(clinicId);
    const latest = versions[versions.length - 1];
    if (!latest) throw new ApiError(404, 'NO_CATALOGUE', `No catalogue has been published for clinic ${clinicId}.`, { clinicId });
    return latest;
  }

  /** the versions this process has already read (or the built-in ones), without reading the stream for newer ones */
  knownVersions(clinicId: string): readonly Catalogue[] {
    return (this.cache.get(clinicId) ?? { versions: BUILT_IN.filter((c) => c.clinicId === clinicId) }).versions;
  }

  async versions(clinicId: string): Promise<readonly Catalogue[]> {
    const cached = this.cache.get(clinicId) ?? { revision: -1, versions: BUILT_IN.filter((c) => c.clinicId === clinicId) };
    const newer = await this.store.readStream(streamId(clinicId), { fromRevision: cached.revision + 1 });
    if (newer.length === 0) return cached.versions;
    const published = newer.filter((e) => e.type === CATALOGUE_PUBLISHED).map((e) => (e.data as { catalogue: Catalogue }).catalogue);
    const next = { revision: newer[newer.length - 1].revision, versions: [...cached.versions, ...published] };
    this.cache.set(clinicId, next);
    return next.versions;
  }

  /** Validates and stores a new version; refuses a version that is not the next one. */
  async publish(catalogue: Catalogue, metadata: EventMetadata): Promise<{ version: number; position: Position }> {
    const problems = validateCatalogue(catalogue);
    if (problems.length > 0) {
      throw new ApiError(422, 'INVALID_CATALOGUE', `The catalogue has ${problems.length} problem(s); see details.`, { failures: problems });
    }
    const versions = await this.versions(catalogue.clinicId);
    const expectedVersion = (versions[versions.length - 1]?.version ?? 0) + 1;
    if (catalogue.version !== expectedVersion) {
      throw new ApiError(409, 'CATALOGUE_VERSION_CONFLICT', `The next catalogue version for this clinic must be ${expectedVersion}.`, { expectedVersion });
    }
    const cached = this.cache.get(catalogue.clinicId);
    const result = await this.store.appendToStream(
      streamId(catalogue.clinicId),
      [{ id: randomUUID(), type: CATALOGUE_PUBLISHED, data: { catalogue }, metadata: { ...metadata } }],
      cached && cached.revision >= 0 ? cached.revision : 'no_stream',
    );
    return { version: catalogue.version, position: result.position };
  }
}

function streamId(clinicId: string): string {
  return `catalogue-${clinicId}`;
}
