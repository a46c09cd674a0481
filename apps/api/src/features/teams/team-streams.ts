import { Inject, Injectable } from '@nestjs/common';
import { teamDecider, type PlannedTeam, type SessionState, teamStreamId } from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { ApiError } from '../../platform/http/api-error.js';
import { UUID_PATTERN } from '../../platform/http/field-validators.js';
import { DeciderStore, type LoadedStream } from '../../platform/write-path/decider-store.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';

/** Reads a team from its stream `team-<uuid>` (the source of truth; the read models are for lists and boards). */
@Injectable()
export class TeamStreams {
  constructor(@Inject(DeciderStore) private readonly store: DeciderStore) {}

  /** The team's stream; 404 for malformed ids, unknown teams and other clinics' teams. */
  async loadOwn(actor: Actor, teamId: string): Promise<LoadedStream<PlannedTeam>> {
    if (!UUID_PATTERN.test(teamId)) throw ApiError.notFound('team', teamId);
    const loaded = await this.store.load(teamDecider, teamStreamId(teamId));
    requireOwnStream(loaded.events, actor, 'team', teamId);
    if (loaded.state.status !== 'planned') throw ApiError.notFound('team', teamId);
    return loaded as LoadedStream<PlannedTeam>;
  }
}

/**
 * `{n}` in session routes: digits are the 1-based session number in plan order (a retreat day counts);
 * anything else is a session key from the catalogue's plan (`S1`, `RETREAT`). 404 when there is no such session.
 */
export function resolveSession(state: PlannedTeam, n: string): SessionState {
  const session = /^\d{1,3}$/.test(n) ? state.sessions[Number(n) - 1] : state.sessions.find((s) => s.key === n);
  if (!session) throw new ApiError(404, 'NOT_FOUND', `The team has no session ${n}.`, { what: 'session', id: n });
  return session;
}
