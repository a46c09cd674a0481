import { Inject, Injectable } from '@nestjs/common';
import { CATALOGUE_PUBLISHED, catalogueDecider, catalogueStreamId, defaultCatalogue, type Catalogue } from '#app/domain';
import type { EventStore } from '#app/event-store';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';

/** Catalogues that ship with the product; a clinic's own published versions take precedence. */
const BUILT_IN: readonly Catalogue[] = [defaultCatalogue];

interface Cached {
  readonly revision: number;
  readonly versions: readonly Catalogue[];
}

/**
 * Each clinic's catalogue, versioned, as events in stream `catalogue-<clinicId>`: publishing a new
 * version is an audited write (the PublishCatalogue command), and a team keeps the version it was planned under.
 */
@Injectable()
export class CatalogueService {
  private readonly cache = new Map<string, Cached>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async current(clinicId: string): Promise<Catalogue> {
    const versions = await this.versions(clinicId);
    const latest = versions.at(-1);
    if (!latest) throw new ApiError(404, 'NO_CATALOGUE', `No catalogue has been published for clinic ${clinicId}.`, { clinicId });
    return latest;
  }

  /** the versions this process has already read (or the built-in ones), without reading the stream for newer ones */
  knownVersions(clinicId: string): readonly Catalogue[] {
    return (this.cache.get(clinicId) ?? { versions: BUILT_IN.filter((c) => c.clinicId === clinicId) }).versions;
  }

  async versions(clinicId: string): Promise<readonly Catalogue[]> {
    const cached = this.cache.get(clinicId) ?? { revision: -1, versions: BUILT_IN.filter((c) => c.clinicId === clinicId) };
    const newer = await this.store.readStream(catalogueStreamId(clinicId), { fromRevision: cached.revision + 1 });
    if (newer.length === 0) return cached.versions;
    const published = newer.filter((e) => e.type === CATALOGUE_PUBLISHED).map((e) => (e.data as { catalogue: Catalogue }).catalogue);
    const next = { revision: newer[newer.length - 1].revision, versions: [...cached.versions, ...published] };
    this.cache.set(clinicId, next);
    return next.versions;
  }

  /**
   * The decider for publishing the clinic's next version (PublishCatalogueHandler writes it through
   * DeciderStore): it starts from the newest built-in version, which the stream does not hold.
   */
  publicationDecider(clinicId: string): ReturnType<typeof catalogueDecider> {
    const builtIn = BUILT_IN.filter((c) => c.clinicId === clinicId);
    return catalogueDecider(builtIn[builtIn.length - 1]?.version ?? 0);
  }
}
