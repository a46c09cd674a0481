// The me feature's public surface: GET /me (who the access token says you are).
export { MeController } from './me.controller.js';
