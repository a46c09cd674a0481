/**
 * Pure, DST-correct date math for the clinic's local time zone, using only Intl (no clock, no library).
 * Instants are ISO 8601 strings with an explicit offset (`2024-10-28T13:00:00+01:00`).
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** a calendar date `YYYY-MM-DD` that exists */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isLocalTime(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_TIME.test(value);
}

/** instant or date (a date means its start, UTC) as epoch milliseconds */
export function toMillis(isoOrDate: string): number {
  return Date.parse(isoOrDate);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const QUARTER_HOUR = 15 * MINUTE;

/** the zone's UTC offset in minutes at an instant (Copenhagen: +60 in winter, +120 in summer) */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  // zone transitions fall on quarter hours, so the offset is constant within one; Intl is slow enough to cache
  const key = `${timeZone}|${Math.floor(epochMs / QUARTER_HOUR)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  if (offsetCache.size > 50_000) offsetCache.clear();
  const offset = computeOffset(epochMs, timeZone);
  offsetCache.set(key, offset);
  return offset;
}

function computeOffset(epochMs: number, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  // the minutes group is optional ("GMT+01" has none): exec leaves it undefined, read as 0
  const [, sign, hours, minutes = '0'] = m;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** the instant as an ISO string with the zone's offset at that instant */
export function formatInZone(epochMs: number, timeZone: string): string {
  const offset = offsetMinutesAt(epochMs, timeZone);
  const local = new Date(epochMs + offset * MINUTE).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant a local wall-clock time happens in the zone. Like Temporal's `compatible`
 * disambiguation: a time skipped by the spring-forward gap moves forward by the gap; a time that
 * occurs twice at fall-back takes the earlier (summer-time) instant.
 */
export function localToInstant(localDate: string, localTime: string, timeZone: string): string {
  const [y, mo, d] = localDate.split('-').map(Number) as [number, number, number];
  const [h, mi] = localTime.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const before = offsetMinutesAt(wall - DAY, timeZone);
  const after = offsetMinutesAt(wall + DAY, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE)
    .filter((instant) => wall - offsetMinutesAt(instant, timeZone) * MINUTE === instant)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? wall - before * MINUTE;
  return formatInZone(instant, timeZone);
}

/** the local calendar date `n` days after `localDate` */
export function addDaysToLocalDate(localDate: string, days: number): string {
  const [y, mo, d] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

export function addMinutes(instant: string, minutes: number, timeZone: string): string {
  return formatInZone(toMillis(instant) + minutes * MINUTE, timeZone);
}

export function addHours(instant: string, hours: number, timeZone: string): string {
  return formatInZone(toMillis(instant) + hours * HOUR, timeZone);
}

/**
 * Calendar months after an instant or date, in epoch ms; the day is clamped to the month's end
 * (31 Jan + 1 month = 28/29 Feb). Months are counted on the UTC calendar: at month granularity the
 * hour a DST change could shift is irrelevant.
 */
export function addMonthsMillis(isoOrDate: string, months: number): number {
  const t = new Date(toMillis(isoOrDate));
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(t.getUTCDate(), lastDay), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds());
}

const pad = (n: number): string => String(n).padStart(2, '0');
