import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { FakeEventStoreDbClient } from '../testing/fake-eventstoredb-client.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

// The real server runs in eventstoredb.int-spec.ts (EVENTSTORE_URL); these pin down the adapter's
// own logic: revision and error mapping, skipping system events, $all paging from either kind of boundary.
for (const inclusive of [true, false]) {
  describeEventStoreContract(
    `eventstoredb adapter over an in-memory client (reads from a position ${inclusive ? 'include' : 'exclude'} it)`,
    async () => {
      const store = new EventStoreDbEventStore(new FakeEventStoreDbClient(inclusive).asClient());
      return { store, dispose: () => store.close() };
    },
  );
}
