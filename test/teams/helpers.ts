import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EventStore } from '#app/event-store';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import type { TestApp } from '../support/test-app.js';

export const CLINIC = 'smertecenter-syd';
export const OTHER_CLINIC = 'senfoelgeklinik';

/** supertest calls with a bearer token of the given roles (and clinic) */
export async function as(t: TestApp, roles: Role[], sub = 'S1', clinicId = CLINIC) {
  const token = await t.token(roles, sub, clinicId);
  const auth = <T extends request.Test>(r: T): T => r.set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => auth(request(t.server).get(path)),
    post: (path: string, body: object = {}) => auth(request(t.server).post(path)).send(body),
    put: (path: string, body: unknown) => auth(request(t.server).put(path)).send(body as object),
    delete: (path: string, body: object = {}) => auth(request(t.server).delete(path)).send(body),
  };
}

/**
 * Appends events as history from before the API took over (e.g. team service on paper, a team that has
 * already met): the only way to have the past in an e2e test, since every command takes the real clock.
 */
export async function seed(
  t: TestApp,
  streamId: string,
  events: readonly { type: string; data: unknown }[],
  clinicId = CLINIC,
): Promise<void> {
  const store = t.app.get<EventStore>(EVENT_STORE);
  const existing = await store.readStream(streamId);
  await store.appendToStream(
    streamId,
    events.map((e) => ({
      id: randomUUID(),
      type: e.type,
      data: e.data,
      metadata: {
        schemaVersion: 1,
        actor: { staffId: 'seed', roles: ['admin'] },
        clinicId,
        correlationId: randomUUID(),
        occurredAt: new Date().toISOString(),
        reason: 'history before the API',
      },
    })),
    existing.length === 0 ? 'no_stream' : existing.length - 1,
  );
}

export const DAY = 86_400_000;
