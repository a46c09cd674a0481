import { Global, Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service.js';

/** The clinics' catalogues (programmes, criteria, pathway, settings as data), read by every feature. */
@Global()
@Module({
  providers: [CatalogueService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
