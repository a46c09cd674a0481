import type { DataSource, EntityManager } from 'typeorm';
import type { Position } from '../event-store.port.js';

interface CheckpointRow {
  commit_position: string;
  prepare_position: string;
}

export interface CheckpointMove {
  readonly name: string;
  readonly from: Position;
  readonly to: Position;
}

const toPosition = (row: CheckpointRow): Position => ({ commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) });

/**
 * Where each durable subscription is in the global log (table subscription_checkpoints). Always in
 * PostgreSQL, next to the read models, whatever holds the events.
 */
export class CheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored checkpoint, creating it at `initial` when the subscription is new. */
  async ensure(name: string, initial: Position): Promise<Position> {
    // read first: the insert below waits on a row a consumer's batch is moving (advance), a read does not
    const existing = await this.read(name);
    if (existing) return existing;
    await this.dataSource.query(
      `INSERT INTO subscription_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING`,
      [name, initial.commit.toString(), initial.prepare.toString()],
    );
    const stored = await this.read(name);
    if (!stored) throw new Error(`Checkpoint ${name} vanished right after it was created.`);
    return stored;
  }

  async read(name: string): Promise<Position | undefined> {
    const rows = await this.dataSource.query<CheckpointRow[]>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM subscription_checkpoints WHERE name = $1`,
      [name],
    );
    return rows.length === 0 ? undefined : toPosition(rows[0]);
  }

  /** Inside the caller's transaction: locks the row until commit; a second consumer waits here. */
  async lock(manager: EntityManager, name: string): Promise<Position | undefined> {
    const rows = await manager.query<CheckpointRow[]>(
      `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM subscription_checkpoints WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return rows.length === 0 ? undefined : toPosition(rows[0]);
  }

  /**
   * Inside the caller's transaction, one statement: moves the checkpoint from `from` to `to` and locks the
   * row until commit (a second consumer waits here); false when the checkpoint no longer holds `from`
   * (another consumer or a reset moved it). The same as `lock`, compare, then `save` at the end, in one
   * round trip: a rolled-back batch rolls the move back with its effects.
   */
  async advance(manager: EntityManager, name: string, from: Position, to: Position): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `WITH moved AS (
         UPDATE subscription_checkpoints SET commit_position = $4, prepare_position = $5, updated_at = now()
         WHERE name = $1 AND commit_position = $2 AND prepare_position = $3
         RETURNING name)
       SELECT name FROM moved`,
      [name, from.commit.toString(), from.prepare.toString(), to.commit.toString(), to.prepare.toString()],
    );
    return rows.length > 0;
  }

  /**
   * `advance` for several subscriptions in one statement (their batches commit in one transaction); answers the
   * names whose checkpoint still held its `from` and was moved (and locked until commit).
   */
  async advanceAll(manager: EntityManager, moves: readonly CheckpointMove[]): Promise<Set<string>> {
    const text = (pick: (m: CheckpointMove) => bigint) => moves.map((m) => pick(m).toString());
    const rows = await manager.query<Array<{ name: string }>>(
      `WITH moved AS (
         UPDATE subscription_checkpoints c SET commit_position = m.to_commit, prepare_position = m.to_prepare, updated_at = now()
         FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[])
           AS m(name, from_commit, from_prepare, to_commit, to_prepare)
         WHERE c.name = m.name AND c.commit_position = m.from_commit AND c.prepare_position = m.from_prepare
         RETURNING c.name)
       SELECT name FROM moved`,
      [
        moves.map((m) => m.name),
        text((m) => m.from.commit),
        text((m) => m.from.prepare),
        text((m) => m.to.commit),
        text((m) => m.to.prepare),
      ],
    );
    return new Set(rows.map((r) => r.name));
  }

  /** Moves a checkpoint (e.g. back to START before a rebuild); a running consumer follows it. */
  async reset(name: string, position: Position): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO subscription_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
         prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
      [name, position.commit.toString(), position.prepare.toString()],
    );
  }

  async delete(name: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM subscription_checkpoints WHERE name = $1`, [name]);
  }
}
