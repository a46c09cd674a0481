import { Command } from '@nestjs/cqrs';
import type { Catalogue } from '#app/domain';
import type { Position } from '#app/event-store';
import type { WriteContext } from '../../../../platform/write-path/write-context.js';

export interface CataloguePublishedResult {
  /** the version now current (also the ETag) */
  readonly version: number;
  readonly position?: Position;
}

/** Publish the next version of the caller's clinic's catalogue (its shape already checked). */
export class PublishCatalogue extends Command<CataloguePublishedResult> {
  constructor(
    readonly catalogue: Catalogue,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
