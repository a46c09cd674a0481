import { PostgresEventStore } from '#app/event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';

const targets = await testDatabaseTargets();

describeForEachDatabase(targets, 'PostgresEventStore', (target) => {
  describeEventStoreContract(`postgres adapter on ${target.kind}`, async () => {
    const db = await target.open();
    return { store: new PostgresEventStore(db.dataSource), dispose: () => db.close() };
  });
});
