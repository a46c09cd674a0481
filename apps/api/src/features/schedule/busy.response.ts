import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BusyInterval {
  @ApiProperty({ example: '2027-03-03T09:00:00+01:00', description: "start, in the clinic's time zone" }) start: string;
  @ApiProperty({ example: '2027-03-03T11:30:00+01:00', description: 'end (exclusive: a booking may start here)' }) end: string;
  @ApiProperty({ enum: ['team-session', 'appointment', 'pathway-step'], example: 'team-session' }) busyWith: string;
  @ApiPropertyOptional({ example: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11', description: "team sessions of the caller's clinic: the team" })
  teamId?: string;
  @ApiPropertyOptional({ example: 'S3', description: 'with teamId: the session key' }) sessionKey?: string;
}

export class BusyResponse {
  @ApiProperty({ enum: ['room', 'clinician'], example: 'clinician' }) resource: string;
  @ApiProperty({ example: 'C-0042' }) resourceId: string;
  @ApiProperty({ example: '2027-03-01T00:00:00+01:00' }) from: string;
  @ApiProperty({ example: '2027-04-01T00:00:00+02:00' }) to: string;
  @ApiProperty({
    type: [BusyInterval],
    description: 'every reservation overlapping [from, to), by start; no patient, course or appointment identity',
    example: [
      {
        start: '2027-03-03T09:00:00+01:00',
        end: '2027-03-03T11:30:00+01:00',
        busyWith: 'team-session',
        teamId: '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
        sessionKey: 'S1',
      },
      { start: '2027-03-04T10:00:00+01:00', end: '2027-03-04T10:15:00+01:00', busyWith: 'appointment' },
    ],
  })
  busy: BusyInterval[];
}
