import { Module } from '@nestjs/common';
import { RegisterRoomHandler } from './commands/register-room.handler.js';
import { RoomStreams } from './room-streams.js';
import { RoomsController } from './rooms.controller.js';
import { RoomsQuery } from './rooms.query.js';

@Module({
  providers: [RoomStreams, RoomsQuery, RegisterRoomHandler],
  controllers: [RoomsController],
  exports: [RoomStreams],
})
export class RoomsModule {}
