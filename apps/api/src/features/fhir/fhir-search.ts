import { DateTime } from 'luxon';
import { ApiError } from '../../platform/http/api-error.js';

export type Query = Record<string, unknown>;

/** every value given for a parameter (repeated parameters are ANDed; a comma inside one means OR) */
export function values(query: Query, name: string): string[] {
  const raw = query[name];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v !== 'string') throw invalid(name, `${name} must be a plain value`);
    if (v.length > 500) throw invalid(name, `${name} is too long`);
    return v;
  });
}

export function single(query: Query, name: string): string | undefined {
  const all = values(query, name);
  if (all.length > 1) throw invalid(name, `${name} may be given once`);
  return all[0];
}

export function invalid(field: string, problem: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `The search parameter ${field} is not valid: ${problem}.`, {
    fields: [{ field, problems: [problem] }],
  });
}

/** a date search (`ge2026-03-01`, `lt2026-04-01T12:00:00+02:00`, `2026-03`): half-open bounds on the instant */
export interface DateBound {
  readonly from?: number;
  readonly to?: number;
}

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
const DATE = /^(\d{4})(-(\d{2})(-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * One `date` value as bounds [from, to) on the searched instant, FHIR's semantics for a precision range
 * [lower, upper): eq → within, ge → ≥ lower, gt → ≥ upper, le → < upper, lt → < lower. A date without a
 * time (or a time without an offset) is read in the clinic's zone.
 */
export function dateBound(param: string, value: string, zone: string): DateBound {
  const prefix = PREFIXES.find((p) => value.startsWith(p)) ?? 'eq';
  const text = value.startsWith(prefix) ? value.slice(2) : value;
  // groups that did not take part are undefined
  const m: Array<string | undefined> | null = DATE.exec(text);
  if (!m)
    throw invalid(param, `${param} must be a date like 2026-03-01 or 2026-03-01T13:00:00+01:00, optionally after ge, gt, le, lt or eq`);
  if (!['eq', 'ge', 'gt', 'le', 'lt'].includes(prefix))
    throw invalid(param, `the prefix ${prefix} is not supported (use eq, ge, gt, le or lt)`);
  const hasTime = m[6] !== undefined;
  const start = DateTime.fromISO(text, { zone, setZone: false });
  if (!start.isValid) throw invalid(param, `${text} is not a real date`);
  const unit = !m[2] ? 'year' : !m[4] ? 'month' : !hasTime ? 'day' : m[9] === undefined ? 'minute' : 'second';
  const lower = start.startOf(unit).toMillis();
  const upper = start
    .startOf(unit)
    .plus({ [`${unit}s`]: 1 })
    .toMillis();
  switch (prefix) {
    case 'ge':
      return { from: lower };
    case 'gt':
      return { from: upper };
    case 'le':
      return { to: upper };
    case 'lt':
      return { to: lower };
    default:
      return { from: lower, to: upper };
  }
}

export function dateBounds(query: Query, param: string, zone: string): DateBound {
  let from: number | undefined;
  let to: number | undefined;
  for (const value of values(query, param)) {
    const b = dateBound(param, value, zone);
    if (b.from !== undefined) from = from === undefined ? b.from : Math.max(from, b.from);
    if (b.to !== undefined) to = to === undefined ? b.to : Math.min(to, b.to);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

export const MAX_COUNT = 500;

/**
 * `_count` (default 100, at most 500) and `_offset` (paging). A `_count` above the maximum is capped in
 * lenient handling (FHIR's default) and refused under `Prefer: handling=strict`.
 */
export function paging(query: Query, strict = true): { count: number; offset: number } {
  const count = single(query, '_count');
  const offset = single(query, '_offset');
  const n = count === undefined ? 100 : Number(count);
  const o = offset === undefined ? 0 : Number(offset);
  if (!Number.isInteger(n) || n < 0 || (strict && n > MAX_COUNT))
    throw invalid('_count', `_count must be a whole number from 0 to ${MAX_COUNT}`);
  if (!Number.isInteger(o) || o < 0 || o > 1_000_000) throw invalid('_offset', '_offset must be a whole number of at least 0');
  return { count: Math.min(n, MAX_COUNT), offset: o };
}

/** `Prefer: handling=strict` (FHIR search): unknown or unsupported parameters are refused instead of ignored */
export function strictHandling(prefer: string | string[] | undefined): boolean {
  const all = (Array.isArray(prefer) ? prefer : prefer === undefined ? [] : [prefer]).flatMap((p) => p.split(/[,;]/));
  let strict = false;
  for (const part of all) {
    const m = /^\s*handling\s*=\s*"?([A-Za-z-]+)"?\s*$/i.exec(part);
    if (m) strict = m[1].toLowerCase() === 'strict';
  }
  return strict;
}

/** parameters every search takes */
export const COMMON_PARAMS = ['_id', '_lastUpdated', '_count', '_offset'] as const;

/**
 * The parameters of a search this server applies, and those it does not. Strict: a 400 naming each
 * unsupported parameter (and `_include` value); lenient: they are dropped (and so left out of the self link).
 */
export function supportedQuery(query: Query, params: readonly string[], includes: readonly string[], strict: boolean): Query {
  const unsupported: string[] = [];
  const kept: Query = {};
  for (const [name, value] of Object.entries(query)) {
    const base = name.split(':')[0];
    if (name === '_include') {
      const wanted = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      const known = wanted.filter((v) => includes.includes(v));
      for (const v of wanted) if (!includes.includes(v)) unsupported.push(`_include=${v.slice(0, 100)}`);
      if (known.length > 0) kept._include = known;
      continue;
    }
    if (name !== base || (!(COMMON_PARAMS as readonly string[]).includes(name) && !params.includes(name))) {
      unsupported.push(name.slice(0, 100));
      continue;
    }
    kept[name] = value;
  }
  if (strict && unsupported.length > 0) {
    throw new ApiError(
      400,
      'UNSUPPORTED_SEARCH_PARAMETER',
      `This server does not support the search parameter${unsupported.length > 1 ? 's' : ''} ${unsupported.join(', ')}; see /fhir/metadata.`,
      {
        fields: unsupported.map((field) => ({ field, problems: ['not supported by this server (Prefer: handling=strict)'] })),
      },
    );
  }
  return kept;
}

/** `_id=a,b`: the ids asked for (every value given must match: repeated parameters AND) */
export function idFilter(query: Query): string[][] {
  return values(query, '_id').map((v) => v.split(',').map((id) => id.trim()));
}

export function matchesIds(id: string | undefined, filter: readonly (readonly string[])[]): boolean {
  return filter.every((ids) => id !== undefined && ids.includes(id));
}

export function withinBounds(instant: string | undefined, bounds: DateBound): boolean {
  if (bounds.from === undefined && bounds.to === undefined) return true;
  if (instant === undefined) return false;
  const at = Date.parse(instant);
  return (bounds.from === undefined || at >= bounds.from) && (bounds.to === undefined || at < bounds.to);
}

export interface ActorFilter {
  readonly type: 'Practitioner' | 'Location' | 'Patient';
  readonly ids: readonly string[];
}

const ACTOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/**
 * `actor=Practitioner/doc-17` (or `Location/…`, `Patient/<pseudonymous id>`), plus the shortcuts `practitioner`,
 * `location`, `patient` (with or without the type). Each parameter given must match (AND); a comma-separated
 * value matches any of its references of one type (OR).
 */
export function actorFilters(query: Query, allowed: readonly ActorFilter['type'][]): ActorFilter[] {
  const filters: ActorFilter[] = [];
  const shortcuts: Array<[string, ActorFilter['type'] | undefined]> = [
    ['actor', undefined],
    ['practitioner', 'Practitioner'],
    ['location', 'Location'],
    ['patient', 'Patient'],
  ];
  for (const [param, fixed] of shortcuts) {
    for (const value of values(query, param)) {
      let type: ActorFilter['type'] | undefined = fixed;
      const ids: string[] = [];
      for (const part of value.split(',')) {
        const slash = part.indexOf('/');
        const given = slash >= 0 ? part.slice(0, slash) : undefined;
        const id = slash >= 0 ? part.slice(slash + 1) : part;
        const t = (given ?? fixed) as ActorFilter['type'] | undefined;
        if (!t || !allowed.includes(t)) throw invalid(param, `${param} must refer to ${allowed.map((a) => `${a}/<id>`).join(', ')}`);
        if (type && t !== type) throw invalid(param, `the references in one ${param} value must be of one type`);
        if (!ACTOR_ID.test(id)) throw invalid(param, `${part} is not a reference to a known kind of id`);
        type = t;
        ids.push(id);
      }
      if (!type) throw invalid(param, `${param} must refer to ${allowed.map((a) => `${a}/<id>`).join(', ')}`); // an empty value
      filters.push({ type, ids });
    }
  }
  return filters;
}

/** `status=booked,cancelled`: the codes asked for, each checked against the resource's value set */
export function tokens(query: Query, param: string, valueSet: readonly string[]): string[][] {
  return values(query, param).map((value) =>
    value.split(',').map((code) => {
      const plain = code.includes('|') ? code.slice(code.indexOf('|') + 1) : code;
      if (!valueSet.includes(plain)) throw invalid(param, `${param} must be one of ${valueSet.join(', ')}`);
      return plain;
    }),
  );
}
