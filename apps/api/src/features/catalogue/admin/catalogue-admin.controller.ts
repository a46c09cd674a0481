import { Body, Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { lateEffectsCatalogue, validateCatalogue, type Catalogue, type FailedCriterion } from '#app/domain';
import type { Actor } from '../../../platform/auth/actor.js';
import { CurrentActor } from '../../../platform/auth/current-actor.decorator.js';
import { Roles } from '../../../platform/auth/roles.decorator.js';
import { CatalogueService } from '../../../platform/catalogue/catalogue.service.js';
import { ApiErrors } from '../../../platform/http/openapi.js';
import { WriteEndpoint } from '../../../platform/http/endpoint.js';
import { ApiError } from '../../../platform/http/api-error.js';
import { Write, type WriteContext } from '../../../platform/write-path/write-context.js';
import { setReadHeaders, setWriteHeaders } from '../../../platform/write-path/write-response.js';
import { catalogueShapeProblems, type FieldProblem } from './catalogue-shape.js';
import { PublishCatalogue } from './commands/publish-catalogue.command.js';
import { PublishedCatalogueResponse } from './catalogue-admin.response.js';

@ApiTags('catalogues')
@Controller('catalogues')
export class CatalogueAdminController {
  constructor(
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  @WriteEndpoint({
    method: 'PUT',
    path: ':clinicId',
    roles: ['admin'],
    summary: "Publish the next version of the clinic's catalogue (admin only; own clinic)",
    description:
      'The body is a full Catalogue (programmes, interventions, pathway, settings, vocabulary), so a clinic defines its own catalogue without code changes. ' +
      'It is checked in two steps: its JSON shape (400 VALIDATION_FAILED, each wrong field listed; unknown top-level fields refused), then `validateCatalogue` ' +
      '(422 INVALID_CATALOGUE, details.failures lists every problem). The catalogue is free-form data and is deliberately not described with class-validator ' +
      "DTOs: the domain's validator is the one source of truth. `version` must be the next one (409 CATALOGUE_VERSION_CONFLICT); `clinicId` must be the path's. " +
      'ETag and If-Match carry the catalogue version (0 when none is published). Teams keep the version they were planned under.',
    ifMatch: 'The current version, e.g. "1"; 412 if another version was published since',
    conflict: ['CATALOGUE_VERSION_CONFLICT'],
    unprocessable: ['INVALID_CATALOGUE'],
    ok: { type: PublishedCatalogueResponse, description: 'ETag = version, X-Event-Position' },
  })
  @ApiParam({ name: 'clinicId', example: 'senfoelgeklinik' })
  @ApiBody({
    description: 'A full Catalogue (see libs/domain/src/catalogue/catalogue.types.ts)',
    schema: { type: 'object', example: lateEffectsCatalogue },
  })
  async publish(
    @Param('clinicId') clinicId: string,
    @Body() body: unknown,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublishedCatalogueResponse> {
    if (clinicId !== ctx.actor.clinicId) {
      throw new ApiError(403, 'FORBIDDEN', "An administrator can publish only their own clinic's catalogue.", { clinicId });
    }
    const shape = catalogueShapeProblems(body);
    if (body && typeof body === 'object' && 'clinicId' in body && typeof body.clinicId === 'string' && body.clinicId !== clinicId) {
      shape.push({ field: 'clinicId', problems: [`clinicId must be ${clinicId}, the clinic in the address`] });
    }
    if (shape.length > 0) throw validationFailed(shape);
    const catalogue = body as Catalogue;
    readable(catalogue);
    const published = await this.commandBus.execute(new PublishCatalogue(catalogue, ctx));
    setWriteHeaders(res, { revision: published.version, ...(published.position ? { position: published.position } : {}) });
    return {
      clinicId,
      version: published.version,
      programmes: catalogue.programmes.map((p) => p.code),
      interventions: catalogue.interventions.map((i) => i.code),
    };
  }

  @Get(':clinicId')
  @ApiBearerAuth()
  @Roles('secretary', 'clinician', 'auditor')
  @ApiOperation({ summary: "The clinic's current catalogue (own clinic only)", description: 'ETag = version.' })
  @ApiParam({ name: 'clinicId', example: 'smertecenter-syd' })
  @ApiOkResponse({ description: 'A full Catalogue', schema: { type: 'object', example: lateEffectsCatalogue } })
  @ApiErrors(401, 404)
  async current(
    @Param('clinicId') clinicId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Catalogue> {
    if (clinicId !== actor.clinicId)
      throw new ApiError(404, 'NOT_FOUND', `No catalogue for clinic ${clinicId} was found.`, { what: 'catalogue', id: clinicId });
    const catalogue = await this.catalogues.current(clinicId);
    setReadHeaders(res, catalogue.version);
    return catalogue;
  }
}

function validationFailed(fields: FieldProblem[]): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `Some fields are missing or wrong: ${fields.map((f) => f.field).join(', ')}.`, { fields });
}

/**
 * The shape check covers what the domain validator dereferences; should a body still trip it up
 * (a shape no rule foresaw), that is bad input, answered as a 400, never a 500.
 */
function readable(catalogue: Catalogue): FailedCriterion[] {
  try {
    return validateCatalogue(catalogue);
  } catch {
    throw validationFailed([
      {
        field: '(body)',
        problems: ['part of the catalogue has the wrong shape (a list, object or value where another kind was expected)'],
      },
    ]);
  }
}
