import { Inject, Injectable } from '@nestjs/common';
import { roomDecider, roomStreamId } from '#app/domain';
import type { RoomInput } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';
import { UUID_PATTERN } from '../../platform/http/field-validators.js';
import { DeciderStore } from '../../platform/write-path/decider-store.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';

/** Reads a room from its stream (the source of truth; the `rooms` table is only for listing). */
@Injectable()
export class RoomStreams {
  constructor(@Inject(DeciderStore) private readonly store: DeciderStore) {}

  /** The room's seats and people cap as a team command needs them; 404 for unknown or other clinics' rooms. */
  async roomInput(actor: Actor, roomId: string): Promise<RoomInput> {
    if (!UUID_PATTERN.test(roomId)) throw ApiError.notFound('room', roomId);
    const loaded = await this.store.load(roomDecider, roomStreamId(roomId));
    requireOwnStream(loaded.events, actor, 'room', roomId);
    // a room without its own cap leaves the catalogue's default in force (undefined = use the default)
    return { roomId, seats: loaded.state.seats, ...(loaded.state.maxPeople === null ? {} : { maxPeople: loaded.state.maxPeople }) };
  }
}
