import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProjectionHealth {
  @ApiProperty({ example: 'team-board.v1' }) name: string;
  @ApiProperty() running: boolean;
  @ApiProperty({ example: '812-40', description: 'last applied position' }) checkpoint: string;
  @ApiProperty({ example: '812-44', description: 'newest position in the log' }) head: string;
  @ApiPropertyOptional({ example: 4, description: 'events not yet applied' }) lag?: number;
  @ApiPropertyOptional() lastError?: string;
}

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({ enum: ['postgres', 'eventstoredb'], example: 'postgres' })
  eventStore: 'postgres' | 'eventstoredb';

  @ApiProperty({ enum: ['postgres', 'embedded'], example: 'embedded' })
  database: 'postgres' | 'embedded';

  @ApiProperty({
    example: true,
    description:
      'whether this process is the elected one that runs the background consumers (projections, process manager, offer sweeper, webhook delivery); with several API processes on one PostgreSQL exactly one is (advisory-lock election), and in embedded mode always',
  })
  backgroundConsumer: boolean;

  @ApiProperty({ type: [ProjectionHealth] })
  projections: ProjectionHealth[];
}
