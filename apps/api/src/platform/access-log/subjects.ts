/** The patients a JSON value names: pseudonymous ids under `courseId(s)` and `patientId(s)`, anywhere in it. */
export interface Subjects {
  readonly courseIds: Set<string>;
  readonly patientIds: Set<string>;
}

const MAX_NODES = 50_000;
const MAX_ID_LENGTH = 128;

export function emptySubjects(): Subjects {
  return { courseIds: new Set(), patientIds: new Set() };
}

export function addId(into: Set<string>, value: unknown): void {
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) into.add(value);
}

/** Walks `value` (breadth-first, bounded) and adds every id it finds to `into`. */
export function collectSubjects(value: unknown, into: Subjects): void {
  const queue: unknown[] = [value];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_NODES) {
    const node = queue.shift();
    seen++;
    if (Array.isArray(node)) {
      queue.push(...(node as unknown[]));
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'courseId') addId(into.courseIds, child);
      else if (key === 'patientId') addId(into.patientIds, child);
      else if (key === 'courseIds' && Array.isArray(child)) child.forEach((c) => addId(into.courseIds, c));
      else if (key === 'patientIds' && Array.isArray(child)) child.forEach((p) => addId(into.patientIds, p));
      else if (child && typeof child === 'object') queue.push(child);
    }
  }
}
