import type { DataSource } from 'typeorm';
import { GroupedWrites } from '#app/event-store';
import type { PatientDataUse } from './patient-data.decorator.js';

export type AccessOutcome = 'ok' | 'refused' | 'denied' | 'failed';

export interface AccessLogEntryInput {
  /** when the request arrived */
  readonly at: Date;
  readonly clinicId: string;
  readonly staffId: string;
  readonly roles: readonly string[];
  readonly use: PatientDataUse;
  readonly method: string;
  /** the route pattern (`/courses/:id/history`) */
  readonly route: string;
  /** the path called, without the query string */
  readonly path: string;
  /** the query parameters (filters, search criteria); null when none */
  readonly query: Record<string, unknown> | null;
  readonly courseIds: readonly string[];
  readonly patientIds: readonly string[];
  readonly status: number;
  readonly outcome: AccessOutcome;
  readonly correlationId?: string;
}

export interface AccessLogEntry {
  readonly id: string;
  readonly at: string;
  readonly loggedAt: string;
  readonly clinicId: string;
  readonly staffId: string;
  readonly roles: string[];
  readonly use: PatientDataUse;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly query: Record<string, unknown> | null;
  readonly courseIds: string[];
  readonly patientIds: string[];
  readonly status: number;
  readonly outcome: AccessOutcome;
  readonly correlationId: string | null;
}

interface Row {
  id: string;
  at: Date;
  logged_at: Date;
  clinic_id: string;
  staff_id: string;
  roles: string[];
  use: PatientDataUse;
  method: string;
  route: string;
  path: string;
  query: Record<string, unknown> | null;
  course_ids: string[];
  patient_ids: string[];
  status: number;
  outcome: AccessOutcome;
  correlation_id: string | null;
}

/** most entries one INSERT carries (the rest wait for the next) */
const MAX_ENTRIES_PER_STATEMENT = 200;

/** an entry as its row is written (cleaned: PostgreSQL text and jsonb take every value) */
interface EntryRow {
  readonly at: string;
  readonly clinic_id: string;
  readonly staff_id: string;
  readonly roles: string[];
  readonly use: PatientDataUse;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly query: unknown;
  readonly course_ids: string[];
  readonly patient_ids: string[];
  readonly status: number;
  readonly outcome: AccessOutcome;
  readonly correlation_id: string | null;
}

function entryRow(entry: AccessLogEntryInput): EntryRow {
  const ids = (list: readonly string[]) => [...new Set(list.map((id) => clean(id, 128)))];
  const query = queryJson(entry.query);
  return {
    at: entry.at.toISOString(),
    clinic_id: clean(entry.clinicId, 200),
    staff_id: clean(entry.staffId, 200),
    roles: entry.roles.map((r) => clean(r, 50)),
    use: entry.use,
    method: clean(entry.method, 20),
    route: clean(entry.route, 500),
    path: clean(entry.path, 2000),
    query: query === null ? null : (JSON.parse(query) as unknown),
    course_ids: ids(entry.courseIds),
    patient_ids: ids(entry.patientIds),
    status: entry.status,
    outcome: entry.outcome,
    correlation_id: entry.correlationId === undefined ? null : clean(entry.correlationId, 200),
  };
}

const COLUMNS = `id::text AS id, at, logged_at, clinic_id, staff_id, roles, use, method, route, path, query, course_ids, patient_ids, status, outcome, correlation_id`;

/**
 * The access log table (migration 1763800007000): insert and read only. Nothing here updates or deletes
 * an entry; the table's triggers refuse it anyway, except the retention purge (access_log_purge()).
 */
export class AccessLogStore {
  /** entries of concurrent requests share a statement (see record) */
  private readonly entries = new GroupedWrites((rows: readonly EntryRow[]) => this.insert(rows), {
    concurrency: 1,
    maxPerStatement: MAX_ENTRIES_PER_STATEMENT,
  });

  constructor(private readonly dataSource: DataSource) {}

  /**
   * One entry; the patients of the named courses are added from the audit index (course → patient).
   * Resolves once the entry is committed, rejects when it could not be written: the caller answers only
   * then (AccessLogInterceptor). Entries of concurrent requests share a statement (GroupedWrites): with none
   * in flight an entry is written at once, alone; the ones that arrive meanwhile wait for it and then go
   * together, up to MAX_ENTRIES_PER_STATEMENT rows in one multi-row INSERT (one round trip and one commit for
   * all). If such a statement fails, each of its entries is written again on its own, so only an entry that
   * cannot be written is refused. Nothing is held in memory past its request: the request waits for it.
   */
  async record(entry: AccessLogEntryInput): Promise<void> {
    await this.entries.submit(entryRow(entry));
  }

