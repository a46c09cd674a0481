import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '#app/event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { waitFor } from '../support/wait-for.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'PostgresEventStore', (target) => {
  describeEventStoreContract(`postgres adapter on ${target.kind}`, async () => {
    const db = await target.open();
    return { store: new PostgresEventStore(db.dataSource), dispose: () => db.close() };
  });

  it('leaves the payload of other categories out of a read with payloadCategories (nothing sent, nothing parsed)', async () => {
    const db = await target.open();
    try {
      const store = new PostgresEventStore(db.dataSource);
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
});
