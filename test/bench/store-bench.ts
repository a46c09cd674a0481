import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { DurableSubscription, PostgresEventStore, type RecordedEvent } from '#app/event-store';
import { benchEvent, copyLine, copyRows, RAW_EVENTS_DDL, RAW_READ_SQL, type BenchEvent } from './bench-data.js';
import { inParallel } from './workload.js';

/**
 * Event-store micro-benchmarks, each beside a raw PostgreSQL baseline measured on the same connections
 * (the DataSource's pool of WRITERS connections), alternating baseline and subject over rounds so that a
 * noisy neighbour hits both alike.
 */

export const WRITERS = 8;
const STREAMS_PER_WRITER = 16;

export interface Rate {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
}

const rate = (count: number, ms: number): Rate => ({ count, seconds: ms / 1000, perSecond: count / (ms / 1000) });

async function timed(work: () => Promise<number>): Promise<Rate> {
  const start = performance.now();
  const count = await work();
  return rate(count, performance.now() - start);
}

export class StoreBench {
  private readonly store: PostgresEventStore;
  private readonly revisions = new Map<string, number>();
  private rawRevision = 0;
  private round = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly random: () => number,
  ) {
    // the store as the API configures it: APPEND_STATEMENTS as there (unset: the default, appends grouped)
    const appendStatements = process.env.APPEND_STATEMENTS ? Number(process.env.APPEND_STATEMENTS) : undefined;
    this.store = new PostgresEventStore(dataSource, { appendStatements, preparedStatements: true });
  }

  async prepare(): Promise<void> {
    await this.dataSource.query(RAW_EVENTS_DDL);
    await this.dataSource.query(
      `CREATE TABLE bench_stream_summary (stream_id text PRIMARY KEY, events int NOT NULL, last_type text NOT NULL, last_position bigint NOT NULL)`,
    );
  }

  private pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  private events(n: number, streamId: string): BenchEvent[] {
    return Array.from({ length: n }, () => benchEvent(this.random, streamId));
  }

  /** single-event appends with the expected revision, WRITERS writers at once, each over its own streams */
  singleAppends(perWriter: number): Promise<Rate> {
    const round = this.round++;
    const work = Array.from({ length: WRITERS }, (_, w) =>
      Array.from({ length: perWriter }, (_, i) => `single-r${round}-w${w}-s${i % STREAMS_PER_WRITER}`),
    );
    const payloads = work.map((streams) => streams.map((s) => this.events(1, s)));
    return timed(async () => {
      await Promise.all(
        work.map(async (streams, w) => {
          for (let i = 0; i < streams.length; i++) {
            const streamId = streams[i];
            const expected = this.revisions.get(streamId) ?? -1;
            const result = await this.store.appendToStream(streamId, payloads[w][i], expected < 0 ? 'no_stream' : expected);
            this.revisions.set(streamId, result.nextExpectedRevision);
          }
        }),
      );
      return WRITERS * perWriter;
    });
  }

  /** baseline: one single-row INSERT per transaction (autocommit) into raw_events, same writers and connections, straight to the pool as the store's own statements go */
  singleInserts(perWriter: number): Promise<Rate> {
    const payloads = Array.from({ length: WRITERS }, (_, w) => this.events(perWriter, `raw-w${w}`));
    return timed(async () => {
      await Promise.all(
        payloads.map(async (events, w) => {
          for (const e of events) {
            await this.pool().query(
              `INSERT INTO raw_events (stream_id, stream_revision, event_id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`,
              [`raw-w${w}`, this.rawRevision++, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
            );
          }
        }),
      );
      return WRITERS * perWriter;
    });
  }

  /** appends of `batch` events to a new stream each, WRITERS writers at once */
  batchedAppends(perWriter: number, batch: number): Promise<Rate> {
    const round = this.round++;
    const payloads = Array.from({ length: WRITERS }, (_, w) =>
      Array.from({ length: perWriter }, (_, i) => this.events(batch, `batch-r${round}-w${w}-${i}`)),
    );
    return timed(async () => {
      await Promise.all(
        payloads.map(async (batches, w) => {
          for (let i = 0; i < batches.length; i++) await this.store.appendToStream(`batch-r${round}-w${w}-${i}`, batches[i], 'no_stream');
        }),
      );
      return WRITERS * perWriter * batch;
    });
  }

  /**
   * baseline: COPY of `batch` rows per statement into raw_events, same writers and connections. Each COPY's
   * lines are formatted inside the timing, as a batched append serialises its events inside it.
   */
  async copies(perWriter: number, batch: number): Promise<Rate> {
    const round = this.round++;
    const payloads = Array.from({ length: WRITERS }, (_, w) =>
      Array.from({ length: perWriter }, (_, i) => this.events(batch, `copy-r${round}-w${w}-${i}`)),
    );
    const clients = await Promise.all(Array.from({ length: WRITERS }, () => this.pool().connect()));
    try {
      return await timed(async () => {
        await Promise.all(
          clients.map(async (client, w) => {
            for (const [i, events] of payloads[w].entries()) {
              const streamId = `copy-r${round}-w${w}-${i}`;
              await copyRows(
                client,
                'raw_events',
                events.map((event, revision) => copyLine({ streamId, revision, event })),
              );
            }
          }),
        );
        return WRITERS * perWriter * batch;
      });
    } finally {
      for (const c of clients) c.release();
    }
  }

  /** baseline: read the whole events table in global order, `batch` rows per query (keyset), same columns as readAll */
  sequentialRead(batch: number): Promise<Rate> {
    return timed(async () => {
      let after = '-1';
      let count = 0;
      for (;;) {
        const { rows } = await this.pool().query<{ prepare_text: string }>(RAW_READ_SQL, [after, batch]);
        if (rows.length === 0) return count;
        count += rows.length;
        after = rows[rows.length - 1].prepare_text;
      }
    });
  }

  /** a projection rebuilt from START: a DurableSubscription into a simple read model (per-stream counts), until caught up */
  async rebuild(name: string, batch: number): Promise<Rate> {
    await this.dataSource.query(`TRUNCATE bench_stream_summary`);
    const head = await this.store.headPosition();
    let applied = 0;
    const subscription = new DurableSubscription({
      name,
      source: this.store,
      dataSource: this.dataSource,
      batchSize: batch,
      pollIntervalMs: 50,
      logger: { log: () => undefined, error: (m) => process.stderr.write(`${m}\n`) },
      handler: async (events: readonly RecordedEvent[], manager) => {
        const byStream = new Map<string, { events: number; type: string; position: bigint }>();
        for (const e of events) {
          const s = byStream.get(e.streamId) ?? { events: 0, type: e.type, position: 0n };
          byStream.set(e.streamId, { events: s.events + 1, type: e.type, position: e.position.prepare });
        }
        await manager.query(
          `INSERT INTO bench_stream_summary (stream_id, events, last_type, last_position)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[])
           ON CONFLICT (stream_id) DO UPDATE SET events = bench_stream_summary.events + EXCLUDED.events,
             last_type = EXCLUDED.last_type, last_position = EXCLUDED.last_position`,
          [
            [...byStream.keys()],
            [...byStream.values()].map((v) => v.events),
            [...byStream.values()].map((v) => v.type),
            [...byStream.values()].map((v) => v.position.toString()),
          ],
        );
        applied += events.length;
      },
    });
    const start = performance.now();
    await subscription.start();
    try {
      await subscription.waitUntilCaughtUp(head, 600_000);
    } finally {
      await subscription.stop();
    }
    const ms = performance.now() - start;
    const [check] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT coalesce(sum(events), 0)::int AS n FROM bench_stream_summary`,
    );
    if (check.n !== applied) throw new Error(`the rebuilt read model counts ${check.n} events, ${applied} were applied`);
    return rate(applied, ms);
  }
}

export { inParallel };
