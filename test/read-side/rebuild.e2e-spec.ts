import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { comparePositions, type EventStore, type Position } from '#app/event-store';
import { ProjectionRunner, rebuildProjection, type Projection } from '#app/projections';
import { calendarProjection } from '../../apps/api/src/features/calendars/calendar.projection.js';
import { runRebuild } from '../../apps/api/src/cli/projections-rebuild.js';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { EnrolmentProcessManager } from '../../apps/api/src/features/enrolment/process-managers/enrolment.process-manager.js';
import { allProjections } from '../../apps/api/src/read-models.js';
import { capacityOutlookProjection } from '../../apps/api/src/features/reports/capacity-outlook.projection.js';
import { waitingTimesProjection } from '../../apps/api/src/features/reports/waiting-times.projection.js';
import { rosterProjection } from '../../apps/api/src/features/roster/roster.projection.js';
import { teamBoardProjection } from '../../apps/api/src/features/teams/board/team-board.projection.js';
import { committedHead } from '../support/committed-head.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp } from '../support/test-app.js';
import { HistoryPlayer, opArbitrary, PRELUDE, type Op } from './history-generator.js';
import { World } from './read-side-world.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Rebuilt == live. The API runs (its own runner keeps every projection live); a second runner with the same
 * projection names, tiny batches and restarts between operations competes for the same checkpoints (two
 * consumers, stop/start mid-stream). Histories are generated (fast-check) and played through the real
 * deciders and DeciderStore, while the enrolment process manager adds its follow-ups. Then: the whole log
 * is delivered again onto the live tables (nothing may change), and each read-side projection is rebuilt
 * from position 0 into shadow tables and swapped in: every table must equal the live one, row for row.
 */
const targets = await testDatabaseTargets();
const readSide = (): Projection[] => [
  rosterProjection(),
  calendarProjection(),
  teamBoardProjection(),
  capacityOutlookProjection(),
  waitingTimesProjection(),
];
const quiet = { log: () => undefined, error: () => undefined };

