import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface StoredResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/**
 * First responses to writes that carried an Idempotency-Key, per caller and key. A request claims its
 * key before it runs, so an identical request arriving meanwhile waits for the first one's answer
 * instead of running again (two runs of a "next free team" rebook could pick different teams). A
 * retry with the same key and body gets the stored response; the same key with another body is
 * refused. (A crash between the append and storing the response is covered one level down:
 * DeciderStore finds the events the key already wrote, once the dead claim's lease has run out.)
 */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this request, or tells who has it. A row with status 0 is a request still
   * running (its claim); a claim older than `leaseMs` belongs to a process that died and is taken over.
   */
  async claim(callerId: string, key: string, requestHash: string, leaseMs: number): Promise<Claim> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotent_responses (caller_id, key, request_hash, status_code, body, headers)
       VALUES ($1, $2, $3, 0, NULL, '{}'::jsonb) ON CONFLICT (caller_id, key) DO NOTHING RETURNING key`,
      [callerId, key, requestHash],
    );
    if (inserted.length > 0) return { kind: 'claimed' };
    // as a CTE so the driver answers with rows, as for a SELECT (a bare UPDATE answers [rows, count])
    const takenOver: unknown[] = await this.dataSource.query(
      `WITH taken AS (
         UPDATE idempotent_responses SET created_at = now()
         WHERE caller_id = $1 AND key = $2 AND status_code = 0 AND request_hash = $3 AND created_at < now() - ($4 * interval '1 millisecond')
         RETURNING key)
       SELECT key FROM taken`,
      [callerId, key, requestHash, leaseMs],
    );
    if (takenOver.length > 0) return { kind: 'claimed' };
    const rows: Array<{ request_hash: string; status_code: number; body: unknown; headers: Record<string, string> }> =
      await this.dataSource.query(
        'SELECT request_hash, status_code, body, headers FROM idempotent_responses WHERE caller_id = $1 AND key = $2',
        [callerId, key],
      );
    const row = rows.at(0);
    if (!row) return this.claim(callerId, key, requestHash, leaseMs);
    if (row.status_code === 0) return { kind: 'running', requestHash: row.request_hash };
    return { kind: 'done', stored: { requestHash: row.request_hash, statusCode: row.status_code, body: row.body, headers: row.headers } };
  }

  /** Stores the first response in place of the claim. */
  async complete(callerId: string, key: string, response: StoredResponse): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotent_responses SET request_hash = $3, status_code = $4, body = $5, headers = $6
       WHERE caller_id = $1 AND key = $2 AND status_code = 0`,
      [callerId, key, response.requestHash, response.statusCode, JSON.stringify(response.body ?? null), JSON.stringify(response.headers)],
    );
  }

  /** Drops a completed answer that must not be replayed (a transient one), so the key can be claimed again. */
  async forget(callerId: string, key: string, statusCode: number): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotent_responses WHERE caller_id = $1 AND key = $2 AND status_code = $3', [
      callerId,
      key,
      statusCode,
    ]);
  }

  /** Gives the key back (the request ended in a way not worth replaying: a server error, a refused token). */
  async release(callerId: string, key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotent_responses WHERE caller_id = $1 AND key = $2 AND status_code = 0', [callerId, key]);
  }
}

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'running'; readonly requestHash: string }
  | { readonly kind: 'done'; readonly stored: StoredResponse };

export function requestHash(secret: string, method: string, path: string, body: unknown): string {
  return createHmac('sha256', secret)
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
