import { isDeepStrictEqual } from 'node:util';

export interface Change {
  /** where: `status`, `steps[code=KORT_PRIMAERSAMTALE].status`, `microteam.members[clinicianId=doc-7]` */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** fields that identify an element of a list, tried in this order */
const KEYS = ['code', 'appointmentId', 'teamId', 'courseId', 'clinicianId', 'stepCode', 'key'] as const;

/**
 * What changed from `before` to `after` (two JSON values), leaf by leaf. Lists of objects that carry a
 * unique identifying field (see KEYS) are compared element by element under that key, so one step
 * changing does not show as every later step moving; other lists by position.
 */
export function diffJson(before: unknown, after: unknown, path = ''): Change[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (before === undefined) return [{ path: path || '(root)', kind: 'added', after }];
  if (after === undefined) return [{ path: path || '(root)', kind: 'removed', before }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffJson(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = commonKey(before, after);
    if (key) {
      const index = (list: unknown[]) => new Map(list.map((e) => [String((e as Record<string, unknown>)[key]), e]));
      const b = index(before);
      const a = index(after);
      const ids = [...new Set([...b.keys(), ...a.keys()])];
      return ids.flatMap((id) => diffJson(b.get(id), a.get(id), `${path}[${key}=${id}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffJson(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return [{ path: path || '(root)', kind: 'changed', before, after }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function commonKey(before: unknown[], after: unknown[]): string | undefined {
  const all = [...before, ...after];
  if (all.length === 0 || !all.every(isPlainObject)) return undefined;
  return KEYS.find((k) => {
    const unique = (list: unknown[]) => {
      const values = list.map((e) => (e as Record<string, unknown>)[k]);
      return values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values).size === values.length;
    };
    return unique(before) && unique(after);
  });
}
