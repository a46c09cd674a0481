import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsNotLessThanField } from '../../platform/http/field-validators.js';

export class RegisterRoomRequest {
  @ApiProperty({ example: 'Store mødelokale', description: 'How secretaries and calendars name the room' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 25, description: 'Patient seats (1–500)' })
  @IsInt()
  @Min(1)
  @Max(500)
  seats: number;

  @ApiPropertyOptional({
    type: Number,
    example: 50,
    nullable: true,
    description: "Cap on patients + relatives (no smaller than seats); omit or null for none (the catalogue's roomPeopleCap then applies)",
  })
  @IsOptional()
  @IsInt()
  @Max(1000)
  @IsNotLessThanField('seats')
  maxPeople?: number | null;

  @ApiPropertyOptional({ example: 'New room on the 2nd floor', description: 'Stored in the event metadata' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
