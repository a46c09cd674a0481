import { type Decider, refuse } from '../shared/index.js';
import type { CourseCommand } from './course.commands.js';
import { endCourse } from './course.decide-end.js';
import { recordPatientFact } from './course.decide-facts.js';
import { assignMember, removeMember } from './course.decide-microteam.js';
import { completeReferral, decideVisitation, receiveReferral } from './course.decide-referral.js';
import { recordLeftWaitlist, recordSeatBooked, recordSeatReleased, recordWaitlisted } from './course.decide-seats.js';
import { addAddOn, chooseOption, completeStep, scheduleStep, skipStep } from './course.decide-steps.js';
import type { Result } from './course.decide-support.js';
import type { CourseEvent } from './course.events.js';
import { type CourseState, evolveCourse, initialCourseState } from './course.state.js';
import { instant } from './course.time.js';
import { containsCprNumber } from '../patient/cpr.js';

/** Fields that hold reference data, never typed by a person: not scanned for CPR numbers. */
const NOT_FREE_TEXT: ReadonlySet<string> = new Set(['type', 'now', 'pathway', 'criteriaSet', 'customFacts']);
function containsCprLike(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return containsCprNumber(value);
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => containsCprLike(v, depth + 1));
}

function decide(command: CourseCommand, state: CourseState): Result {
  const nowMs = instant(command.now);
  if (nowMs === undefined)
    return refuse('INVALID_TIME', 'The time of the request must be an ISO 8601 time with its offset.', [], { field: 'now' });
  for (const [field, value] of Object.entries(command)) {
    if (!NOT_FREE_TEXT.has(field) && containsCprLike(value)) {
      return refuse('CPR_IN_TEXT', 'A CPR number must not be written into the course; refer to the patient by the course instead.', [], {
        field,
      });
    }
  }
  if (state.status === 'ended') {
    return refuse(
      'COURSE_ENDED',
      command.type === 'ReceiveReferral'
        ? 'The course has ended; a new referral starts a new course.'
        : 'The course has ended; it can be read but no longer changed.',
      [],
      { reason: state.ended.reason, reReferralAllowed: state.ended.reReferralAllowed },
    );
  }
  if (command.type === 'ReceiveReferral') return receiveReferral(command, state, nowMs);
  if (state.status === 'none') return refuse('COURSE_NOT_FOUND', 'There is no course with this id; a referral must be received first.');
  const pinned = state.pathway;
  if (command.pathway.code !== pinned.code || command.pathway.version !== pinned.version) {
    return refuse(
      'PATHWAY_MISMATCH',
      `The course follows version ${pinned.version} of its pathway; the request was made with "${command.pathway.name.en}" version ${command.pathway.version}.`,
      [],
      { pathway: pinned },
    );
  }
  switch (command.type) {
    case 'CompleteReferral':
      return completeReferral(command, state);
    case 'DecideVisitation':
      return decideVisitation(command, state, nowMs);
    case 'RecordPatientFact':
      return recordPatientFact(command);
    case 'AddAddOn':
      return addAddOn(command, state);
    case 'ScheduleStep':
      return scheduleStep(command, state);
    case 'CompleteStep':
      return completeStep(command, state, nowMs);
    case 'SkipStep':
      return skipStep(command, state);
    case 'ChooseOption':
      return chooseOption(command, state, nowMs);
    case 'AssignMicroteamMember':
      return assignMember(command, state);
    case 'RemoveMicroteamMember':
      return removeMember(command, state);
    case 'RecordSeatBooked':
      return recordSeatBooked(command, state);
    case 'RecordSeatReleased':
      return recordSeatReleased(command, state);
    case 'RecordWaitlisted':
      return recordWaitlisted(command, state);
    case 'RecordLeftWaitlist':
      return recordLeftWaitlist(command, state);
    case 'EndCourse':
      return endCourse(command, state);
  }
}

export const courseDecider: Decider<CourseCommand, CourseEvent, CourseState> = {
  initialState: initialCourseState,
  evolve: evolveCourse,
  decide,
};
