import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const ID_REGEX = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;

export class EnrolmentRelativeRequest {
  @ApiProperty({ example: 52, description: 'Age only: relatives are never identified' })
  @IsInt()
  @Min(0)
  @Max(130)
  age!: number;
}

export class EnrolRequest {
  @ApiProperty({ example: '0b5e8a52-3c7a-4a39-9f0e-2b9c1d7e4f10', description: 'The team (hold) to enrol on' })
  @IsString()
  @Matches(ID_REGEX, { message: 'teamId must be a team id' })
  teamId!: string;

  @ApiPropertyOptional({ example: false, description: 'When the team is full, join its waitlist instead of getting 409 TEAM_FULL' })
  @IsOptional()
  @IsBoolean()
  joinWaitlistIfFull?: boolean;

  @ApiPropertyOptional({
    type: [EnrolmentRelativeRequest],
    example: [{ age: 52 }],
    description: 'Relatives coming along (Forstå smerte: one, aged 18+); they take no seat',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EnrolmentRelativeRequest)
  relatives?: EnrolmentRelativeRequest[];

  @ApiPropertyOptional({ example: 'Booked by phone with the patient', description: 'Why (kept in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CancelEnrolmentRequest {
  @ApiPropertyOptional({ example: 'The patient cancelled by phone', description: 'Required (body or ?reason=): kept in the audit trail' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}

export class DeclineOfferRequest {
  @ApiProperty({ example: 'The patient cannot come on that day' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
