import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { TeamResponse } from '../teams/index.js';

/** `asOf` in a response of GET /courses/{id}?asOf= */
export class CourseAsOfResponse {
  @ApiProperty({ example: '2026-03-10T12:00:00.000Z' }) at: string;
  @ApiProperty({ example: 6, description: 'the course revision at that time' }) revision: number;
  @ApiProperty({ type: [TeamResponse], description: 'the teams the course held a seat or waitlist place on then, as they stood then' })
  teams: TeamResponse[];
}

/** Documents `?asOf=` on GET /courses/{id} (the audit replay; see CourseAsOf). */
export function ApiAsOf(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(CourseAsOfResponse),
    ApiQuery({
      name: 'asOf',
      required: false,
      example: '2026-03-10T12:00:00Z',
      description:
        'The course exactly as it stood at this time (ISO 8601 with offset; encode "+" as %2B), replayed from the events recorded up to then and judged at ' +
        `that time: the same fields as without asOf, plus \`asOf\` (${getSchemaPath(CourseAsOfResponse)}: the time, the revision, and the teams it was on as they stood then). ` +
        '404 if the course was not yet registered then; 400 AS_OF_IN_FUTURE.',
    }),
  );
}
