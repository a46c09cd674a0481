import { Body, Controller, Inject, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { ReadEndpoint, WriteEndpoint } from '../../platform/http/endpoint.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import { RegisterRoom } from './commands/register-room.command.js';
import { RegisterRoomRequest } from './rooms.request.js';
import { RoomResponse } from './rooms.response.js';
import { RoomsQuery } from './rooms.query.js';

@ApiTags('rooms')
@Controller('rooms')
export class RoomsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(RoomsQuery) private readonly rooms: RoomsQuery,
  ) {}

  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary'],
    summary: 'Register a room with its seat count (admin or secretary)',
    description: 'Stream `room-<uuid>`, event RoomRegistered; the id is generated.',
    created: { type: RoomResponse, description: 'ETag = stream revision, X-Event-Position for X-Min-Position on GET /rooms' },
  })
  async register(
    @Body() body: RegisterRoomRequest,
    @Write() ctx: WriteContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoomResponse> {
    const { roomId, result } = await this.commandBus.execute(new RegisterRoom(body, ctx));
    setWriteHeaders(res, result);
    res.setHeader('Location', `/rooms/${roomId}`);
    const s = result.state;
    const registered = result.newEvents.at(0);
    return { roomId, name: s.name, seats: s.seats, maxPeople: s.maxPeople, registeredAt: registered?.data.registeredAt ?? '' };
  }

  @ReadEndpoint({
    roles: ['secretary', 'clinician', 'auditor'],
    summary: "The clinic's rooms with seat counts",
    description: 'From the `rooms` read model; send X-Min-Position (from a write) to read your own write.',
    ok: [RoomResponse],
    minPosition: true,
    errors: [400, 401],
  })
  list(@CurrentActor() actor: Actor): Promise<RoomResponse[]> {
    return this.rooms.list(actor);
  }
}
