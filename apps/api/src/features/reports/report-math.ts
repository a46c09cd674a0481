/** Calendar arithmetic and statistics the reports share (pure). */

const DAY_MS = 86_400_000;

const utc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => dateOf(utc(date) + days * DAY_MS);

/** the Monday of a local date's ISO week */
export const mondayOf = (date: string): string => addDays(date, -((new Date(utc(date)).getUTCDay() + 6) % 7));

/** ISO 8601 week of a local date: `2026-W11` (the year is the Thursday's) */
export function isoWeek(date: string): string {
  const thursday = addDays(mondayOf(date), 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((utc(thursday) - utc(`${year}-01-01`)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `YYYY-MM` → the next month */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

export interface Stats {
  readonly patients: number;
  readonly median: number | null;
  readonly mean: number | null;
  readonly p90: number | null;
  readonly max: number | null;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { patients: 0, median: null, mean: null, p90: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)];
  return {
    patients: sorted.length,
    median: round1(median),
    mean: round1(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p90: round1(p90),
    max: round1(sorted[sorted.length - 1]),
  };
}
