import { ApiProperty } from '@nestjs/swagger';
import { IsCpr } from '../../platform/http/validators.js';

export class PatientSearchRequest {
  @ApiProperty({
    example: '010100-0000',
    description: "the patient's CPR number (DDMMYY-SSSS or DDMMYYSSSS); only ever in this body, never in a URL",
  })
  @IsCpr()
  cpr: string;
}
