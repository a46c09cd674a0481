import { type PathwayDefinition, type PathwayStep, stepByCode } from '../catalogue/pathway.js';
import { type DomainError, refuse } from '../shared/index.js';
import type { CourseEndReason, CourseEvent, FactValue, PatientFactRecorded } from './course.events.js';
import type { CourseState } from './course.state.js';

/** Helpers shared by the course command handlers. */

export type Result = CourseEvent[] | DomainError;

export const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';

export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const notAccepted = (state: CourseState): DomainError | undefined => {
  if (state.status === 'active') return undefined;
  return refuse(
    state.status === 'on_hold' ? 'REFERRAL_ON_HOLD' : 'VISITATION_NOT_ACCEPTED',
    state.status === 'on_hold'
      ? 'The referral is on hold until the referrer sends what is missing; it has not been accepted yet.'
      : 'The referral has not been accepted at paper visitation yet.',
  );
};

export function factRecorded(
  fact: string,
  value: FactValue,
  basis: PatientFactRecorded['data']['basis'],
  at: string,
  key?: string,
): PatientFactRecorded {
  return { type: 'PatientFactRecorded', data: compact({ fact, key, value, basis, recordedAt: at }) };
}

export function findStep(pathway: PathwayDefinition, code: string): PathwayStep | DomainError {
  return stepByCode(pathway, code) ?? refuse('UNKNOWN_STEP', `There is no step "${code}" in this pathway.`);
}

export function ended(
  state: CourseState,
  e: {
    reason: CourseEndReason;
    note: string;
    endedAt: string;
    planForGp?: string;
    exclusion?: { code: string; label: string };
    atStep?: string;
  },
): CourseEvent {
  return {
    type: 'CourseEnded',
    data: compact({
      reason: e.reason,
      note: e.note,
      endedAt: e.endedAt,
      reReferralAllowed: e.reason === 'stalled',
      exclusion: e.exclusion,
      planForGp: e.planForGp,
      atStep: e.atStep,
      seatsToRelease: state.seats.map(({ teamId, programme }) => ({ teamId, programme })),
      waitlistsToLeave: state.waitlists.map(({ teamId, programme }) => ({ teamId, programme })),
    }),
  };
}
