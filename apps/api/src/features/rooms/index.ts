// The rooms feature's public surface: other features import from here only.
export { RoomsModule } from './rooms.module.js';
export { RoomStreams } from './room-streams.js';

export { roomsProjection } from './rooms.projection.js';
