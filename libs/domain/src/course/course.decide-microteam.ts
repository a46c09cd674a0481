import { refuse } from '../shared/index.js';
import type { AssignMicroteamMember, RemoveMicroteamMember } from './course.commands.js';
import { blank, compact, notAccepted, type Result } from './course.decide-support.js';
import type { CourseEvent } from './course.events.js';
import { readable } from './course.rules.js';
import type { OpenCourse } from './course.state.js';

/** The microteam and the coordinator (care-model §4). */

export function assignMember(c: AssignMicroteamMember, state: OpenCourse): Result {
  const gate = notAccepted(state);
  if (gate) return gate;
  if (blank(c.clinicianId)) return refuse('CLINICIAN_REQUIRED', 'Name the clinician to assign.');
  if (!c.pathway.microteam.roles.includes(c.role)) {
    return refuse(
      'UNKNOWN_ROLE',
      `"${c.role}" is not a microteam role; use one of: ${c.pathway.microteam.roles.map(readable).join(', ')}.`,
    );
  }
  if (state.microteam.some((m) => m.role === c.role && m.clinicianId === c.clinicianId)) return [];
  const replaced = c.pathway.microteam.singleHolderRoles.includes(c.role) ? state.microteam.find((m) => m.role === c.role) : undefined;
  const events: CourseEvent[] = [
    {
      type: 'MicroteamMemberAssigned',
      data: compact({ clinicianId: c.clinicianId, role: c.role, assignedAt: c.now, replaces: replaced?.clinicianId }),
    },
  ];
  if (replaced && state.coordinator.role === c.role && state.coordinator.clinicianId === replaced.clinicianId) {
    events.push({
      type: 'CoordinationHandedOver',
      data: { fromRole: c.role, fromClinicianId: replaced.clinicianId, toRole: c.role, toClinicianId: c.clinicianId, handedOverAt: c.now },
    });
  }
  return events;
}

export function removeMember(c: RemoveMicroteamMember, state: OpenCourse): Result {
  if (!state.microteam.some((m) => m.role === c.role && m.clinicianId === c.clinicianId)) {
    return refuse('NOT_IN_MICROTEAM', `That clinician is not the course's ${readable(c.role)}.`);
  }
  if (state.coordinator.role === c.role && state.coordinator.clinicianId === c.clinicianId) {
    return refuse(
      'COORDINATOR_NEEDED',
      `That clinician coordinates the course; assign another ${readable(c.role)} first (it replaces them).`,
    );
  }
  return [
    { type: 'MicroteamMemberRemoved', data: compact({ clinicianId: c.clinicianId, role: c.role, removedAt: c.now, reason: c.reason }) },
  ];
}
