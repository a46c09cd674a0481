import { ApiProperty } from '@nestjs/swagger';

export class RoomResponse {
  @ApiProperty({ example: '7a1d3c52-95b8-4a43-8b1f-3f5c2b9e4d10' }) roomId: string;
  @ApiProperty({ example: 'Store mødelokale' }) name: string;
  @ApiProperty({ example: 25 }) seats: number;
  @ApiProperty({ type: Number, example: null, nullable: true }) maxPeople: number | null;
  @ApiProperty({ example: '2026-11-22T12:00:00.000Z' }) registeredAt: string;
}
