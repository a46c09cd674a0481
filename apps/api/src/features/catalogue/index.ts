// The catalogue feature's public surface (GET /programmes, /catalogues/{clinicId}); the catalogues
// themselves are read through platform/catalogue's CatalogueService.
export { ProgrammesModule } from './programmes.module.js';
export { PublishCatalogue, type CataloguePublishedResult } from './admin/commands/publish-catalogue.command.js';
