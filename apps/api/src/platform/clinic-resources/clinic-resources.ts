import { Inject, Injectable } from '@nestjs/common';
import { clinicianStreamId, roomStreamId } from '#app/domain';
import type { EventStore } from '#app/event-store';
import type { Actor } from '../auth/actor.js';
import { STAFF_ID_PATTERN, UUID_PATTERN } from '../http/field-validators.js';
import { ApiError } from '../http/api-error.js';
import { EVENT_STORE } from '../persistence/tokens.js';

/**
 * Resources belong to a clinic (issue 11 §2). A clinician (`clinician-<id>`) or room (`room-<uuid>`)
 * exists for a caller only when its stream was created in the caller's clinic; anything else (unknown,
 * malformed, another clinic's) is the same 404 `NOT_FOUND`, so nothing tells one clinic that another has
 * the id. Read from the event streams (the first event's metadata), never from a read model, so a booking
 * made right after registering the resource sees it.
 */
@Injectable()
export class ClinicResources {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  /** true when `clinicianId` is a clinician registered by `clinicId` */
  async isClinicianOf(clinicId: string, clinicianId: string): Promise<boolean> {
    if (!STAFF_ID_PATTERN.test(clinicianId)) return false;
    const first = await this.events.readStream(clinicianStreamId(clinicianId), { maxCount: 1 });
    return first[0]?.type === 'ClinicianRegistered' && clinicOf(first[0].metadata) === clinicId;
  }

  async isRoomOf(clinicId: string, roomId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(roomId)) return false;
    const first = await this.events.readStream(roomStreamId(roomId), { maxCount: 1 });
    return first[0]?.type === 'RoomRegistered' && clinicOf(first[0].metadata) === clinicId;
  }

  /** 404 for the first id (in the order given) that is not a clinician of the caller's clinic */
  async requireClinicians(actor: Actor, clinicianIds: readonly string[]): Promise<void> {
    const owned = await Promise.all(clinicianIds.map((id) => this.isClinicianOf(actor.clinicId, id)));
    const missing = clinicianIds.find((_, i) => !owned[i]);
    if (missing !== undefined) throw ApiError.notFound('clinician', missing);
  }

  async requireRoom(actor: Actor, roomId: string): Promise<void> {
    if (!(await this.isRoomOf(actor.clinicId, roomId))) throw ApiError.notFound('room', roomId);
  }
}

function clinicOf(metadata: unknown): string | undefined {
  const clinicId = (metadata as { clinicId?: unknown } | undefined)?.clinicId;
  return typeof clinicId === 'string' ? clinicId : undefined;
}
