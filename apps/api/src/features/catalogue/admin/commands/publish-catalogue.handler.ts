import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { catalogueStreamId } from '#app/domain';
import { CatalogueService } from '../../../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../../../platform/http/api-error.js';
import { DeciderStore } from '../../../../platform/write-path/decider-store.js';
import { PublishCatalogue, type CataloguePublishedResult } from './publish-catalogue.command.js';

/**
 * If-Match names a catalogue version, not a stream revision, so it is checked here against the versions
 * known; the decider (libs/domain catalogueDecider) validates the catalogue and insists on the next version,
 * which also settles two administrators publishing at once (the loser is decided again: 409).
 */
@CommandHandler(PublishCatalogue)
export class PublishCatalogueHandler implements ICommandHandler<PublishCatalogue> {
  constructor(
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(DeciderStore) private readonly store: DeciderStore,
  ) {}

  async execute({ catalogue, ctx }: PublishCatalogue): Promise<CataloguePublishedResult> {
    const clinicId = catalogue.clinicId;
    const versions = await this.catalogues.versions(clinicId);
    const current = versions[versions.length - 1]?.version ?? 0;
    if (ctx.ifMatch !== undefined && ctx.ifMatch !== current) {
      throw new ApiError(412, 'PRECONDITION_FAILED', 'The catalogue has changed since you loaded it. Reload it and try again.', {
        expectedRevision: ctx.ifMatch,
        currentRevision: current,
      });
    }
    const result = await this.store
      .execute(
        this.catalogues.publicationDecider(clinicId),
        catalogueStreamId(clinicId),
        { type: 'PublishCatalogue', catalogue },
        { metadata: ctx.metadata() },
      )
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'CATALOGUE_VERSION_CONFLICT')
          throw new ApiError(409, error.code, error.message, error.details);
        throw error;
      });
    return { version: result.state.version, ...(result.position ? { position: result.position } : {}) };
  }
}