  private async insert(rows: readonly EntryRow[]): Promise<undefined[]> {
    await this.dataSource.query(
      `INSERT INTO access_log (at, clinic_id, staff_id, roles, use, method, route, path, query, course_ids, patient_ids, status, outcome, correlation_id)
       SELECT e.at, e.clinic_id, e.staff_id, e.roles, e.use, e.method, e.route, e.path, e.query, e.course_ids,
              ARRAY(SELECT DISTINCT p FROM (SELECT unnest(e.patient_ids) AS p
                                            UNION SELECT patient_id FROM audit_course_index WHERE course_id = ANY(e.course_ids)) ids
                    WHERE p IS NOT NULL ORDER BY p),
              e.status, e.outcome, e.correlation_id
       FROM jsonb_to_recordset($1::jsonb) AS e(n int, at timestamptz, clinic_id text, staff_id text, roles text[], use text, method text, route text, path text,
                                               query jsonb, course_ids text[], patient_ids text[], status int, outcome text, correlation_id text)
       ORDER BY e.n`,
      [JSON.stringify(rows.map((row, n) => ({ n, ...row })))],
    );
    return rows.map(() => undefined);
  }

  /**
   * Every entry of the clinic about this patient: naming the patient, or any of the patient's courses
   * (so an entry written before the audit index knew the course is found as well), oldest first.
   */
  async forPatient(
    clinicId: string,
    patientId: string,
    courseId: string,
    range: { from?: string; to?: string } = {},
  ): Promise<AccessLogEntry[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${COLUMNS} FROM access_log
        WHERE clinic_id = $1
          AND (patient_ids @> ARRAY[$2]::text[]
               OR course_ids && ARRAY(SELECT course_id FROM audit_course_index WHERE patient_id = $2 UNION SELECT $3::text))
          AND ($4::timestamptz IS NULL OR at >= $4::timestamptz)
          AND ($5::timestamptz IS NULL OR at <= $5::timestamptz)
        ORDER BY id`,
      [clinicId, patientId, courseId, range.from ?? null, range.to ?? null],
    );
    return rows.map(toEntry);
  }

  /** Sets the retention (months, 6–60; the database refuses anything else). */
  async setRetention(months: number): Promise<void> {
    await this.dataSource.query(`SELECT access_log_set_retention($1::int)`, [months]);
  }

  /** Deletes the entries older than the retention; returns how many. */
  async purge(): Promise<number> {
    const [{ removed }] = await this.dataSource.query<Array<{ removed: string }>>(`SELECT access_log_purge()::text AS removed`);
    return Number(removed);
  }
}

/**
 * Whatever a caller sent must never stop its entry from being written (that would refuse the request):
 * NUL and unpaired surrogates, which PostgreSQL text and jsonb refuse, become U+FFFD; lengths are capped.
 */
export function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- NUL (and only NUL) is what PostgreSQL text and jsonb refuse; \p{Cc} would also replace tabs and newlines
  return text.slice(0, max).replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const MAX_QUERY_JSON = 4000;

function queryJson(query: Record<string, unknown> | null): string | null {
  if (query === null) return null;
  const json = JSON.stringify(cleanDeep(query, 0));
  return json.length <= MAX_QUERY_JSON ? json : JSON.stringify({ truncated: clean(json, MAX_QUERY_JSON) });
}

function cleanDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clean(value, 2000);
  if (depth > 5 || value === null || typeof value !== 'object') return typeof value === 'object' ? null : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => cleanDeep(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .slice(0, 100)
      .map(([k, v]) => [clean(k, 200), cleanDeep(v, depth + 1)]),
  );
}

function toEntry(r: Row): AccessLogEntry {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    loggedAt: new Date(r.logged_at).toISOString(),
    clinicId: r.clinic_id,
    staffId: r.staff_id,
    roles: r.roles,
    use: r.use,
    method: r.method,
    route: r.route,
    path: r.path,
    query: r.query,
    courseIds: r.course_ids,
    patientIds: r.patient_ids,
    status: r.status,
    outcome: r.outcome,
    correlationId: r.correlation_id,
  };
}
