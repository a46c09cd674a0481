import { refuse } from '../shared/index.js';
import type { EndCourse } from './course.commands.js';
import { blank, ended, notAccepted, type Result } from './course.decide-support.js';
import { COURSE_END_REASONS } from './course.events.js';
import { currentStep } from './course.queries.js';
import { isActive, isBookedOrDone, labelOf, progressOf, stepLabel } from './course.rules.js';
import type { OpenCourse } from './course.state.js';

/** Ending a course (care-model §3, §6). */

export function endCourse(c: EndCourse, state: OpenCourse): Result {
  if (!COURSE_END_REASONS.includes(c.reason)) {
    return refuse('UNKNOWN_END_REASON', `A course ends as ${COURSE_END_REASONS.join(', ')}; "${c.reason}" is not one of them.`);
  }
  if (blank(c.note)) return refuse('REASON_REQUIRED', 'Write why the course ends.');
  let exclusion: { code: string; label: string } | undefined;
  switch (c.reason) {
    case 'rejected':
      return refuse('REJECT_AT_VISITATION', 'A referral is rejected by the paper visitation decision, not by ending the course.');
    case 'excluded': {
      const gate = notAccepted(state);
      if (gate) return gate;
      const found = c.pathway.exclusion.reasons.find((r) => r.code === c.exclusionCode);
      if (!found) {
        return refuse(
          'EXCLUSION_REASON_UNKNOWN',
          `Give one of the exclusion reasons: ${c.pathway.exclusion.reasons.map((r) => r.label).join('; ')}.`,
          [],
          { allowed: c.pathway.exclusion.reasons.map((r) => r.code) },
        );
      }
      if (!isBookedOrDone(state, c.pathway.exclusion.assessedAt)) {
        const at = labelOf(c.pathway, c.pathway.exclusion.assessedAt);
        return refuse('EXCLUSION_TOO_EARLY', `A patient is excluded at or after ${at}, which has not been booked yet.`);
      }
      exclusion = { code: found.code, label: found.label };
      break;
    }
    case 'completed': {
      const gate = notAccepted(state);
      if (gate) return gate;
      const final = c.pathway.steps.find((s) => s.final) ?? c.pathway.steps[c.pathway.steps.length - 1];
      if (progressOf(state, final.code)?.status !== 'completed') {
        const open = c.pathway.steps.filter(
          (s) => isActive(state, s) && progressOf(state, s.code)?.status !== 'completed' && progressOf(state, s.code)?.status !== 'skipped',
        );
        return refuse(
          'COURSE_NOT_COMPLETE',
          `The course cannot be completed before ${stepLabel(final)} has taken place.`,
          open.map((s) => ({ code: s.code, reason: `${stepLabel(s)} is not done.` })),
        );
      }
      break;
    }
    default:
      break;
  }
  return [
    ended(state, {
      reason: c.reason,
      note: c.note,
      endedAt: c.now,
      planForGp: c.planForGp,
      exclusion,
      atStep: currentStep(state, c.pathway)?.stepCode,
    }),
  ];
}
