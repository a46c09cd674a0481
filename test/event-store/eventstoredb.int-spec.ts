import { connectEventStoreDb } from '#app/event-store';
import { describeEventStoreContract } from '../../libs/event-store/src/testing/event-store.contract.js';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract('eventstoredb adapter', async () => {
    const store = await connectEventStoreDb(url);
    return { store, dispose: () => store.close() };
  });
} else {
  const reason = 'EVENTSTORE_URL is not set (docker compose up eventstore)';
  console.warn(`EventStoreDB contract skipped: ${reason}`);
  describe.skip(`EventStore contract: eventstoredb adapter (skipped: ${reason})`, () => {
    it('is skipped', () => undefined);
  });
}
