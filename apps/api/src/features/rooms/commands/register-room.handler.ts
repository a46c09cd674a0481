import { Inject } from '@nestjs/common';
import { roomDecider, roomStreamId, type RoomEvent, type RoomState } from '#app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../platform/clock/clock.js';
import { DeciderStore, type ExecuteResult } from '../../../platform/write-path/decider-store.js';
import { newIdFor } from '../../../platform/write-path/new-stream-id.js';
import { RegisterRoom } from './register-room.command.js';

@CommandHandler(RegisterRoom)
export class RegisterRoomHandler implements ICommandHandler<RegisterRoom> {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ input, ctx }: RegisterRoom): Promise<{ roomId: string; result: ExecuteResult<RoomState, RoomEvent> }> {
    // the same key gives the same id, so a retried request lands on the room it created
    const roomId = newIdFor('room', ctx.actor, ctx.idempotencyKey);
    const result = await this.store.execute(
      roomDecider,
      roomStreamId(roomId),
      {
        type: 'RegisterRoom',
        roomId,
        clinicId: ctx.actor.clinicId,
        name: input.name,
        seats: input.seats,
        maxPeople: input.maxPeople ?? null,
        now: this.clock.now().toISOString(),
      },
      { metadata: ctx.metadata({ reason: input.reason }), ifMatch: ctx.ifMatch },
    );
    return { roomId, result };
  }
}
