import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({ enum: ['postgres', 'eventstoredb'], example: 'postgres' })
  eventStore: 'postgres' | 'eventstoredb';

  @ApiProperty({ enum: ['postgres', 'embedded'], example: 'embedded' })
  database: 'postgres' | 'embedded';
}
