import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface StoredResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/**
 * First responses to writes that carried an Idempotency-Key, per caller and key. A retry with the same
 * key and body gets the stored response; the same key with another body is refused. (A crash between
 * the append and storing the response is covered one level down: DeciderStore finds the events the
 * key already wrote.)
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async find(callerId: string, key: string): Promise<StoredResponse | undefined> {
    const rows: Array<{ request_hash: string; status_code: number; body: unknown; headers: Record<string, string> }> = await this.dataSource.query(
      'SELECT request_hash, status_code, body, headers FROM idempotent_responses WHERE caller_id = $1 AND key = $2',
      [callerId, key],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, statusCode: row.status_code, body: row.body, headers: row.headers };
  }

  /** Keeps the first response when two identical requests finish together. */
  async save(callerId: string, key: string, response: StoredResponse): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO idempotent_responses (caller_id, key, request_hash, status_code, body, headers)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (caller_id, key) DO NOTHING`,
      [callerId, key, response.requestHash, response.statusCode, JSON.stringify(response.body ?? null), JSON.stringify(response.headers)],
    );
  }
}

/**
 * Keyed (HMAC) rather than a plain hash: a referral body holds a CPR number, and a plain digest of a
 * small, structured body could be brute-forced back to it.
 */
export function requestHash(secret: string, method: string, path: string, body: unknown): string {
  return createHmac('sha256', secret).update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
