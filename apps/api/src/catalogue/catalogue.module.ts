import { Global, Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service.js';
import { ProgrammesController } from './programmes.controller.js';

@Global()
@Module({
  providers: [CatalogueService],
  controllers: [ProgrammesController],
  exports: [CatalogueService],
})
export class CatalogueModule {}
