import { Module } from '@nestjs/common';
import { CatalogueAdminModule } from './admin/catalogue-admin.module.js';
import { ProgrammesController } from './programmes.controller.js';

/** GET /programmes and the admin routes over the global CatalogueService. */
@Module({ imports: [CatalogueAdminModule], controllers: [ProgrammesController] })
export class ProgrammesModule {}
