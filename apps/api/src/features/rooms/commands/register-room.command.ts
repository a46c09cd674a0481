import { Command } from '@nestjs/cqrs';
import type { RoomEvent, RoomState } from '#app/domain';
import type { ExecuteResult } from '../../../platform/write-path/decider-store.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import type { RegisterRoomRequest } from '../rooms.request.js';

/** Register a room of the caller's clinic with its seats (stream `room-<new id>`). */
export class RegisterRoom extends Command<{ roomId: string; result: ExecuteResult<RoomState, RoomEvent> }> {
  constructor(
    readonly input: RegisterRoomRequest,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
