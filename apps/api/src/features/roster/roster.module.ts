import { Module } from '@nestjs/common';
import { PathwayLookup } from './pathway-lookup.js';
import { ReadAccess } from './read-access.js';
import { RosterController } from './roster.controller.js';
import { RosterService } from './roster.service.js';

/** GET /clinicians/{id}/roster and GET /me/roster (roster.v1 read model); object-level access for the read side. */
@Module({
  providers: [RosterService, ReadAccess, PathwayLookup],
  controllers: [RosterController],
  exports: [ReadAccess, PathwayLookup],
})
export class RosterModule {}
