import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class FhirReferenceRequest {
  @ApiPropertyOptional({ example: 'Patient/5f0c2a1e-7d3b-4c8e-9a1f-2b3c4d5e6f70' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) display?: string;
}

export class FhirIdentifierRequest {
  @ApiPropertyOptional({ example: 'urn:group-course-scheduler:course-id' }) @IsOptional() @IsString() @MaxLength(200) system?: string;
  @ApiPropertyOptional({ example: '0b6c2f7a-41a3-4f0e-8f57-3a1e2c9d4b55' }) @IsOptional() @IsString() @MaxLength(200) value?: string;
}

export class FhirCodingRequest {
  @ApiPropertyOptional({ example: 'urn:group-course-scheduler:programme' }) @IsOptional() @IsString() @MaxLength(200) system?: string;
  @ApiPropertyOptional({ example: 'FORSTAA_SMERTE' }) @IsOptional() @IsString() @MaxLength(100) code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) display?: string;
}

/** one FHIR Parameters.parameter (the value types these operations read) */
export class FhirParameterRequest {
  @ApiProperty({ example: 'patient' })
  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, { message: 'name must be a parameter name' })
  name!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) valueString?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) valueCode?: string;
  @ApiPropertyOptional({ example: '2026-03-01' }) @IsOptional() @IsString() @MaxLength(40) valueDate?: string;
  @ApiPropertyOptional({ example: '2026-03-01T08:00:00+01:00' }) @IsOptional() @IsString() @MaxLength(40) valueDateTime?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) valueInstant?: string;
  @ApiPropertyOptional({ example: 10 }) @IsOptional() @IsInt() @Min(1) valuePositiveInt?: number;
  @ApiPropertyOptional({ type: FhirReferenceRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => FhirReferenceRequest)
  valueReference?: FhirReferenceRequest;
  @ApiPropertyOptional({ type: FhirIdentifierRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => FhirIdentifierRequest)
  valueIdentifier?: FhirIdentifierRequest;
  @ApiPropertyOptional({ type: FhirCodingRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => FhirCodingRequest)
  valueCoding?: FhirCodingRequest;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'appt-resource: the Appointment ($hold, $book)' })
  @IsOptional()
  @IsObject()
  resource?: Record<string, unknown>;
}

/** a FHIR R4 Parameters resource (application/fhir+json or application/json) */
export class FhirParametersRequest {
  @ApiProperty({ enum: ['Parameters'], example: 'Parameters' })
  @Equals('Parameters', { message: 'resourceType must be Parameters' })
  resourceType!: 'Parameters';

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) id?: string;

  @ApiProperty({ type: [FhirParameterRequest] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FhirParameterRequest)
  parameter!: FhirParameterRequest[];
}
