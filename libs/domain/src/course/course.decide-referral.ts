import { formatInZone } from '../catalogue/calendar.js';
import { validatePathway } from '../catalogue/pathway.js';
import { type FailedCriterion, refuse } from '../shared/index.js';
import type { CompleteReferral, DecideVisitation, ReceiveReferral } from './course.commands.js';
import { blank, compact, ended, type Result } from './course.decide-support.js';
import type { CourseEvent } from './course.events.js';
import type { CourseState, OpenCourse } from './course.state.js';
import { durationMs, instant, recordedInstant } from './course.time.js';

/** Referral and paper visitation (care-model §6). */

export function receiveReferral(c: ReceiveReferral, state: CourseState, nowMs: number): Result {
  if (state.status !== 'none') return refuse('COURSE_ALREADY_EXISTS', 'A referral has already been received for this course.');
  const problems = validatePathway(c.pathway);
  if (problems.length > 0) return refuse('PATHWAY_INVALID', 'The pathway definition cannot be used.', problems);
  const missingIds: FailedCriterion[] = [];
  if (blank(c.courseId)) missingIds.push({ code: 'COURSE_ID_REQUIRED', reason: 'The course needs an id.' });
  if (blank(c.patientId)) missingIds.push({ code: 'PATIENT_ID_REQUIRED', reason: 'The course needs a patient id.' });
  if (blank(c.referrer.id)) missingIds.push({ code: 'REFERRER_REQUIRED', reason: 'The referring doctor or department must be given.' });
  if (missingIds.length > 0)
    return refuse(
      'REFERRAL_INCOMPLETE_DATA',
      'The referral cannot be registered: ' + missingIds.map((m) => m.reason).join(' '),
      missingIds,
    );
  const receivedMs = instant(c.receivedAt);
  if (receivedMs === undefined)
    return refuse('INVALID_TIME', 'The time the referral was received must be an ISO 8601 time with its offset.', [], {
      field: 'receivedAt',
    });
  if (receivedMs > nowMs) return refuse('RECEIVED_IN_FUTURE', 'A referral cannot be received later than now.');
  const content = compact(Object.fromEntries(Object.entries(c.content).filter(([, v]) => !blank(v))));
  const missing = c.pathway.referral.requiredContent.filter((item) => !Object.hasOwn(content, item.code));
  const events: CourseEvent[] = [
    {
      type: 'ReferralReceived',
      data: compact({
        courseId: c.courseId,
        patientId: c.patientId,
        receivedAt: c.receivedAt,
        referrer: compact({ ...c.referrer }),
        content,
        pathway: { code: c.pathway.code, version: c.pathway.version },
        initialCoordinator: c.pathway.microteam.initialCoordinator,
        visitationDueBy: formatInZone(receivedMs + durationMs(c.pathway.referral.visitationWithin), c.pathway.timeZone),
        newCourse: c.newCourse ? { reason: c.newCourse.reason, openCourseIds: [...c.newCourse.openCourseIds] } : undefined,
      }),
    },
  ];
  if (missing.length > 0) {
    events.push({ type: 'ReferralPutOnHold', data: { missing: missing.map(({ code, label }) => ({ code, label })), heldAt: c.now } });
  }
  return events;
}

export function completeReferral(c: CompleteReferral, state: OpenCourse): Result {
  if (state.status !== 'on_hold') return refuse('REFERRAL_NOT_ON_HOLD', 'The referral is not on hold; nothing is missing from it.');
  const referral = state.referral;
  const added = Object.fromEntries(Object.entries(c.content).filter(([code, v]) => !blank(v) && referral.missing.includes(code)));
  if (Object.keys(added).length === 0) {
    const labels = c.pathway.referral.requiredContent.filter((i) => referral.missing.includes(i.code)).map((i) => i.label);
    return refuse('NOTHING_ADDED', `None of the missing items was supplied. Still missing: ${labels.join(', ')}.`, [], {
      missing: referral.missing,
    });
  }
  const stillMissing = referral.missing.filter((code) => !Object.hasOwn(added, code));
  const events: CourseEvent[] = [{ type: 'ReferralSupplemented', data: { added, stillMissing, supplementedAt: c.now } }];
  if (stillMissing.length === 0) {
    events.push({
      type: 'ReferralHoldReleased',
      data: {
        releasedAt: c.now,
        visitationDueBy: referral.visitationDueBy,
        visitationOverdue: recordedInstant(c.now) > recordedInstant(referral.visitationDueBy),
      },
    });
  }
  return events;
}

export function decideVisitation(c: DecideVisitation, state: OpenCourse, nowMs: number): Result {
  if (state.status === 'on_hold') {
    return refuse('REFERRAL_ON_HOLD', 'Paper visitation must wait: the referral is on hold until the referrer sends what is missing.', [], {
      missing: state.referral.missing,
    });
  }
  if (state.visitation) return refuse('VISITATION_ALREADY_DECIDED', 'Paper visitation has already been decided for this referral.');
  const set = c.criteriaSet ?? c.pathway.referral.criteriaSet;
  const assessment = c.assessment;
  const unassessed = set.criteria.filter((k) => typeof (Object.hasOwn(assessment, k.code) ? assessment[k.code] : undefined) !== 'boolean');
  if (unassessed.length > 0) {
    return refuse(
      'CRITERIA_NOT_ASSESSED',
      `Every referral criterion must be assessed; not assessed: ${unassessed.map((k) => k.text).join('; ')}.`,
      unassessed.map((k) => ({ code: k.code, reason: `Not assessed: ${k.text}.` })),
    );
  }
  if (c.decision === 'accept') {
    const unmet = set.criteria.filter((k) => !assessment[k.code]);
    if (unmet.length > 0) {
      return refuse(
        'CRITERIA_NOT_MET',
        `The referral cannot be accepted because these criteria are not met: ${unmet.map((k) => k.text).join('; ')}.`,
        unmet.map((k) => ({ code: k.code, reason: `Not met: ${k.text}.` })),
      );
    }
  } else {
    const missing: FailedCriterion[] = [];
    if (blank(c.reason)) missing.push({ code: 'REASON_REQUIRED', reason: 'Give the reason for the rejection.' });
    if (blank(c.planForGp)) missing.push({ code: 'PLAN_FOR_GP_REQUIRED', reason: 'Give the plan for the GP.' });
    if (missing.length > 0) return refuse('REASON_REQUIRED', 'A rejected referral needs a reason and a plan for the GP.', missing);
  }
  const dueBy = state.referral.visitationDueBy;
  const decided: CourseEvent = {
    type: 'VisitationDecided',
    data: compact({
      decision: c.decision === 'accept' ? ('accepted' as const) : ('rejected' as const),
      decidedAt: c.now,
      criteriaSet: { code: set.code, version: set.version },
      assessment: set.criteria.map((k) => ({ code: k.code, met: assessment[k.code] })),
      reason: c.reason,
      planForGp: c.planForGp,
      visitationDueBy: dueBy,
      withinDeadline: nowMs <= recordedInstant(dueBy),
    }),
  };
  if (c.decision === 'accept') return [decided];
  return [decided, ended(state, { reason: 'rejected', note: c.reason ?? '', endedAt: c.now, planForGp: c.planForGp })];
}
