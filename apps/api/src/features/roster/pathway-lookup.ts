import { Inject, Injectable } from '@nestjs/common';
import type { PathwayDefinition, PathwayRef } from '#app/domain';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';

/** The pathway version a course is pinned to, from its clinic's catalogue versions; undefined when gone. */
@Injectable()
export class PathwayLookup {
  constructor(@Inject(CatalogueService) private readonly catalogues: CatalogueService) {}

  async pathways(clinicId: string): Promise<(ref: PathwayRef) => PathwayDefinition | undefined> {
    const versions = await this.catalogues.versions(clinicId);
    return (ref) => [...versions].reverse().find((c) => c.pathway.code === ref.code && c.pathway.version === ref.version)?.pathway;
  }

  async timeZone(clinicId: string): Promise<string> {
    const versions = await this.catalogues.versions(clinicId);
    return versions[versions.length - 1]?.settings.timeZone ?? 'Europe/Copenhagen';
  }
}
