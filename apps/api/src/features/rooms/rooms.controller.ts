import { Body, Controller, Inject, Res } from '@nestjs/common';
import { newIdFor } from '../../platform/write-path/new-stream-id.js';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor } from '../../platform/auth/actor.js';
import { CurrentActor } from '../../platform/auth/current-actor.decorator.js';
import { ReadEndpoint, WriteEndpoint } from '../../platform/http/endpoint.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import { Write, type WriteContext } from '../../platform/write-path/write-context.js';
import { setWriteHeaders } from '../../platform/write-path/write-response.js';
import { roomDecider, roomStreamId } from './room.decider.js';
import { RegisterRoomRequest, RoomResponse } from './rooms.dto.js';

interface RoomRow {
  room_id: string;
  name: string;
  seats: number;
  max_people: number | null;
  registered_at: Date | string;
}

@ApiTags('rooms')
@Controller('rooms')
export class RoomsController {
  constructor(
    @Inject(DeciderStore) private readonly store: DeciderStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @WriteEndpoint({
    method: 'POST',
    roles: ['secretary'],
    summary: 'Register a room with its seat count (admin or secretary)',
    description: 'Stream `room-<uuid>`, event RoomRegistered; the id is generated.',
    created: { type: RoomResponse, description: 'ETag = stream revision, X-Event-Position for X-Min-Position on GET /rooms' },
  })
  async register(@Body() body: RegisterRoomRequest, @Write() ctx: WriteContext, @Res({ passthrough: true }) res: Response): Promise<RoomResponse> {
    const roomId = newIdFor('room', ctx.actor, ctx.idempotencyKey);
    const result = await this.store.execute(
      roomDecider,
      roomStreamId(roomId),
      { type: 'RegisterRoom', roomId, clinicId: ctx.actor.clinicId, name: body.name, seats: body.seats, maxPeople: body.maxPeople ?? null, now: new Date().toISOString() },
      { metadata: ctx.metadata({ reason: body.reason }), ifMatch: ctx.ifMatch },
    );
    setWriteHeaders(res, result);
    res.setHeader('Location', `/rooms/${roomId}`);
    const s = result.state;
    const registered = result.newEvents[0];
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
  async list(@CurrentActor() actor: Actor): Promise<RoomResponse[]> {
    const rows: RoomRow[] = await this.dataSource.query(
      `SELECT room_id, name, seats, max_people, registered_at FROM rooms WHERE clinic_id = $1 ORDER BY name, room_id`,
      [actor.clinicId],
    );
    return rows.map((r) => ({
      roomId: r.room_id,
      name: r.name,
      seats: Number(r.seats),
      maxPeople: r.max_people === null ? null : Number(r.max_people),
      registeredAt: new Date(r.registered_at).toISOString(),
    }));
  }
}
