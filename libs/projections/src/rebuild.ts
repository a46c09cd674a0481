import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CheckpointStore, START, comparePositions, type EventStore, type Position } from '#app/event-store';
import type { Projection } from './projection.js';

export interface RebuildProgress {
  readonly name: string;
  /** events read from the log and handed to the projection so far */
  readonly applied: number;
  /** events in the log when the rebuild started, where the store can count them cheaply */
  readonly total?: number;
}

export interface RebuildOptions {
  readonly projection: Projection;
  readonly source: EventStore;
  /** the database of the read models and checkpoints (the live API may be using it meanwhile) */
  readonly dataSource: DataSource;
  /** events per transaction; default 500 */
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** swap attempts while the live projection keeps running ahead of the copy; default 5 */
  readonly swapAttempts?: number;
}

export interface RebuildResult {
  readonly name: string;
  readonly events: number;
  /** the position the swapped-in tables reflect; the live projection continues after it */
  readonly position: Position;
  /** rows per table after the swap */
  readonly rows: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Rebuilds a projection from position 0 while the API keeps serving and keeping it live:
 * 1. its tables are copied empty (columns, defaults, checks, keys and indexes under their own names) into a
 *    shadow schema, and a fresh checkpoint `<name>#rebuild` starts at 0;
 * 2. the log is replayed into the copies batch by batch, each batch committed with that checkpoint and run
 *    with the search path `<shadow>, <live>`, so the projection's unqualified table names hit the copies (it
 *    needs no changes to be rebuilt);
 * 3. one transaction swaps: it locks the live checkpoint row (the live consumer waits on it), drops the live
 *    tables, moves the copies into the live schema and sets the live checkpoint to where the copy got.
 *    The live consumer then finds its checkpoint moved, follows it (DurableSubscription's "moved" case) and
 *    applies whatever came after onto the new tables. Readers blocked by the swap resolve the table name
 *    again once it commits and see the new table. If the live projection is ahead of the copy when the
 *    swap takes the lock, the copy catches up first (up to `swapAttempts` times), so readers do not see the
 *    read model step back.
 * An interrupted rebuild leaves the live tables untouched; its shadow schema and checkpoint are removed by
 * the next rebuild of the same projection. Run it with the same projection code as the live API (after a
 * change of logic, bump the name instead: `x.v2` starts from zero by itself). A session advisory lock keeps
 * two rebuilds of one projection apart on a PostgreSQL server (the embedded database has one session and
 * one process, so there the CLI cannot run beside the API anyway).
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { projection, dataSource } = options;
  const tables = projection.tables ?? [];
  if (tables.length === 0) throw new Error(`Projection ${projection.name} declares no tables, so it cannot be rebuilt without downtime.`);
  for (const table of tables) assertIdentifier(table);
  const live = assertIdentifier((await dataSource.query<Array<{ schema: string }>>(`SELECT current_schema() AS schema`))[0].schema);
  // one rebuild per projection at a time: a second one would drop the first one's shadow schema
  const key = `rebuild:${live}:${projection.name}`;
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    const [{ locked }] = (await lock.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [key])) as Array<{ locked: boolean }>;
    if (!locked) throw new Error(`Another rebuild of ${projection.name} is running.`);
    try {
      return await new ShadowBuild(options, tables, live).run();
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
    }
  } finally {
    await lock.release();
  }
}

class ShadowBuild {
  private readonly checkpoints: CheckpointStore;
  private readonly shadow: string;
  private readonly shadowName: string;
  private position: Position = START;
  private applied = 0;
  private total: number | undefined;

  constructor(
    private readonly options: RebuildOptions,
    private readonly tables: readonly string[],
    private readonly live: string,
  ) {
    this.checkpoints = new CheckpointStore(options.dataSource);
    this.shadow = shadowSchemaName(live, options.projection.name);
    this.shadowName = `${options.projection.name}#rebuild`;
  }

