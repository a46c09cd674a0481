import { Module } from '@nestjs/common';
import { CatalogueAdminController } from './catalogue-admin.controller.js';
import { PublishCatalogueHandler } from './commands/publish-catalogue.handler.js';

/** PUT/GET /catalogues/{clinicId} over the global CatalogueService; publishing is the PublishCatalogue command. */
@Module({ controllers: [CatalogueAdminController], providers: [PublishCatalogueHandler] })
export class CatalogueAdminModule {}
