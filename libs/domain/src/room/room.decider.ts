import { refuse, type Decider, type DomainError, type DomainEvent } from '../shared/index.js';

/**
 * Stream `room-<uuid>`: a room the clinic plans teams in. Seats are patient seats; `maxPeople` optionally
 * caps patients + relatives (null = no cap of its own; the catalogue's `settings.roomPeopleCap` applies).
 */
export type RoomRegistered = DomainEvent<
  'RoomRegistered',
  {
    readonly roomId: string;
    readonly clinicId: string;
    readonly name: string;
    readonly seats: number;
    readonly maxPeople: number | null;
    readonly registeredAt: string;
  }
>;
export type RoomEvent = RoomRegistered;

export interface RegisterRoom {
  readonly type: 'RegisterRoom';
  readonly roomId: string;
  readonly clinicId: string;
  readonly name: string;
  readonly seats: number;
  readonly maxPeople: number | null;
  readonly now: string;
}
export type RoomCommand = RegisterRoom;

export interface RoomState {
  readonly registered: boolean;
  readonly roomId: string | null;
  readonly clinicId: string | null;
  readonly name: string;
  readonly seats: number;
  readonly maxPeople: number | null;
}

const initial: RoomState = { registered: false, roomId: null, clinicId: null, name: '', seats: 0, maxPeople: null };

export function evolveRoom(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- RoomRegistered is the only event type today; the default keeps state for types a later version may write
    case 'RoomRegistered':
      return {
        registered: true,
        roomId: event.data.roomId,
        clinicId: event.data.clinicId,
        name: event.data.name,
        seats: event.data.seats,
        maxPeople: event.data.maxPeople,
      };
    default:
      return state;
  }
}

export function decideRoom(command: RoomCommand, state: RoomState): RoomEvent[] | DomainError {
  if (state.registered) return refuse('ALREADY_EXISTS', 'This room is already registered.');
  if (!Number.isInteger(command.seats) || command.seats < 1) return refuse('INVALID_ROOM', 'A room needs at least one seat.');
  if (command.maxPeople !== null && !(Number.isInteger(command.maxPeople) && command.maxPeople >= command.seats)) {
    return refuse('INVALID_ROOM', 'The cap on people in the room cannot be smaller than its seats.');
  }
  if (!command.name.trim()) return refuse('INVALID_ROOM', 'A room needs a name.');
  const { roomId, clinicId, name, seats, maxPeople, now } = command;
  return [{ type: 'RoomRegistered', data: { roomId, clinicId, name: name.trim(), seats, maxPeople, registeredAt: now } }];
}

export const roomDecider: Decider<RoomCommand, RoomEvent, RoomState> = {
  initialState: () => initial,
  evolve: evolveRoom,
  decide: decideRoom,
};

export const roomStreamId = (roomId: string): string => `room-${roomId}`;
