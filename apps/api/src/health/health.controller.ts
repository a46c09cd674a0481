import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator.js';
import { Persistence } from '../persistence/persistence.js';
import { HealthResponse } from './health.response.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(Persistence) private readonly persistence: Persistence) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and what the service runs on' })
  @ApiOkResponse({ type: HealthResponse })
  async health(): Promise<HealthResponse> {
    await this.persistence.database.dataSource.query('SELECT 1');
    return {
      status: 'ok',
      eventStore: this.persistence.eventStore.kind,
      database: this.persistence.database.kind,
    };
  }
}
