import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../platform/auth/actor.js';
import type { RoomResponse } from './rooms.response.js';

interface RoomRow {
  room_id: string;
  name: string;
  seats: number;
  max_people: number | null;
  registered_at: Date | string;
}

/** The clinic's rooms with seat counts, from the `rooms` read model. */
@Injectable()
export class RoomsQuery {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(actor: Actor): Promise<RoomResponse[]> {
    const rows: RoomRow[] = await this.dataSource.query(
      `SELECT room_id, name, seats, max_people, registered_at FROM rooms WHERE clinic_id = $1 ORDER BY name, room_id`,
      [actor.clinicId],
    );
    return rows.map((r) => ({
      roomId: r.room_id,
      name: r.name,
      seats: r.seats,
      maxPeople: r.max_people,
      registeredAt: new Date(r.registered_at).toISOString(),
    }));
  }
}
