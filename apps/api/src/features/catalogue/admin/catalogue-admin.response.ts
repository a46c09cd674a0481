import { ApiProperty } from '@nestjs/swagger';

/** PUT /catalogues/{clinicId}: the version now current and what it offers. */
export class PublishedCatalogueResponse {
  @ApiProperty({ example: 'senfoelgeklinik' }) clinicId: string;
  @ApiProperty({ example: 1, description: 'the version now current (also the ETag)' }) version: number;
  @ApiProperty({ example: ['FATIGUE'] }) programmes: string[];
  @ApiProperty({ example: ['FIRST_TALK'] }) interventions: string[];
}
