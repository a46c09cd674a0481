import { toMillis } from '../catalogue/calendar.js';
import type { TeamState } from '../team/team.state.js';
import type { ResourceRef, Slot } from './schedule.decider.js';

/**
 * What a team (its stream's current state) holds on the schedule streams: every session that is not
 * cancelled holds its room, and every therapist and apprentice for each session that ends after they
 * were assigned (assigning someone to a running team does not reach back into its past). The retreat
 * day is a session like the others. Pure: the write side derives reservations from this, and a hold
 * that no longer matches it (a crashed write's leftovers) is known to be stale.
 */
export interface SessionUse {
  readonly resource: ResourceRef;
  /** the commit stream's entity: a team id (team sessions) or a course id (pathway steps) */
  readonly owner: string;
  readonly clinicId: string;
  /** what in it: a session key (S1, RETREAT) or a step code */
  readonly key: string;
  readonly start: string;
  readonly end: string;
}

export const resourceKey = (r: ResourceRef): string => `${r.kind}:${r.id}`;
const useKey = (u: Pick<SessionUse, 'resource' | 'key'>): string => `${resourceKey(u.resource)}#${u.key}`;
const sameTimes = (a: { start: string; end: string }, b: { start: string; end: string }): boolean =>
  toMillis(a.start) === toMillis(b.start) && toMillis(a.end) === toMillis(b.end);

export function teamResourceUse(state: TeamState): SessionUse[] {
  if (state.status !== 'planned') return [];
  const uses: SessionUse[] = [];
  for (const session of state.sessions) {
    if (session.cancelled) continue;
    const base = { owner: state.teamId, clinicId: state.clinicId, key: session.key, start: session.startsAt, end: session.endsAt };
    uses.push({ ...base, resource: { kind: 'room', id: session.room.roomId } });
    for (const t of state.therapists) {
      if (toMillis(session.endsAt) > toMillis(t.assignedAt)) uses.push({ ...base, resource: { kind: 'clinician', id: t.clinicianId } });
    }
  }
  return uses;
}

export interface UseChange {
  /** uses the new state has and the old one had not (at these times) */
  readonly reserve: SessionUse[];
  /** uses the old state had and the new one has not (at those times) */
  readonly release: SessionUse[];
}

/** the other state has this use, at the same times */
const sameUse = (other: SessionUse | undefined, u: SessionUse): boolean => other !== undefined && sameTimes(other, u);

export function changedUse(before: readonly SessionUse[], after: readonly SessionUse[]): UseChange {
  const old = new Map(before.map((u) => [useKey(u), u]));
  const now = new Map(after.map((u) => [useKey(u), u]));
  return {
    reserve: after.filter((u) => !sameUse(old.get(useKey(u)), u)),
    release: before.filter((u) => !sameUse(now.get(useKey(u)), u)),
  };
}

/** whether a team-session hold is backed by the team's state (resource, session and times match) */
export function isHoldBacked(hold: Pick<Slot, 'resource' | 'sessionKey' | 'start' | 'end'>, team: TeamState): boolean {
  return isUseBacked({ resource: hold.resource, key: hold.sessionKey ?? '', start: hold.start, end: hold.end }, teamResourceUse(team));
}

/** whether a hold (resource, key, times) is among the uses a commit stream's state has */
export function isUseBacked(hold: Pick<SessionUse, 'resource' | 'key' | 'start' | 'end'>, uses: readonly SessionUse[]): boolean {
  return uses.some((u) => resourceKey(u.resource) === resourceKey(hold.resource) && u.key === hold.key && sameTimes(u, hold));
}

/** the order resources are reserved in (ordered locking: clinicians by id, then rooms, then patients) */
export function resourceOrder(a: ResourceRef, b: ResourceRef): number {
  const rank = { clinician: 0, room: 1, patient: 2 } as const;
  return rank[a.kind] - rank[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
