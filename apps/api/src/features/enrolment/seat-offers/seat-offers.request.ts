import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { EnrolmentRelativeRequest } from '../enrolment.request.js';

export class AcceptOfferRequest {
  @ApiPropertyOptional({ type: [EnrolmentRelativeRequest], example: [{ age: 52 }] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EnrolmentRelativeRequest)
  relatives?: EnrolmentRelativeRequest[];

  @ApiPropertyOptional({ example: 'The patient confirmed by phone' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}
