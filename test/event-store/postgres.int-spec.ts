import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '#app/event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'PostgresEventStore', (target) => {
  describeEventStoreContract(`postgres adapter on ${target.kind}`, async () => {
    const db = await target.open();
    return { store: new PostgresEventStore(db.dataSource, { preparedStatements: db.kind === 'postgres' }), dispose: () => db.close() };
  });

  it('leaves the payload of other categories out of a read with payloadCategories (nothing sent, nothing parsed)', async () => {
    const db = await target.open();
    try {
      const store = new PostgresEventStore(db.dataSource, { preparedStatements: db.kind === 'postgres' });
      const event = (type: string) => ({ id: randomUUID(), type, data: { type }, metadata: { by: 'test' } });
      await store.appendToStream('team-1', [event('Planned')], 'no_stream');
      await store.appendToStream('archive-1', [event('Filed')], 'no_stream');
      await store.appendToStream('course-1', [event('Referred')], 'no_stream');
      // readAll holds back what is newer than the oldest running transaction of the database (other suites' too)
      const read = await waitFor(async () => {
        const all = await store.readAll({ maxCount: 10, payloadCategories: ['team', 'course'] });
        return all.length === 3 ? all : undefined;
      }, 'the three events to be readable');
      expect(read.map((e) => [e.streamId, e.type, e.data, e.metadata])).toEqual([
        ['team-1', 'Planned', { type: 'Planned' }, { by: 'test' }],
        ['archive-1', 'Filed', null, {}],
        ['course-1', 'Referred', { type: 'Referred' }, { by: 'test' }],
      ]);
      expect(await store.readAll({ maxCount: 10 })).toEqual(
        read.map((e) => (e.streamId === 'archive-1' ? { ...e, data: { type: 'Filed' }, metadata: { by: 'test' } } : e)),
      );
    } finally {
      await db.close();
    }
  });

  if (target.kind === 'postgres') {
    it('sends its appends and reads as prepared statements, parsed once per connection', async () => {
      const db = await target.open({ poolSize: 1 });
      try {
        const store = new PostgresEventStore(db.dataSource, { preparedStatements: true, appendStatements: 0 });
        const event = () => ({ id: randomUUID(), type: 'Happened', data: {}, metadata: {} });
        for (let i = 0; i < 3; i++) await store.appendToStream(`team-${i}`, [event()], 'no_stream');
        await store.readStreams(['team-0', 'team-1']);
        await store.readAll({ maxCount: 10 });
        // one pooled connection: its session holds every statement the store prepared, each once
        const prepared = await db.dataSource.query<Array<{ name: string }>>(`SELECT name FROM pg_prepared_statements ORDER BY name`);
        expect(prepared.map((p) => p.name)).toEqual(['es_append', 'es_read_all', 'es_read_streams']);
      } finally {
        await db.close();
      }
    });
  }
});
