import { Module } from '@nestjs/common';
import { CatalogueAdminController } from './catalogue-admin.controller.js';

/** PUT/GET /catalogues/{clinicId} over the global CatalogueService. */
@Module({ controllers: [CatalogueAdminController] })
export class CatalogueAdminModule {}
