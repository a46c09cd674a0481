import { addDaysToLocalDate, addHours, addMonthsMillis, formatInZone, isInstant } from '../catalogue/calendar.js';
import type { Duration } from '../catalogue/catalogue.types.js';
import type { TimingWindow } from '../catalogue/pathway.js';

/** epoch ms of an ISO 8601 instant that carries its offset (`Z` or `+01:00`); undefined otherwise */
export function instant(iso: unknown): number | undefined {
  return isInstant(iso) ? Date.parse(iso) : undefined;
}

/** epoch ms of an instant the domain recorded or its clock gave (checked on the way in, so never undefined) */
export function recordedInstant(iso: string): number {
  return Date.parse(iso);
}

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** the local calendar date (YYYY-MM-DD) of an instant in a time zone */
export function localDate(ms: number, timeZone: string): string {
  return formatInZone(ms, timeZone).slice(0, 10);
}

export function addToDate(date: string, d: Duration): string {
  if (d.unit === 'months') return new Date(addMonthsMillis(date, d.value)).toISOString().slice(0, 10);
  return addDaysToLocalDate(date, d.value * (d.unit === 'weeks' ? 7 : d.unit === 'days' ? 1 : 0));
}

export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY);
}

export function durationMs(d: Duration): number {
  const perUnit = { hours: HOUR, days: DAY, weeks: 7 * DAY, months: 30 * DAY } as const;
  return d.value * perUnit[d.unit];
}

/**
 * A window made concrete for one course. `unit: 'day'` → `from`/`to` are local dates (inclusive);
 * `unit: 'hour'` → ISO instants.
 */
export interface ConcreteWindow {
  readonly relativeTo: string;
  readonly anchorAt: string;
  readonly unit: 'day' | 'hour';
  readonly from: string;
  readonly to: string;
}

export function concreteWindow(window: TimingWindow, relativeTo: string, anchorAt: string, timeZone: string): ConcreteWindow {
  const anchorMs = recordedInstant(anchorAt);
  if (window.from.unit === 'hours') {
    return {
      relativeTo,
      anchorAt,
      unit: 'hour',
      from: addHours(anchorAt, window.from.value, timeZone),
      to: addHours(anchorAt, window.to.value, timeZone),
    };
  }
  const anchorDate = localDate(anchorMs, timeZone);
  return { relativeTo, anchorAt, unit: 'day', from: addToDate(anchorDate, window.from), to: addToDate(anchorDate, window.to) };
}

export function isOutside(w: ConcreteWindow, atMs: number, timeZone: string): boolean {
  if (w.unit === 'hour') return atMs < recordedInstant(w.from) || atMs > recordedInstant(w.to);
  const date = localDate(atMs, timeZone);
  return date < w.from || date > w.to;
}

/** how much of the window is left at `nowMs`: negative when it has closed */
export function remainingMs(w: ConcreteWindow, nowMs: number, timeZone: string): number {
  if (w.unit === 'hour') return recordedInstant(w.to) - nowMs;
  return daysBetween(localDate(nowMs, timeZone), w.to) * DAY;
}
