import { Module } from '@nestjs/common';
import { RoomStreams } from './room-streams.js';
import { RoomsController } from './rooms.controller.js';

@Module({
  providers: [RoomStreams],
  controllers: [RoomsController],
  exports: [RoomStreams],
})
export class RoomsModule {}