  async run(): Promise<RebuildResult> {
    const { projection, dataSource, source } = this.options;
    const startedAt = Date.now();
    this.total = await source.countEventsAfter?.(START);
    await this.cleanUp(); // what an interrupted rebuild left
    try {
      await dataSource.query(`CREATE SCHEMA ${this.shadow}`);
      for (const table of this.tables) await copyTableShape(dataSource, this.live, this.shadow, table);
      await this.checkpoints.reset(this.shadowName, START);
      this.progress();
      await this.catchUp();
      const attempts = this.options.swapAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        if (await dataSource.transaction('READ COMMITTED', (manager) => this.swap(manager, attempt >= attempts))) break;
        await this.catchUp();
      }
    } catch (error) {
      await this.cleanUp().catch(() => undefined);
      throw error;
    }
    const rows: Record<string, number> = {};
    for (const table of this.tables) {
      rows[table] = Number((await dataSource.query<Array<{ n: string }>>(`SELECT count(*)::text AS n FROM ${this.live}.${table}`))[0].n);
    }
    return { name: projection.name, events: this.applied, position: this.position, rows, durationMs: Date.now() - startedAt };
  }

  private progress(): void {
    this.options.onProgress?.({
      name: this.options.projection.name,
      applied: this.applied,
      ...(this.total === undefined ? {} : { total: this.total }),
    });
  }

  private async cleanUp(): Promise<void> {
    await this.options.dataSource.query(`DROP SCHEMA IF EXISTS ${this.shadow} CASCADE`);
    await this.checkpoints.delete(this.shadowName);
  }

  /** replays the log after the copy's checkpoint into the copy, batch by batch, each with its checkpoint */
  private async catchUp(): Promise<void> {
    const { projection, dataSource, source } = this.options;
    const read = (after: Position) => source.readAll({ after, maxCount: this.options.batchSize ?? 500 });
    let next = read(this.position);
    for (;;) {
      const events = await next;
      if (events.length === 0) return;
      const last = events[events.length - 1].position;
      // the next batch is read while this one is applied (on another connection): what readAll returned is final,
      // so reading ahead of the copy's checkpoint is safe. If this batch fails, the read-ahead is dropped unawaited.
      next = read(last);
      next.catch(() => undefined);
      await dataSource.transaction('READ COMMITTED', async (manager) => {
        // the copy's tables come first by name; the checkpoint table is only in the live schema. A commit need not
        // wait for the disk: a crash interrupts the rebuild, and an interrupted rebuild is started again from 0
        await manager.query(`SELECT set_config('search_path', $1, true), set_config('synchronous_commit', 'off', true)`, [
          `${this.shadow}, ${this.live}`,
        ]);
        await projection.apply(events, manager);
        if (!(await this.checkpoints.advance(manager, this.shadowName, this.position, last))) throw this.movedError();
      });
      this.position = last;
      this.applied += events.length;
      this.progress();
    }
  }

  private async lockCopy(manager: EntityManager): Promise<Position> {
    const at = await this.checkpoints.lock(manager, this.shadowName);
    if (!at || comparePositions(at, this.position) !== 0) throw this.movedError();
    return at;
  }

  private movedError(): Error {
    return new Error(`The rebuild checkpoint of ${this.options.projection.name} was moved by someone else.`);
  }

  /** false (nothing done) when the live projection is ahead of the copy and `force` is not set */
  private async swap(manager: EntityManager, force: boolean): Promise<boolean> {
    const { live, shadow, tables } = this;
    const liveAt = await this.checkpoints.lock(manager, this.options.projection.name); // the live consumer waits from here
    const copyAt = await this.lockCopy(manager);
    if (liveAt && comparePositions(liveAt, copyAt) > 0 && !force) return false;
    for (const table of tables) await manager.query(`DROP TABLE IF EXISTS ${live}.${table}`);
    for (const table of tables) await manager.query(`ALTER TABLE ${shadow}.${table} SET SCHEMA ${live}`);
    await manager.query(
      `INSERT INTO ${live}.subscription_checkpoints (name, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
      [this.options.projection.name, copyAt.commit.toString(), copyAt.prepare.toString()],
    );
    await manager.query(`DELETE FROM ${live}.subscription_checkpoints WHERE name = $1`, [this.shadowName]);
    await manager.query(`DROP SCHEMA ${shadow} CASCADE`);
    return true;
  }
}

/** `rb_<hash of schema and name>_<readable name>`: unique per live schema (tests share one server). */
export function shadowSchemaName(liveSchema: string, projectionName: string): string {
  const hash = createHash('sha256').update(`${liveSchema}/${projectionName}`).digest('hex').slice(0, 10);
  const readable = projectionName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40);
  return assertIdentifier(`rb_${hash}_${readable}`.replace(/_+$/, ''));
}

/**
 * An empty table shaped like `schema.table` in `shadow`: columns with defaults and checks, then primary
 * keys, unique constraints and indexes re-created under their live names (names are per schema, so the
 * swapped-in table carries exactly the names the migrations gave).
 */
async function copyTableShape(dataSource: DataSource, schema: string, shadow: string, table: string): Promise<void> {
  const qualified = `${schema}.${table}`;
  const serial = await dataSource.query<unknown[]>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_default LIKE 'nextval%'`,
    [schema, table],
  );
  if (serial.length > 0) throw new Error(`Table ${table} uses a sequence; a rebuildable read model must not (the copy would share it).`);
  const foreign = await dataSource.query<unknown[]>(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [
    qualified,
  ]);
  if (foreign.length > 0) throw new Error(`Table ${table} has a foreign key; a rebuildable read model must not.`);
  await dataSource.query(
    `CREATE TABLE ${shadow}.${table} (LIKE ${qualified} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE)`,
  );
  const constraints = await dataSource.query<Array<{ conname: string; def: string }>>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
    [qualified],
  );
  for (const c of constraints) await dataSource.query(`ALTER TABLE ${shadow}.${table} ADD CONSTRAINT "${c.conname}" ${c.def}`);
  const indexes = await dataSource.query<Array<{ def: string }>>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY i.indexrelid`,
    [qualified],
  );
  const onTable = new RegExp(` ON (ONLY )?(("?)${schema}\\3\\.)?("?)${table}\\4 `);
  for (const { def } of indexes) {
    if (!onTable.test(def)) throw new Error(`Cannot copy an index of ${table}: ${def}`);
    await dataSource.query(def.replace(onTable, ` ON ${shadow}.${table} `));
  }
}

function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lower-case identifier.`);
  return name;
}
