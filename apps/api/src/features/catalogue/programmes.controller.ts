import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { ApiError } from '../../platform/http/api-error.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ProgrammeResponse } from './programme.response.js';
import { Roles } from '../../platform/auth/roles.decorator.js';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('programmes')
export class ProgrammesController {
  constructor(@Inject(CatalogueService) private readonly catalogues: CatalogueService) {}

  @Get()
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: "The programme catalogue of the caller's clinic (current version)" })
  @ApiOkResponse({ type: [ProgrammeResponse] })
  async list(@CurrentActor() actor: Actor): Promise<ProgrammeResponse[]> {
    const catalogue = await this.catalogues.current(actor.clinicId);
    return catalogue.programmes.map((p) => ({ ...p, catalogueVersion: catalogue.version }) as unknown as ProgrammeResponse);
  }

  @Get(':code')
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: 'One programme: seats, session plan, staff rule, criteria' })
  @ApiOkResponse({ type: ProgrammeResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no programme with that code' })
  async one(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<ProgrammeResponse> {
    const catalogue = await this.catalogues.current(actor.clinicId);
    const programme = catalogue.programmes.find((p) => p.code === code.toUpperCase());
    if (!programme) throw ApiError.notFound('programme', code);
    return { ...programme, catalogueVersion: catalogue.version } as unknown as ProgrammeResponse;
  }
}
