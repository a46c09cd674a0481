import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const FEED_CALENDARS = ['clinician', 'room', 'team'] as const;

export type FeedCalendar = (typeof FEED_CALENDARS)[number];

export class CreateCalendarFeedRequest {
  @ApiProperty({ enum: FEED_CALENDARS, example: 'clinician', description: 'whose calendar the feed shows' })
  @IsIn(FEED_CALENDARS)
  calendar: FeedCalendar;

  @ApiProperty({ example: 'doc-17', description: 'the clinician (staff id), room or team id' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, { message: 'id must be a clinician, room or team id' })
  id: string;

  @ApiPropertyOptional({ example: 'Outlook on my work phone', description: 'to tell your feeds apart when revoking one' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}

/** optional body of DELETE /calendar-feeds/{id} */
export class RevokeCalendarFeedRequest {
  @ApiPropertyOptional({ example: 'Phone lost' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