describeForEachDatabase(targets, 'read side: rebuilt from zero equals live', (target) => {
  let w: World;
  let store: EventStore;
  let dataSource: DataSource;
  let second: ProjectionRunner;

  beforeAll(async () => {
    w = new World(await startTestApp(target));
    store = w.t.app.get<EventStore>(EVENT_STORE);
    dataSource = w.t.app.get(DataSource);
    second = new ProjectionRunner({ source: store, dataSource, projections: readSide(), pollIntervalMs: 5, batchSize: 7, logger: quiet });
    await second.start();
  });
  afterAll(async () => {
    await closeIfStarted(second, w);
  });

  /**
   * every follow-up written and both runners at the head, with nothing new arriving meanwhile. The head is
   * the last COMMITTED event (committedHead), not store.headPosition(): that one stops at the server-wide
   * visibility horizon, which any open transaction elsewhere on the shared server holds back, so under load
   * it named an older position, both checks agreed on it, and the test's own last writes were only seen
   * later (by redeliver/rebuild) as "events after the head".
   */
  async function quiesce(): Promise<Position> {
    for (;;) {
      const head = await committedHead(dataSource);
      // the process manager has handled everything up to head (its follow-ups move the head: go round again)
      await w.t.app.get(EnrolmentProcessManager).settled(head, 30_000);
      await w.t.app.get(ProjectionRunner).waitFor(head, 30_000);
      await second.waitFor(head, 30_000);
      if (comparePositions(await committedHead(dataSource), head) === 0) return head;
    }
  }

  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const table of readSide().flatMap((p) => p.tables ?? [])) {
      const rows = await dataSource.query<Array<Record<string, unknown>>>(`SELECT * FROM ${table}`);
      tables[table] = rows
        .map((r) => JSON.parse(JSON.stringify(r)) as unknown)
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return tables;
  }

  /** an at-least-once delivery: the whole log handed to every projection again, onto the live tables */
  async function redeliver(): Promise<void> {
    const events = await store.readAll({ maxCount: 1_000_000 });
    await dataSource.transaction(async (manager) => {
      for (const projection of readSide()) await projection.apply(events, manager);
    });
  }

  it('for generated histories with restarts and competing consumers', async () => {
    const player = new HistoryPlayer(w);
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 25, maxLength: 50 }), async (generated: Op[]) => {
        for (const [i, op] of [...PRELUDE, ...generated].entries()) {
          await player.play(op);
          if (i % 5 === 4) {
            await second.stop();
            await second.start();
          }
        }
        const head = await quiesce();
        const live = await snapshot();
        await redeliver();
        expect(await snapshot()).toEqual(live);
        for (const projection of readSide()) {
          const result = await rebuildProjection({ projection, source: store, dataSource, batchSize: 13 });
          expect(comparePositions(result.position, head)).toBe(0);
        }
        expect(await snapshot()).toEqual(live);
      }),
      { numRuns: 3, endOnFailure: true },
    );
    // the histories must have exercised the read side, not just been refused
    expect(player.written).toBeGreaterThan(40);
    const [{ n }] = await dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM calendar_entries WHERE sequence > 0`);
    expect(n).toBeGreaterThan(0);
    const status = await w.t.app.get(ProjectionRunner).status();
    expect(status.filter((s) => s.consecutiveFailures > 0)).toEqual([]);
  });

  it('the CLI rebuilds while the API keeps writing and answering; the live projection follows the swap', async () => {
    const player = new HistoryPlayer(w, '2032-01-05T08:00:00+01:00');
    const ops = [...PRELUDE, ...fc.sample(opArbitrary, { numRuns: 40, seed: 42 })];
    const statuses: number[] = [];
    let writing = true;
    const traffic = (async () => {
      for (const op of ops) {
        await player.play(op);
        statuses.push((await w.get('/calendars/rooms/g-room-1?from=2031-01-01T00:00:00Z&to=2031-12-31T00:00:00Z', ['secretary'])).status);
      }
      writing = false;
    })();
    const out = {
      text: '',
      isTTY: false,
      write(s: string) {
        this.text += s;
      },
    };
    const [result] = await runRebuild({ source: store, dataSource, projections: allProjections(), target: 'calendars', out });
    const swappedWhileWriting = writing;
    await traffic;
    expect(swappedWhileWriting).toBe(true); // the swap happened under live traffic

    expect(result.name).toBe('calendars.v1');
    expect(out.text).toMatch(/calendars\.v1 \[█+\] 100% \d+\/\d+ events\n/);
    expect(out.text).toMatch(
      /calendars\.v1: \d+ events replayed in [\d.]+ s and swapped in; rows: calendar_entries \d+, calendar_attendees \d+, calendar_sources \d+\n/,
    );
    expect(out.text).toMatch(/Rebuilt 1 projection\(s\) from \d+ events\.\n$/);
    expect(statuses.every((s) => s === 200)).toBe(true);

    // the live runner carried on from the swap; a fresh rebuild now gives the same tables
    await quiesce();
    const live = await snapshot();
    await rebuildProjection({ projection: calendarProjection(), source: store, dataSource });
    expect(await snapshot()).toEqual(live);
  });

  it('a rebuild whose checkpoint is moved under it stops, rolls its batch back and leaves the live tables as they were', async () => {
    const player = new HistoryPlayer(w, '2033-01-03T08:00:00+01:00');
    for (const op of [...PRELUDE, ...fc.sample(opArbitrary, { numRuns: 10, seed: 7 })]) await player.play(op);
    await quiesce();
    const live = await snapshot();
    const roster = rosterProjection();
    let batches = 0;
    const moved: Projection = {
      ...roster,
      async apply(events, manager) {
        await roster.apply(events, manager);
        // the copy's checkpoint moves while this batch is open (through the batch's own session: the embedded
        // database has only one, and the compare at the batch's end sees the move the same way)
        if (++batches === 2)
          await manager.query(`UPDATE subscription_checkpoints SET commit_position = commit_position + 1 WHERE name = $1`, [
            `${roster.name}#rebuild`,
          ]);
      },
    };
    await expect(rebuildProjection({ projection: moved, source: store, dataSource, batchSize: 5 })).rejects.toThrow(
      /rebuild checkpoint of roster\.v1 was moved by someone else/,
    );
    expect(batches).toBe(2);
    expect(await snapshot()).toEqual(live);
    const left = await dataSource.query<unknown[]>(`SELECT name FROM subscription_checkpoints WHERE name LIKE '%#rebuild'`);
    expect(left).toEqual([]);
  });

  it('rebuilds every projection that declares its tables, names the others, and refuses an unknown name', async () => {
    const out = {
      text: '',
      isTTY: false,
      write(s: string) {
        this.text += s;
      },
    };
    const results = await runRebuild({ source: store, dataSource, projections: allProjections(), target: 'all', out });
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining(['roster.v1', 'calendars.v1', 'team-board.v1', 'capacity-outlook.v1', 'waiting-times.v1']),
    );
    for (const p of allProjections().filter((x) => !x.tables?.length))
      expect(out.text).toContain(`skipped ${p.name}: it declares no tables`);
    expect(out.text).toMatch(new RegExp(`Rebuilt ${results.length} projection\\(s\\) from \\d+ events\\.`));
    await expect(runRebuild({ source: store, dataSource, projections: allProjections(), target: 'nope', out })).rejects.toThrow(
      /No projection is called "nope"/,
    );
    const health = await w.get('/health', ['secretary']);
    expect(health.body.projections.filter((p: { lastError?: string }) => p.lastError)).toEqual([]);
  });
});
