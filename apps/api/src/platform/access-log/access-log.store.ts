import type { DataSource } from 'typeorm';
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

const COLUMNS = `id::text AS id, at, logged_at, clinic_id, staff_id, roles, use, method, route, path, query, course_ids, patient_ids, status, outcome, correlation_id`;

/**
 * The access log table (migration 1763800007000): insert and read only. Nothing here updates or deletes
 * an entry; the table's triggers refuse it anyway, except the retention purge (access_log_purge()).
 */
export class AccessLogStore {
  constructor(private readonly dataSource: DataSource) {}

  /** One entry; the patients of the named courses are added from the audit index (course → patient). */
  async record(entry: AccessLogEntryInput): Promise<void> {
    const ids = (list: readonly string[]) => [...new Set(list.map((id) => clean(id, 128)))];
    await this.dataSource.query(
      `INSERT INTO access_log (at, clinic_id, staff_id, roles, use, method, route, path, query, course_ids, patient_ids, status, outcome, correlation_id)
       SELECT $1, $2, $3, $4::text[], $5, $6, $7, $8, $9::jsonb, $10::text[],
              ARRAY(SELECT DISTINCT p FROM (SELECT unnest($11::text[]) AS p
                                            UNION SELECT patient_id FROM audit_course_index WHERE course_id = ANY($10::text[])) ids
                    WHERE p IS NOT NULL ORDER BY p),
              $12, $13, $14`,
      [
        entry.at.toISOString(),
        clean(entry.clinicId, 200),
        clean(entry.staffId, 200),
        entry.roles.map((r) => clean(r, 50)),
        entry.use,
        clean(entry.method, 20),
        clean(entry.route, 500),
        clean(entry.path, 2000),
        queryJson(entry.query),
        ids(entry.courseIds),
        ids(entry.patientIds),
        entry.status,
        entry.outcome,
        entry.correlationId === undefined ? null : clean(entry.correlationId, 200),
      ],
    );
  }

  /**
   * Every entry of the clinic about this patient: naming the patient, or any of the patient's courses
   * (so an entry written before the audit index knew the course is found as well), oldest first.
   */
  async forPatient(clinicId: string, patientId: string, courseId: string, range: { from?: string; to?: string } = {}): Promise<AccessLogEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM access_log
        WHERE clinic_id = $1
          AND (patient_ids @> ARRAY[$2]::text[]
               OR course_ids && ARRAY(SELECT course_id FROM audit_course_index WHERE patient_id = $2 UNION SELECT $3::text))
          AND ($4::timestamptz IS NULL OR at >= $4::timestamptz)
          AND ($5::timestamptz IS NULL OR at <= $5::timestamptz)
        ORDER BY id`,
      [clinicId, patientId, courseId, range.from ?? null, range.to ?? null],
    )) as Row[];
    return rows.map(toEntry);
  }

  /** Sets the retention (months, 6–60; the database refuses anything else). */
  async setRetention(months: number): Promise<void> {
    await this.dataSource.query(`SELECT access_log_set_retention($1::int)`, [months]);
  }

  /** Deletes the entries older than the retention; returns how many. */
  async purge(): Promise<number> {
    const [{ removed }] = (await this.dataSource.query(`SELECT access_log_purge()::text AS removed`)) as Array<{ removed: string }>;
    return Number(removed);
  }
}

/**
 * Whatever a caller sent must never stop its entry from being written (that would refuse the request):
 * NUL and unpaired surrogates, which PostgreSQL text and jsonb refuse, become U+FFFD; lengths are capped.
 */
export function clean(text: string, max: number): string {
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
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 100).map(([k, v]) => [clean(k, 200), cleanDeep(v, depth + 1)]));
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
    status: Number(r.status),
    outcome: r.outcome,
    correlationId: r.correlation_id,
  };
}
