import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FEED_CALENDARS } from './calendar-feeds.request.js';

export class CalendarFeedResponse {
  @ApiProperty({ example: '2b0c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b' }) feedId: string;
  @ApiProperty({ enum: FEED_CALENDARS, example: 'clinician' }) calendar: string;
  @ApiProperty({ example: 'doc-17' }) id: string;
  @ApiPropertyOptional({ example: 'Outlook on my work phone' }) label?: string;
  @ApiProperty({ example: 'S12' }) createdBy: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, example: null, nullable: true, description: 'set once revoked: the token no longer works' }) revokedAt:
    string | null;
}

export class CreatedCalendarFeedResponse extends CalendarFeedResponse {
  @ApiProperty({
    example: 'cal_Vx3M2…',
    description: 'shown only in this answer (only a hash is stored): keep it secret, it reads the calendar',
  })
  token: string;

  @ApiProperty({
    example: '/calendars/clinicians/doc-17.ics?token=cal_Vx3M2…',
    description: 'path to subscribe to (prefix it with the API address)',
  })
  path: string;
}
