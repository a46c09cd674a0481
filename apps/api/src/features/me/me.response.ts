import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../platform/auth/actor.js';

export class MeResponse {
  @ApiProperty({ example: 'S12' }) staffId: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['secretary'] }) roles: Role[];
  @ApiProperty({ example: 'smertecenter-syd' }) clinicId: string;
}
