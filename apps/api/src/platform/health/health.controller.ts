import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatPosition } from '#app/event-store';
import { ProjectionRunner } from '#app/projections';
import { Public } from '../auth/roles.decorator.js';
import { Persistence } from '../persistence/persistence.js';
import { HealthResponse } from './health.response.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Persistence) private readonly persistence: Persistence,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and what the service runs on' })
  @ApiOkResponse({ type: HealthResponse })
  async health(): Promise<HealthResponse> {
    await this.persistence.database.dataSource.query('SELECT 1');
    const projections = await this.projections.status();
    return {
      status: 'ok',
      eventStore: this.persistence.eventStore.kind,
      database: this.persistence.database.kind,
      backgroundConsumer: this.persistence.leadership.isLeader,
      projections: projections.map((p) => ({
        name: p.name,
        running: p.running,
        checkpoint: formatPosition(p.checkpoint),
        head: formatPosition(p.head),
        ...(p.lag === undefined ? {} : { lag: p.lag }),
        ...(p.lastError ? { lastError: p.lastError } : {}),
      })),
    };
  }
}
